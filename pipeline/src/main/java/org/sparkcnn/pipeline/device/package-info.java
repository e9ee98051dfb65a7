/**
 * GPU executors, the parts that need no GPU: what ND4J's CUDA build can run on, which GPU a Spark task got, and
 * whether an executor's GPU, driver and libraries can train before ND4J loads there.
 * <ul>
 *   <li>{@link org.sparkcnn.pipeline.device.CudaFatbin} reads the architectures of a CUDA library's cubins and PTX
 *   from its {@code .nv_fatbin} section; {@link org.sparkcnn.pipeline.device.CudaArchitectures} records those of
 *   the only release, nd4j-cuda-11.6 1.0.0-M2.1 (sm_37 to sm_86, no PTX: nothing for Hopper, compute 9.0), and
 *   {@link org.sparkcnn.pipeline.device.Nd4jCudaCode} reads the copy on the classpath.</li>
 *   <li>{@link org.sparkcnn.pipeline.device.GpuAssignment}: the task's {@code gpu} address (Spark's
 *   {@code TaskContext.resources()}) and its CUDA ordinal through {@code CUDA_VISIBLE_DEVICES};
 *   {@link org.sparkcnn.pipeline.device.DeviceBinding} binds the task's thread to it in ND4J;
 *   {@link org.sparkcnn.pipeline.device.GpuSchedulingConf} checks on the driver that Spark will hand tasks GPUs
 *   (and that a local master is not asked to: its jobs would wait forever).</li>
 *   <li>{@link org.sparkcnn.pipeline.device.GpuProbe} (nvidia-smi and the CUDA/cuDNN libraries by name) and
 *   {@link org.sparkcnn.pipeline.device.GpuPreflight}, whose {@link org.sparkcnn.pipeline.device.GpuVerdict} is a
 *   one-line description or a refusal that says why and what to change.</li>
 * </ul>
 * Contract: imports only {@code config}, {@code error} and {@code spark} of this project (never {@code train},
 * {@code evaluate}, {@code predict}, {@code report} or {@code cli}). Nothing here initialises ND4J's CUDA backend
 * before the checks pass: the probe, the fatbin reader and the backend test ({@link
 * org.sparkcnn.pipeline.device.CudaBackend}, a class lookup) run no ND4J code, and only
 * {@link org.sparkcnn.pipeline.device.DeviceBinding} touches ND4J, under its CUDA backend only, after the executor's
 * preflight. Everything read from a file or a command is input: every length in it is checked before use, and a
 * command runs with a time limit and bounded output. A GPU that cannot be used is a
 * {@link org.sparkcnn.pipeline.device.GpuUnusableException} (a {@code BadInputException}: exit 2) naming the GPU,
 * the reason and the fix.
 */
package org.sparkcnn.pipeline.device;
