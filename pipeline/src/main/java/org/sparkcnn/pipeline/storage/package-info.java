/**
 * Storage: the single seam ({@link org.sparkcnn.pipeline.storage.Storage}) over Hadoop's FileSystem API
 * through which every byte is read and written, and the run's folder layout
 * ({@link org.sparkcnn.pipeline.storage.RunLayout}). Contract: no other package opens files directly;
 * published files appear whole or not at all.
 *
 * <h2>Atomic replacement</h2>
 * {@link org.sparkcnn.pipeline.storage.Storage#writeAtomically} replaces a file so that a reader, or the next run
 * after a crash at any point, finds the old bytes or the new ones, whole: never a missing file (the
 * {@code checkpoints/latest} pointer above all), a partial one or a mix. The strategy is chosen per filesystem in
 * one place, {@code ReplaceStrategy.of}:
 * <ul>
 *   <li>{@code file:} new bytes to a hidden sibling (written with java.nio, so without a {@code .crc}); the
 *       target's {@code .crc} is deleted; one OS rename ({@code Files.move(ATOMIC_MOVE)}) swaps the file in. A
 *       file without {@code .crc} is read unverified, so no step can leave a checksum that fails the old or new
 *       bytes; Hadoop's own replace would delete, then rename, file and {@code .crc} separately.</li>
 *   <li>{@code hdfs:} new bytes to a hidden sibling, then {@code DistributedFileSystem.rename(OVERWRITE)}: one
 *       NameNode operation that swaps the inode atomically.</li>
 *   <li>{@code s3a:} no atomic rename (rename is copy, then delete), but an upload becomes visible whole when its
 *       stream closes: the bytes go straight to the final key, and a failed write aborts the upload instead of
 *       closing it. Other object stores ({@code gs:}, {@code oss:}, ...) whose streams cannot abort stage the
 *       bytes in a local temporary file and upload it only once complete.</li>
 *   <li>Anything else: hidden sibling and rename, deleting the target first where rename does not replace; only
 *       this fallback has a window (delete, then rename) in which a crash leaves no file.</li>
 * </ul>
 * Several files still do not appear together: what a multi-file write publishes is named by a marker or pointer
 * written last. Temporaries are named {@code ._tmp-<name>-<uuid>}: a failed write removes its own, and one left by
 * a killed process is never listed by {@code listFiles}, {@code listDirectoryNames} or {@code glob}.
 */
package org.sparkcnn.pipeline.storage;
