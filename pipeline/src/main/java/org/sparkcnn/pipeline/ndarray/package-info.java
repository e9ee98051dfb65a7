/**
 * ND4J arrays as bytes: {@link org.sparkcnn.pipeline.ndarray.NdArrayCodec} writes and reads one array in exactly
 * ND4J's own serial format, moving its data in bulk.
 *
 * <p>Contract: the bytes are what {@code Nd4j.write} writes and {@code Nd4j.read} reads, so files stay readable by
 * DL4J's own tools; a strict read allocates no more than its caller allows. Imports only ND4J.
 */
package org.sparkcnn.pipeline.ndarray;
