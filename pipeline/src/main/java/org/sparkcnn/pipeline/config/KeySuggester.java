package org.sparkcnn.pipeline.config;

import java.util.Collection;
import java.util.Optional;

/** Finds the valid key nearest to a mistyped one (Levenshtein distance), for typo protection. */
final class KeySuggester {
    private KeySuggester() {}

    /** The nearest candidate, if any lies within a distance that still looks like a typo. */
    static Optional<String> nearest(String key, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(key, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int tolerated = Math.max(3, key.length() / 3);
        return bestDistance <= tolerated ? Optional.ofNullable(best) : Optional.empty();
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
