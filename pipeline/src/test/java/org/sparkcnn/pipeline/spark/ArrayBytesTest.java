package org.sparkcnn.pipeline.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkcnn.pipeline.config.ConfigLoader;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Round trips of {@link ArrayBytes}, alone and as Spark's Kryo serializer configured the pipeline's way. */
class ArrayBytesTest {
    private static INDArray roundTrip(INDArray a) {
        INDArray back = ArrayBytes.fromBytes(ArrayBytes.toBytes(a));
        assertEquals(a.dataType(), back.dataType());
        assertArrayEquals(a.shape(), back.shape());
        assertEquals('c', back.ordering());
        return back;
    }

    @Test
    void everyNumericTypeAndShapeComesBackExactly() {
        Nd4j.getRandom().setSeed(1);
        INDArray f = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5);
        assertEquals(f, roundTrip(f));
        INDArray d = Nd4j.rand(DataType.DOUBLE, 7, 3);
        assertEquals(d, roundTrip(d));
        INDArray ints = Nd4j.createFromArray(new int[][] {{1, -2, 3}, {Integer.MAX_VALUE, Integer.MIN_VALUE, 0}});
        assertEquals(ints, roundTrip(ints));
        INDArray bytes = Nd4j.createFromArray(new byte[] {0, 1, 127, -128}).castTo(DataType.UINT8);
        assertEquals(bytes, roundTrip(bytes));
        INDArray bools = Nd4j.createFromArray(true, false, true);
        assertEquals(bools, roundTrip(bools));
        INDArray half = Nd4j.createFromArray(1.5f, -2.25f).castTo(DataType.HALF);
        assertEquals(half, roundTrip(half));
        INDArray scalar = Nd4j.scalar(3.5f);
        assertEquals(3.5f, roundTrip(scalar).getFloat(0), 0f);
        assertTrue(roundTrip(Nd4j.empty(DataType.FLOAT)).isEmpty());
    }

    @Test
    void viewsAndFortranOrderAreWrittenAsTheirValuesInCOrder() {
        INDArray base = Nd4j.arange(0, 60).castTo(DataType.FLOAT).reshape(3, 4, 5);
        INDArray view = base.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.interval(2, 5));
        assertTrue(view.isView());
        assertEquals(view, roundTrip(view));
        INDArray fOrder = base.dup('f');
        assertEquals(base, roundTrip(fOrder));
        INDArray transposed = Nd4j.arange(0, 6).castTo(DataType.FLOAT).reshape(2, 3).transpose();
        assertEquals(transposed, roundTrip(transposed));
    }

    @Test
    void aMinibatchSurvivesSparksKryoAsThePipelineConfiguresIt() {
        SparkConf conf = SparkSessionFactory.sparkConf(ConfigLoader.load(null, List.of()), "ArrayBytesTest");
        assertTrue(conf.get("spark.kryo.registrator").contains(PipelineKryoRegistrator.class.getName()));
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        Nd4j.getRandom().setSeed(2);
        INDArray features = Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32);
        DataSet batch = new DataSet(features.get(NDArrayIndex.interval(0, 5)), Nd4j.eye(5).castTo(DataType.FLOAT));
        DataSet back = kryo.deserialize(kryo.serialize(batch, scala.reflect.ClassTag$.MODULE$.apply(DataSet.class)),
                scala.reflect.ClassTag$.MODULE$.apply(DataSet.class));
        assertEquals(batch.getFeatures(), back.getFeatures());
        assertEquals(batch.getLabels(), back.getLabels());
        assertEquals(5, back.numExamples());
    }
}
