/**
 * Storage: the single seam ({@link org.sparkcnn.pipeline.storage.Storage}) over Hadoop's FileSystem API
 * through which every byte is read and written, and the run's folder layout
 * ({@link org.sparkcnn.pipeline.storage.RunLayout}). Contract: no other package opens files directly;
 * published files appear whole or not at all.
 */
package org.sparkcnn.pipeline.storage;
