package org.sparkcnn.pipeline.testing;

import org.apache.spark.sql.SparkSession;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.spark.SparkSessionFactory;

import java.util.List;

/** One local[2] SparkSession per test class, built exactly as the jobs build theirs. */
public final class LocalSpark {
    private LocalSpark() {}

    public static SparkSession start(String name) {
        return SparkSessionFactory.create(ConfigLoader.load(null, List.of("spark.master=local[2]")), name);
    }
}
