package org.sparkcnn.pipeline.model;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The buffer is the array's own memory, from its first element to its last, for whole arrays and for the views DL4J
 * hands an updater and a layer (a run of a flat vector, rows of a matrix); strided views, other data types and
 * F-ordered matrices are refused. Fails if an ND4J release changes where a view's buffer starts.
 */
class NativeFloatsTest {
    @Test
    void aViewIntoAFlatVectorReadsAndWritesItsOwnElements() {
        INDArray flat = Nd4j.arange(0, 100).castTo(DataType.FLOAT).reshape(1, 100);
        INDArray view = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(30, 70));
        FloatBuffer b = NativeFloats.of(view);
        assertNotNull(b);
        assertEquals(40, b.limit());
        assertEquals(30f, b.get(0));
        assertEquals(69f, b.get(39));
        b.put(5, -1f);
        assertEquals(-1f, flat.getFloat(0, 35), "written through to the vector");
    }

    @Test
    void rowsOfAMatrixAndAWholeArrayAreRead() {
        INDArray m = Nd4j.arange(0, 60).castTo(DataType.FLOAT).reshape('c', 2, 3, 10);
        FloatBuffer whole = NativeFloats.of(m);
        assertEquals(60, whole.limit());
        assertEquals(17f, whole.get(17));
        INDArray rows = Nd4j.arange(0, 100).castTo(DataType.FLOAT).reshape('c', 10, 10)
                .get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        FloatBuffer b = NativeFloats.of(rows);
        assertEquals(20, b.limit());
        assertEquals(20f, b.get(0));
        assertEquals(39f, b.get(19));
    }

    @Test
    void stridedViewsOtherTypesAndFOrderedMatricesAreRefused() {
        INDArray m = Nd4j.arange(0, 100).castTo(DataType.FLOAT).reshape('c', 10, 10);
        assertNull(NativeFloats.of(m.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 5))), "columns 0-4 of each row");
        assertNull(NativeFloats.of(m.getColumn(3)), "a column");
        assertNull(NativeFloats.of(m.castTo(DataType.DOUBLE)), "doubles");
        assertNull(NativeFloats.of(m.dup('f')), "F order");
        assertNull(NativeFloats.of(null));
    }
}
