package org.sparkcnn.pipeline.augment;

import java.io.Serializable;

/**
 * An output-to-input map in array coordinates, as scipy's {@code affine_transform} takes it:
 * {@code inputRow = m02 + outputRow * m00 + outputCol * m01} and
 * {@code inputCol = m12 + outputRow * m10 + outputCol * m11}.
 */
public record AffineMatrix(double m00, double m01, double m02,
                           double m10, double m11, double m12) implements Serializable {

    public static final AffineMatrix IDENTITY = new AffineMatrix(1, 0, 0, 0, 1, 0);

    /**
     * The single matrix of Keras' {@code apply_affine_transform}: {@code rotation . shift . shear . zoom} in
     * (x = column, y = row) coordinates, each factor included only when it is not neutral, then moved to the image
     * centre ({@code transform_matrix_offset_center}: {@code offset . M . reset} with the centre at
     * {@code size / 2 - 0.5}), then expressed in (row, column) array coordinates. Our {@code tx} moves rows and
     * {@code ty} columns, and each axis is centred on its own size (see the package documentation).
     *
     * @return {@link #IDENTITY} when the parameters' geometry is neutral
     */
    public static AffineMatrix keras(AugmentParams p, int height, int width) {
        double[][] m = null;
        if (p.theta() != 0) {
            double t = Math.toRadians(p.theta());
            m = new double[][] {{Math.cos(t), -Math.sin(t), 0}, {Math.sin(t), Math.cos(t), 0}, {0, 0, 1}};
        }
        if (p.tx() != 0 || p.ty() != 0) {
            double[][] shift = {{1, 0, p.ty()}, {0, 1, p.tx()}, {0, 0, 1}};
            m = m == null ? shift : dot(m, shift);
        }
        if (p.shear() != 0) {
            double s = Math.toRadians(p.shear());
            double[][] shear = {{1, -Math.sin(s), 0}, {0, Math.cos(s), 0}, {0, 0, 1}};
            m = m == null ? shear : dot(m, shear);
        }
        if (p.zx() != 1 || p.zy() != 1) {
            double[][] zoom = {{p.zx(), 0, 0}, {0, p.zy(), 0}, {0, 0, 1}};
            m = m == null ? zoom : dot(m, zoom);
        }
        if (m == null) {
            return IDENTITY;
        }
        double ox = width / 2.0 - 0.5;
        double oy = height / 2.0 - 0.5;
        double[][] offset = {{1, 0, ox}, {0, 1, oy}, {0, 0, 1}};
        double[][] reset = {{1, 0, -ox}, {0, 1, -oy}, {0, 0, 1}};
        m = dot(dot(offset, m), reset);
        // (x, y) = (column, row) to (row, column): swap both rows and columns of the 2x2 part (M' = PMP).
        return new AffineMatrix(m[1][1], m[1][0], m[1][2], m[0][1], m[0][0], m[0][2]);
    }

    /** Exactly the identity: resampling can be skipped. */
    public boolean isIdentity() {
        return equals(IDENTITY);
    }

    /** The input row read for output pixel (row, col), summed in scipy's order. */
    public double inputRow(int row, int col) {
        double t = m02;
        t += row * m00;
        t += col * m01;
        return t;
    }

    /** The input column read for output pixel (row, col), summed in scipy's order. */
    public double inputCol(int row, int col) {
        double t = m12;
        t += row * m10;
        t += col * m11;
        return t;
    }

    private static double[][] dot(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += a[i][k] * b[k][j];
                }
                c[i][j] = s;
            }
        }
        return c;
    }
}
