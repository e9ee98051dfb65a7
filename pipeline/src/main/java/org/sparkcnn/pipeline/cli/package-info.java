/**
 * The command line shared by {@code bin/pipeline} and {@code spark-submit}: verbs, options, help built
 * from {@code reference.conf}, and the exit-code contract (0 ok, 2 bad config or input, 1 failure).
 * Contract: configuration is validated before a SparkSession starts; nothing here calls System.exit.
 */
package org.sparkcnn.pipeline.cli;
