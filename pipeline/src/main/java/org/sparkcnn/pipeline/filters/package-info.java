/**
 * Filters: what convolutions do, as pictures under {@code <run>/filters/}. The lessons' classic fixed 3x3 kernels
 * (Sobel, Laplacian edge, Gaussian blur) on a grayscale image, then a trained run's learned first-layer kernels
 * and the feature maps one image produces in its first convolution layers, preprocessed exactly as training did.
 * Contract: every PNG is written through {@code storage.Storage}; the job runs on the driver and changes nothing
 * else in the run.
 */
package org.sparkcnn.pipeline.filters;
