package org.sparkcnn.pipeline.augment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AffineMatrixTest {
    private static AugmentParams geometry(double theta, double tx, double ty, double shear, double zx, double zy) {
        return new AugmentParams(theta, tx, ty, shear, zx, zy, false, false, Double.NaN, 0, 0, 0);
    }

    @Test
    void composesRotationShiftShearZoomAboutTheCentreLikeKeras() {
        AffineMatrix m = AffineMatrix.keras(Goldens.MIXED, 5, 7);
        double[] numpy = Goldens.MATRIX_MIXED;
        double[] ours = {m.m00(), m.m01(), m.m02(), m.m10(), m.m11(), m.m12()};
        for (int i = 0; i < 6; i++) {
            assertEquals(numpy[i], ours[i], 1e-12, "entry " + i);
        }
    }

    @Test
    void neutralGeometryIsExactlyTheIdentity() {
        AffineMatrix m = AffineMatrix.keras(AugmentParams.IDENTITY, 30, 40);
        assertSame(AffineMatrix.IDENTITY, m);
        assertTrue(m.isIdentity());
        assertFalse(AffineMatrix.keras(geometry(0, 0, 0, 0, 1.0000001, 1), 30, 40).isIdentity());
    }

    @Test
    void shiftIsAPureTranslationRowsByTxColumnsByTy() {
        AffineMatrix m = AffineMatrix.keras(geometry(0, 3, -5, 0, 1, 1), 10, 12);
        assertEquals(new AffineMatrix(1, 0, 3, 0, 1, -5), m);
    }

    @Test
    void zoomScalesColumnsByZxAndRowsByZyAboutTheirOwnCentres() {
        int h = 9;
        int w = 5;
        AffineMatrix m = AffineMatrix.keras(geometry(0, 0, 0, 0, 2, 0.5), h, w);
        assertEquals(new AffineMatrix(0.5, 0, 2.0, 0, 2, -2.0), m);
        assertEquals(4.0, m.inputRow(4, 2), "the centre row (h - 1) / 2 is fixed");
        assertEquals(2.0, m.inputCol(4, 2), "the centre column (w - 1) / 2 is fixed");
    }

    @Test
    void ninetyDegreesMapsOutputToTheTransposedFlippedInput() {
        int n = 5;
        AffineMatrix m = AffineMatrix.keras(geometry(90, 0, 0, 0, 1, 1), n, n);
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                assertEquals(c, m.inputRow(r, c), 1e-12);
                assertEquals(n - 1 - r, m.inputCol(r, c), 1e-12);
            }
        }
    }
}
