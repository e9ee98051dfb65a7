package org.sparkcnn.pipeline.augment;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSetAugmenterTest {
    private static final int N = 6;
    private static final int C = 3;
    private static final int H = 10;
    private static final int W = 12;
    private static final long SEED = 42L;

    private static final AugmentConfig TUTORIAL = AugmentConfig.builder().shearRange(0.2).zoomRange(0.2)
            .horizontalFlip(true).widthShiftRange(0.1).heightShiftRange(0.1).rotationRange(20).build();

    /** Raw 0..255 whole values, as the shards hold them. */
    private static float[][] examples() {
        Random rng = new Random(11);
        float[][] xs = new float[N][C * H * W];
        for (float[] x : xs) {
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextInt(256);
            }
        }
        return xs;
    }

    private static DataSet batch(float[][] xs, int[] order) {
        float[] flat = new float[order.length * C * H * W];
        float[] labels = new float[order.length * 2];
        for (int i = 0; i < order.length; i++) {
            System.arraycopy(xs[order[i]], 0, flat, i * C * H * W, C * H * W);
            labels[i * 2 + order[i] % 2] = 1;
        }
        return new DataSet(Nd4j.create(flat, new long[] {order.length, C, H, W}, 'c'),
                Nd4j.create(labels, new long[] {order.length, 2}, 'c'));
    }

    private static long[] ids(int[] order) {
        long[] ids = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            ids[i] = ExampleIds.of("shards/train/part-00000.bin", order[i]);
        }
        return ids;
    }

    private static float[] example(DataSet ds, int i) {
        return ds.getFeatures().get(NDArrayIndex.point(i)).dup('c').reshape(-1).toFloatVector();
    }

    @Test
    void sameSeedEpochAndIdGiveIdenticalPixelsWhateverTheBatchOrderOrSplit() {
        float[][] xs = examples();
        DataSetAugmenter augmenter = new DataSetAugmenter(TUTORIAL);
        int[] inOrder = {0, 1, 2, 3, 4, 5};
        DataSet a = augmenter.augment(batch(xs, inOrder), ids(inOrder), SEED, 3);
        int[] permuted = {4, 2, 5, 0, 3, 1};
        DataSet b = augmenter.augment(batch(xs, permuted), ids(permuted), SEED, 3);
        int[] firstHalf = {3, 1, 5};
        DataSet c = augmenter.augment(batch(xs, firstHalf), ids(firstHalf), SEED, 3);
        for (int i = 0; i < permuted.length; i++) {
            assertArrayEquals(example(a, permuted[i]), example(b, i), "example " + permuted[i]);
        }
        for (int i = 0; i < firstHalf.length; i++) {
            assertArrayEquals(example(a, firstHalf[i]), example(c, i), "example " + firstHalf[i]);
        }
    }

    @Test
    void eachExampleIsWhatAugmentationGivesForItsDrawnParams() {
        float[][] xs = examples();
        int[] order = {0, 1, 2, 3, 4, 5};
        long[] ids = ids(order);
        DataSet out = new DataSetAugmenter(TUTORIAL).augment(batch(xs, order), ids, SEED, 2);
        for (int i = 0; i < N; i++) {
            AugmentParams p = ParamSampler.draw(TUTORIAL, H, W, SEED, 2, ids[i]);
            assertArrayEquals(Augmentation.apply(xs[i], C, H, W, p, TUTORIAL), example(out, i), p.describe());
        }
    }

    @Test
    void anotherEpochGivesOtherPixels() {
        float[][] xs = examples();
        int[] order = {0, 1, 2, 3, 4, 5};
        DataSetAugmenter augmenter = new DataSetAugmenter(TUTORIAL);
        DataSet e1 = augmenter.augment(batch(xs, order), ids(order), SEED, 1);
        DataSet e2 = augmenter.augment(batch(xs, order), ids(order), SEED, 2);
        for (int i = 0; i < N; i++) {
            assertFalse(java.util.Arrays.equals(example(e1, i), example(e2, i)), "example " + i);
        }
    }

    @Test
    void labelsAreKeptAndFeaturesAreFloatInRescaledUnits() {
        float[][] xs = examples();
        int[] order = {0, 1, 2, 3, 4, 5};
        DataSet raw = batch(xs, order);
        DataSet out = new DataSetAugmenter(TUTORIAL).augment(raw, ids(order), SEED, 0);
        assertSame(raw.getLabels(), out.getLabels());
        assertEquals(DataType.FLOAT, out.getFeatures().dataType());
        assertArrayEquals(new long[] {N, C, H, W}, out.getFeatures().shape());
        // bilinear resampling stays inside the inputs' range, so 0..255 becomes 0..1
        assertTrue(out.getFeatures().maxNumber().doubleValue() <= 1.0);
        assertTrue(out.getFeatures().minNumber().doubleValue() >= 0.0);
    }

    @Test
    void withNothingRandomEveryExampleIsItsOwnStandardisationAsAugmentationGivesIt() {
        // the batch is standardised in place, one image at a time: each must match the per-example pure op bit for
        // bit, with the samplewise and featurewise options that read and write the image's own range
        AugmentConfig still = AugmentConfig.builder().samplewiseCenter(true).samplewiseStdNormalization(true)
                .featurewiseCenter(true).featurewiseStdNormalization(true).build();
        FeatureStats stats = new FeatureStats(new float[] {0.1f, -0.2f, 0.3f}, new float[] {1.5f, 0.5f, 2f});
        assertTrue(still.isIdentity());
        float[][] xs = examples();
        int[] order = {0, 1, 2, 3, 4, 5};
        DataSetAugmenter augmenter = new DataSetAugmenter(still, stats);
        DataSet trained = augmenter.augment(batch(xs, order), ids(order), SEED, 4);
        DataSet evaluated = augmenter.rescaleOnly(batch(xs, order));
        for (int i = 0; i < N; i++) {
            AugmentParams p = ParamSampler.draw(still, H, W, SEED, 4, ids(order)[i]);
            float[] expected = Augmentation.apply(xs[i], C, H, W, p, still, stats);
            assertArrayEquals(expected, example(trained, i), "training example " + i);
            assertArrayEquals(Augmentation.standardize(xs[i], C, H, W, still, stats), example(evaluated, i),
                    "evaluation example " + i);
            assertFalse(java.util.Arrays.equals(expected, example(batch(xs, order), i)), "example " + i + " changed");
        }
    }

    @Test
    void rescaleOnlyNeverAugments() {
        float[][] xs = examples();
        int[] order = {0, 1, 2, 3, 4, 5};
        DataSet raw = batch(xs, order);
        DataSet out = new DataSetAugmenter(TUTORIAL).rescaleOnly(raw);
        float scale = (float) (1.0 / 255.0);
        for (int i = 0; i < N; i++) {
            float[] expected = new float[C * H * W];
            for (int j = 0; j < expected.length; j++) {
                expected[j] = xs[i][j] * scale;
            }
            assertArrayEquals(expected, example(out, i));
        }
        assertSame(raw.getLabels(), out.getLabels());
    }

    @Test
    void aRandomCropSetsTheShapeOfTrainingAndValidationBatches() {
        float[][] xs = examples();
        int[] order = {0, 1, 2};
        AugmentConfig cfg = TUTORIAL.toBuilder().randomCrop(8, 9).build();
        DataSetAugmenter augmenter = new DataSetAugmenter(cfg);
        assertArrayEquals(new long[] {3, C, 8, 9}, augmenter.augment(batch(xs, order), ids(order), SEED, 0)
                .getFeatures().shape());
        DataSet validation = augmenter.rescaleOnly(batch(xs, order));
        assertArrayEquals(new long[] {3, C, 8, 9}, validation.getFeatures().shape());
        float[] centre = Augmentation.standardize(xs[1], C, H, W, cfg, null);
        assertArrayEquals(centre, example(validation, 1));
    }

    @Test
    void uint8FeaturesAsWrittenByIngestGiveTheSameResult() {
        float[][] xs = examples();
        int[] order = {0, 1, 2, 3};
        DataSet floats = batch(xs, order);
        INDArray bytes = floats.getFeatures().castTo(DataType.UINT8);
        DataSet uint8 = new DataSet(bytes, floats.getLabels());
        DataSetAugmenter augmenter = new DataSetAugmenter(TUTORIAL);
        assertEquals(augmenter.augment(floats, ids(order), SEED, 5).getFeatures(),
                augmenter.augment(uint8, ids(order), SEED, 5).getFeatures());
    }

    @Test
    void badInputIsRejected() {
        float[][] xs = examples();
        int[] order = {0, 1, 2};
        DataSetAugmenter augmenter = new DataSetAugmenter(TUTORIAL);
        assertThrows(IllegalArgumentException.class,
                () -> augmenter.augment(batch(xs, order), new long[] {1, 2}, SEED, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new DataSetAugmenter(AugmentConfig.builder().featurewiseCenter(true).build()));
        DataSetAugmenter tooBig = new DataSetAugmenter(AugmentConfig.builder().randomCrop(H + 1, W).build());
        assertThrows(IllegalArgumentException.class, () -> tooBig.rescaleOnly(batch(xs, order)));
    }
}
