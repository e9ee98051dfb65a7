package org.sparkcnn.pipeline.spark;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.BadInputException;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paths mean the cluster's default filesystem; driver-local paths are refused where executors cannot see them. */
class ClusterPathsTest {

    static PipelineConfig config(String... settings) {
        return ConfigLoader.load(null, new ArrayList<>(List.of(settings)));
    }

    static Configuration hdfsDefault() {
        Configuration c = new Configuration(false);
        c.set("fs.defaultFS", "hdfs://127.0.0.1:1");   // never contacted: qualifying a path needs no namenode call
        return c;
    }

    @Test
    void aPathWithoutASchemeIsOnTheClustersDefaultFilesystem() throws Exception {
        PipelineConfig c = ClusterPaths.resolve(config("output.uri=runs", "corpus.uri=/data/food-101",
                "model.init=models/base.zip"), "yarn", hdfsDefault());
        String user = org.apache.hadoop.security.UserGroupInformation.getCurrentUser().getShortUserName();
        assertEquals("hdfs://127.0.0.1:1/user/" + user + "/runs", c.output().uri());
        assertEquals("hdfs://127.0.0.1:1/data/food-101", c.corpus().uri());
        assertEquals("hdfs://127.0.0.1:1/user/" + user + "/models/base.zip", c.model().init());
    }

    @Test
    void whereTheDefaultIsTheLocalDiskAPathStaysLocal() {
        PipelineConfig c = ClusterPaths.resolve(config("output.uri=runs"), "local[2]", new Configuration(false));
        assertEquals(new File("runs").getAbsoluteFile().toPath().toUri(), java.net.URI.create(c.output().uri()));
    }

    @Test
    void urisWithASchemeAreKept() {
        PipelineConfig c = ClusterPaths.resolve(config("output.uri=s3a://bucket/runs", "corpus.uri=hdfs://nn/c"),
                "yarn", hdfsDefault());
        assertEquals("s3a://bucket/runs", c.output().uri());
        assertEquals("hdfs://nn/c", c.corpus().uri());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yarn", "k8s://https://kube:6443", "spark://master:7077"})
    void aClusterRefusesDriverLocalPathsNamingTheKey(String master) {
        BadInputException output = assertThrows(BadInputException.class,
                () -> ClusterPaths.resolve(config(), master, hdfsDefault()));   // the default, file:./warehouse
        assertTrue(output.getMessage().startsWith("output.uri = file:") && output.getMessage().contains(master)
                && output.getMessage().contains("output.shared-local-filesystem"), output.getMessage());
        BadInputException corpus = assertThrows(BadInputException.class, () -> ClusterPaths.resolve(
                config("output.uri=hdfs://nn/runs", "corpus.uri=file:/data/food-101"), master, hdfsDefault()));
        assertTrue(corpus.getMessage().startsWith("corpus.uri = file:/data/food-101"), corpus.getMessage());
    }

    @Test
    void sharedLocalPathsAndMastersOnTheDriversMachineAreAccepted() {
        PipelineConfig shared = ClusterPaths.resolve(config("output.shared-local-filesystem=true",
                "corpus.uri=file:/nfs/food-101"), "spark://master:7077", hdfsDefault());
        assertEquals("file:/nfs/food-101", shared.corpus().uri());
        for (String master : List.of("local", "local[4]", "local[*]", "local[2,3]", "local-cluster[2,1,1024]")) {
            ClusterPaths.resolve(config("corpus.uri=file:/data/food-101"), master, hdfsDefault());
        }
    }
}
