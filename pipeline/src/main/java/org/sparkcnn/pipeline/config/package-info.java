/**
 * Configuration: HOCON ({@code reference.conf} defaults, a job file, {@code --set} overrides) parsed once on
 * the driver into immutable, validated records ({@link org.sparkcnn.pipeline.config.PipelineConfig}).
 * Contract: nothing downstream reads HOCON; a config that loads is safe to run with, and every rejection
 * names the key. {@link org.sparkcnn.pipeline.config.BuildLine} says which Spark line this build is (3.5 or 4) and
 * what only one line has.
 */
package org.sparkcnn.pipeline.config;
