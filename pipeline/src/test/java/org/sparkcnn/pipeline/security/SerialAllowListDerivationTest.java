package org.sparkcnn.pipeline.security;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The allow-list is exactly what the legitimate streams resolve: every one of them reads through the guard's check,
 * and every listed class is needed by one of them (except the CUDA backend's array class, which only a CUDA build
 * resolves).
 */
class SerialAllowListDerivationTest {
    @Test
    void everyLegitimateStreamPassesAndEveryListedClassIsUsed() throws Exception {
        FilterInstaller.ensureInstalled();
        List<Object> legitimate = new ArrayList<>(LegitimateStreams.preprocessors());
        legitimate.addAll(LegitimateStreams.labelNames());
        Set<String> resolved = new TreeSet<>();
        for (Object value : legitimate) {
            byte[] bytes = Tripwire.serialise(value);
            try (ReadScope scope = ReadScope.open()) {
                Object back = Tripwire.deserialise(bytes);
                assertNotNull(back);
                assertFalse(scope.refused(), value.getClass() + ": " + scope.refusedClass() + " " + scope.exceededLimit());
                assertEquals(value.getClass(), back.getClass());
                resolved.addAll(scope.resolvedClasses());
            }
        }
        System.out.println("classes resolved by legitimate streams: " + resolved);
        Set<String> listed = new TreeSet<>(SerialAllowList.classNames());
        listed.remove("org.nd4j.linalg.jcublas.JCublasNDArray");
        // An array of a listed class ([Lx;) counts for x; arrays of primitives, Object and String need no entry.
        Set<String> needed = new TreeSet<>();
        for (String name : resolved) {
            String element = name.replaceAll("^\\[+L(.*);$", "$1");
            if (!name.startsWith("[") || (!element.equals(name) && !element.equals("java.lang.Object")
                    && !element.equals("java.lang.String"))) {
                needed.add(name.startsWith("[") ? element : name);
            }
        }
        assertEquals(listed, needed);
    }
}
