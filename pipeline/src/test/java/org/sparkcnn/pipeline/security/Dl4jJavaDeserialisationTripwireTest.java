package org.sparkcnn.pipeline.security;

import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.model.Network;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails when a DL4J/ND4J upgrade changes where they Java-deserialise (from their bytecode, read with javap): which
 * methods create an ObjectInputStream, which zip entry each reads, and which of them our read paths reach. When it
 * fails, revisit {@link SerialAllowList} (and the guarded call sites) before changing the expectations here.
 */
class Dl4jJavaDeserialisationTripwireTest {
    private static final String OIS = "class java/io/ObjectInputStream";
    private static final String REVISIT = " (DL4J/ND4J changed where they Java-deserialise: revisit SerialAllowList and "
            + "the guarded reads in Network.read and DataSetCodec.read, then update this test)";

    /** One class's methods (name + descriptor): the last string constant before each ObjectInputStream, and the calls. */
    private record Bytecode(Map<String, List<String>> streams, Map<String, Set<String>> calls) {}

    private static Bytecode javap(Class<?> type) throws Exception {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        int rc = javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-c", "-p", "-s", "-cp",
                jar.toString(), type.getName());
        assertEquals(0, rc, out.toString());
        Map<String, List<String>> streams = new TreeMap<>();
        Map<String, Set<String>> calls = new LinkedHashMap<>();
        String header = null;
        String method = null;
        String lastString = "-";
        String owner = type.getName().replace('.', '/');
        for (String line : out.toString().split("\n")) {
            String t = line.trim();
            if (line.startsWith("  ") && !line.startsWith("    ") && t.endsWith(";") && t.contains("(")) {
                header = t.substring(0, t.indexOf('(')).replaceAll(".* ", "");
            } else if (t.startsWith("descriptor: ") && header != null) {
                method = header + t.substring("descriptor: ".length());
                calls.put(method, new TreeSet<>());
                lastString = "-";
                header = null;
            } else if (method != null && t.contains("// String ")) {
                lastString = t.substring(t.indexOf("// String ") + "// String ".length());
            } else if (method != null && t.contains("// " + OIS)) {
                streams.computeIfAbsent(method, k -> new java.util.ArrayList<>()).add(lastString);
            } else if (method != null && t.contains("// Method ")) {
                // A call within the class is printed without its owner ("name:(desc)ret"), or with it.
                String target = t.substring(t.indexOf("// Method ") + "// Method ".length());
                if (target.startsWith(owner + ".")) {
                    target = target.substring(owner.length() + 1);
                }
                if (!target.substring(0, target.indexOf(':')).contains("/")) {
                    calls.get(method).add(target.replace(":", ""));
                }
            }
        }
        return new Bytecode(streams, calls);
    }

    /** The methods of {@code code} reachable from {@code entry} through calls within the class. */
    private static Set<String> reachable(Bytecode code, String entry) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(entry));
        while (!todo.isEmpty()) {
            String m = todo.pop();
            if (seen.add(m)) {
                todo.addAll(code.calls().getOrDefault(m.replace(":", ""), Set.of()));
            }
        }
        Set<String> normalised = new TreeSet<>();
        seen.forEach(m -> normalised.add(m.replace(":", "")));
        return normalised;
    }

    @Test
    void modelSerializerDeserialisesOnlyPreprocessorBinOnOurPaths() throws Exception {
        Bytecode ms = javap(ModelSerializer.class);
        assertEquals(Map.of(
                "restoreMultiLayerNetworkHelper(Ljava/io/InputStream;Z)Lorg/nd4j/common/primitives/Pair;", List.of("preprocessor.bin"),
                "restoreComputationGraphHelper(Ljava/io/InputStream;Z)Lorg/nd4j/common/primitives/Pair;", List.of("preprocessor.bin"),
                "restoreNormalizerFromInputStreamDeprecated(Ljava/io/InputStream;)Lorg/nd4j/linalg/dataset/api/preprocessor/DataNormalization;", List.of("-"),
                // a caller-named entry (addObjectToFile's); the last constant before it is an error message
                "getObjectFromFile(Ljava/io/File;Ljava/lang/String;)Ljava/lang/Object;",
                List.of("Invalid key: Key is reserved for internal use: \\\"%s\\\"")),
                ms.streams(), "ModelSerializer's ObjectInputStreams" + REVISIT);
        for (String entry : List.of("restoreMultiLayerNetwork(Ljava/io/InputStream;Z)Lorg/deeplearning4j/nn/multilayer/MultiLayerNetwork;",
                "restoreComputationGraph(Ljava/io/InputStream;Z)Lorg/deeplearning4j/nn/graph/ComputationGraph;")) {
            assertTrue(ms.calls().containsKey(entry), entry + REVISIT);
            Set<String> deserialising = new TreeSet<>(reachable(ms, entry));
            deserialising.retainAll(ms.streams().keySet());
            assertEquals(1, deserialising.size(), entry + " reaches " + deserialising + REVISIT);
            assertTrue(deserialising.iterator().next().contains("Helper"), entry + " reaches " + deserialising + REVISIT);
        }
    }

    @Test
    void networkCallsOnlyTheRestoreMethodsTheGuardCovers() throws Exception {
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        StringWriter out = new StringWriter();
        Path classes = Path.of(Network.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertEquals(0, javap.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-c", "-p", "-cp",
                classes.toString(), Network.class.getName()));
        Set<String> used = new TreeSet<>();
        for (String line : out.toString().split("\n")) {
            int at = line.indexOf("org/deeplearning4j/util/ModelSerializer.");
            if (at >= 0) {
                used.add(line.substring(at + "org/deeplearning4j/util/ModelSerializer.".length()).trim());
            }
        }
        assertEquals(Set.of(
                "restoreComputationGraph:(Ljava/io/InputStream;Z)Lorg/deeplearning4j/nn/graph/ComputationGraph;",
                "restoreMultiLayerNetwork:(Ljava/io/InputStream;Z)Lorg/deeplearning4j/nn/multilayer/MultiLayerNetwork;"),
                used, "Network's ModelSerializer calls: a new restore method must be checked here and guarded");

        // Network's own reader of model zips (ModelZip) deserialises nothing and calls no DL4J restore method.
        StringWriter zip = new StringWriter();
        assertEquals(0, javap.run(new PrintWriter(zip), new PrintWriter(new StringWriter()), "-c", "-p", "-cp",
                classes.toString(), "org.sparkcnn.pipeline.model.ModelZip"));
        assertTrue(zip.toString().contains("NdArrayCodec.read"), "javap shows ModelZip's calls");
        for (String forbidden : List.of("java/io/ObjectInputStream", "ModelSerializer.restore", "Nd4j.read")) {
            assertFalse(zip.toString().contains(forbidden), "ModelZip calls " + forbidden);
        }
    }

    @Test
    void dataSetLoadDeserialisesMetadataAndLabelNamesOnly() throws Exception {
        Bytecode ds = javap(DataSet.class);
        assertEquals(Map.of("load(Ljava/io/InputStream;)V", List.of("-", "-")), ds.streams(),
                "DataSet's ObjectInputStreams" + REVISIT);
    }
}
