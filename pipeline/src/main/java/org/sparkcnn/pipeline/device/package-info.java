/**
 * GPU executors: what ND4J's CUDA build can run on ({@link org.sparkcnn.pipeline.device.CudaFatbin} reads the
 * architectures a CUDA library's fatbins carry; {@link org.sparkcnn.pipeline.device.CudaArchitectures} records
 * those of the only release, nd4j-cuda-11.6 1.0.0-M2.1: sm_37 to sm_86, no PTX, so no Hopper).
 * Contract: imports only {@code config}, {@code error} and {@code spark} of this project (never {@code train},
 * {@code evaluate}, {@code predict}, {@code report} or {@code cli}); everything read from a file or a command is
 * input, every length in it checked before use.
 */
package org.sparkcnn.pipeline.device;
