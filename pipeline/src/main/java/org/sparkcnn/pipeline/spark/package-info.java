/**
 * Spark wiring shared by every job: the SparkSession and its defaults. Contract: no job hard-codes a
 * master; Kryo with the ND4J registrator is always on.
 */
package org.sparkcnn.pipeline.spark;
