/**
 * Spark wiring shared by every job: the SparkSession and its defaults, how ND4J arrays travel (Kryo, bulk
 * {@link org.sparkcnn.pipeline.spark.ArrayBytes}), and which build of ND4J's natives every JVM loads. Contract: no
 * job hard-codes a master; Kryo with ND4J's registrator and ours is always on; arrays round-trip exactly (type,
 * shape, values; views and 'f' order come back as 'c'-order copies); the driver and every executor select this
 * build's natives (oneDNN on the CPU, cuDNN under -Pcuda) before ND4J loads.
 */
package org.sparkcnn.pipeline.spark;
