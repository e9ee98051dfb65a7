/**
 * Spark wiring shared by every job: the SparkSession and its defaults, and which build of ND4J's natives every
 * JVM loads. Contract: no job hard-codes a master; Kryo with the ND4J registrator is always on; the driver and
 * every executor select this build's natives (oneDNN on the CPU, cuDNN under -Pcuda) before ND4J loads.
 */
package org.sparkcnn.pipeline.spark;
