package org.sparkcnn.pipeline.spark;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

import java.util.Map;

/**
 * A Spark plugin ({@code spark.plugins}, set by {@link SparkSessionFactory}) that runs {@link NativeBackend#configure}
 * when each executor starts, before any task can load ND4J's natives there.
 */
public final class NativeBackendPlugin implements SparkPlugin {
    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                NativeBackend.configure();
            }
        };
    }
}
