package org.sparkcnn.pipeline.augment;

/**
 * Resamples a channel-major image once through an {@link AffineMatrix} with bilinear interpolation and a
 * {@link FillMode}: scipy.ndimage's {@code affine_transform(order=1, mode=..., cval=...)} per channel, which is what
 * Keras' {@code apply_affine_transform} calls. The arithmetic follows scipy's (coordinates, tap weights
 * {@code w0 = 1 - frac, w1 = 1 - w0}, the sum over the 2x2 taps in row-major order, accumulated in double and
 * stored as float), so results agree with scipy's to the last float bit up to differences in the matrix entries.
 */
final class Resampler {
    private Resampler() {}

    /**
     * @param src  {@code [c, h, w]} input, not modified
     * @param dst  {@code [c, h, w]} output, fully overwritten
     */
    static void bilinear(float[] src, int c, int h, int w, AffineMatrix m, FillMode mode, double cval, float[] dst) {
        int plane = h * w;
        float fill = (float) cval;
        int lastRow = h - 1;
        int lastCol = w - 1;
        for (int r = 0; r < h; r++) {
            // scipy sums shift + row * m0 + col * m1 in this order; the first two terms are the same for a row.
            double rowR = m.m02();
            rowR += r * m.m00();
            double rowC = m.m12();
            rowC += r * m.m10();
            for (int col = 0; col < w; col++) {
                int out = r * w + col;
                double ir = rowR + col * m.m01();
                double ic = rowC + col * m.m11();
                int r0;
                int r1;
                int c0;
                int c1;
                double wr0;
                double wc0;
                if (ir >= 0 && ir < lastRow && ic >= 0 && ic < lastCol) {
                    // Inside: no fill mode applies and both taps are in the image (the common case).
                    r0 = (int) ir;
                    c0 = (int) ic;
                    r1 = r0 + 1;
                    c1 = c0 + 1;
                    wr0 = 1.0 - (ir - r0);
                    wc0 = 1.0 - (ic - c0);
                } else {
                    double cr = mode.mapCoordinate(ir, h);
                    double cc = mode.mapCoordinate(ic, w);
                    if (mode != FillMode.NEAREST && !(cr > -1.0 && cc > -1.0)) {
                        for (int ch = 0; ch < c; ch++) {
                            dst[ch * plane + out] = fill;
                        }
                        continue;
                    }
                    double floorR = Math.floor(cr);
                    double floorC = Math.floor(cc);
                    long startR = (long) floorR;
                    long startC = (long) floorC;
                    wr0 = 1.0 - (cr - floorR);
                    wc0 = 1.0 - (cc - floorC);
                    if (startR < 0 || startR + 1 >= h) {
                        r0 = mode.mapIndex(startR, h);
                        r1 = mode.mapIndex(startR + 1, h);
                    } else {
                        r0 = (int) startR;
                        r1 = r0 + 1;
                    }
                    if (startC < 0 || startC + 1 >= w) {
                        c0 = mode.mapIndex(startC, w);
                        c1 = mode.mapIndex(startC + 1, w);
                    } else {
                        c0 = (int) startC;
                        c1 = c0 + 1;
                    }
                }
                double wr1 = 1.0 - wr0;
                double wc1 = 1.0 - wc0;
                int o00 = r0 * w + c0;
                int o01 = r0 * w + c1;
                int o10 = r1 * w + c0;
                int o11 = r1 * w + c1;
                for (int ch = 0, base = 0; ch < c; ch++, base += plane) {
                    double t = 0.0;
                    t += src[base + o00] * wr0 * wc0;
                    t += src[base + o01] * wr0 * wc1;
                    t += src[base + o10] * wr1 * wc0;
                    t += src[base + o11] * wr1 * wc1;
                    dst[base + out] = (float) t;
                }
            }
        }
    }
}
