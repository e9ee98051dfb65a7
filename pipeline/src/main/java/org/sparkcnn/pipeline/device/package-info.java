/**
 * GPU executors: what ND4J's CUDA build can run on ({@link org.sparkcnn.pipeline.device.CudaFatbin} reads the
 * architectures a CUDA library's fatbins carry; {@link org.sparkcnn.pipeline.device.CudaArchitectures} records
 * those of the only release, nd4j-cuda-11.6 1.0.0-M2.1: sm_37 to sm_86, no PTX, so no Hopper); which GPU a task got
 * ({@link org.sparkcnn.pipeline.device.GpuAssignment}: Spark's {@code gpu} address mapped through
 * {@code CUDA_VISIBLE_DEVICES} to a CUDA ordinal) and binding the task's thread to it
 * ({@link org.sparkcnn.pipeline.device.DeviceBinding}, only under ND4J's CUDA backend,
 * {@link org.sparkcnn.pipeline.device.CudaBackend}).
 * Contract: imports only {@code config}, {@code error} and {@code spark} of this project (never {@code train},
 * {@code evaluate}, {@code predict}, {@code report} or {@code cli}); everything read from a file or a command is
 * input, every length in it checked before use; a GPU that cannot be used is a
 * {@link org.sparkcnn.pipeline.device.GpuUnusableException} (exit 2) naming the GPU, the reason and the fix.
 */
package org.sparkcnn.pipeline.device;
