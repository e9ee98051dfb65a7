package org.sparkcnn.pipeline.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A float array's elements as a {@link FloatBuffer} over ND4J's own memory, for the Java kernels
 * ({@code org.sparkcnn.pipeline.kernel}): index 0 is the array's first element, the limit its length. Only for arrays
 * that are one run of floats in memory on a CPU backend; {@code null} for anything else, and the caller takes
 * DL4J's own path. In ND4J 1.0.0-M2.1 a view's buffer starts at its base's memory and the view's first element is at
 * {@code offset()} ({@code NativeFloatsTest} fails if a release changes that).
 */
final class NativeFloats {
    private NativeFloats() {}

    /** The elements of a float vector (any ordering) or a C-ordered array with default strides, or null. */
    static FloatBuffer of(INDArray a) {
        if (a == null || a.isEmpty() || a.dataType() != DataType.FLOAT || a.length() > Integer.MAX_VALUE
                || a.elementWiseStride() != 1 || !(a.length() == 1 || a.isVector()
                || (a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a))) || !CpuKernels.enabled()) {
            return null;
        }
        FloatBuffer all = a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        long offset = a.offset();
        if (offset < 0 || offset + a.length() > all.capacity()) {
            return null;
        }
        return all.slice((int) offset, (int) a.length());
    }
}
