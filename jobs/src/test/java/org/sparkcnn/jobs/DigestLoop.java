package org.sparkcnn.jobs;

import java.security.MessageDigest;

/**
 * A child JVM's main for {@link PipelineMainTest}: hashes 256 MiB with SHA-256 (as ingest hashes its shards) and runs
 * a hot loop of its own, so that the JIT has reason to compile both with C2.
 */
public final class DigestLoop {
    private DigestLoop() {}

    public static void main(String[] args) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1 << 20];
        long sum = 0;
        for (int i = 0; i < 256; i++) {
            md.update(block);
            sum += spin(i);
        }
        System.out.println("digest " + md.digest()[0] + " " + sum);
    }

    static long spin(int seed) {
        long x = seed;
        for (int i = 0; i < 200_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }
}
