package org.magmap.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FieldLineSmoothingTest {
    private static final int N = 32;

    @Test
    void aUniformFieldSmoothsAlongItAsADiscreteGaussianAndLeavesTheCrossDirectionAlone() {
        float[][] b = uniform(1, 0, 0);
        int k = 3;
        float[] along = new float[N * N * N];
        float[] across = new float[N * N * N];
        for (int z = 0; z < N; z++) {
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    along[(z * N + y) * N + x] = (float) Math.cos(2 * Math.PI * k * x / N);
                    across[(z * N + y) * N + x] = (float) Math.cos(2 * Math.PI * k * y / N);
                }
            }
        }
        double sigma = 2.0;
        float[][] out = FieldLineSmoothing.smooth(N, b[0], b[1], b[2], sigma, along, across);
        // Steps of one cell along x from a cell centre land on cell centres: the result is the cosine times the
        // discrete Gaussian's transfer function, sum_s w_s cos(2 pi k s / N) / sum_s w_s over s = -6..6.
        double num = 0;
        double den = 0;
        for (int s = -6; s <= 6; s++) {
            double w = Math.exp(-0.5 * s * s / (sigma * sigma));
            num += w * Math.cos(2 * Math.PI * k * s / N);
            den += w;
        }
        double transfer = num / den;
        for (int i = 0; i < along.length; i++) {
            assertEquals(transfer * along[i], out[0][i], 2e-6);
            assertEquals(across[i], out[1][i], 2e-6);
        }
        // The inputs are not touched.
        assertEquals(1f, along[0]);
    }

    @Test
    void circularFieldLinesKeepWhatIsConstantOnThemAndAverageWhatVariesAlongThem() {
        // B = z x (r - c): circles about the box axis. r^2 is constant on each line; cos(4 theta) varies along it.
        double c = N / 2.0;
        float[][] b = new float[3][N * N * N];
        float[] radiusSquared = new float[N * N * N];
        float[] angular = new float[N * N * N];
        for (int z = 0; z < N; z++) {
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    int i = (z * N + y) * N + x;
                    double dx = x - c;
                    double dy = y - c;
                    b[0][i] = (float) -dy;
                    b[1][i] = (float) dx;
                    radiusSquared[i] = (float) (dx * dx + dy * dy);
                    angular[i] = (float) Math.cos(4 * Math.atan2(dy, dx));
                }
            }
        }
        double sigma = 2.0;
        float[][] out = FieldLineSmoothing.smooth(N, b[0], b[1], b[2], sigma, radiusSquared, angular);
        int checked = 0;
        for (int y = 0; y < N; y++) {
            for (int x = 0; x < N; x++) {
                double r = Math.hypot(x - c, y - c);
                if (r < 8 || r > 12) {
                    continue;
                }
                int i = (5 * N + y) * N + x;
                // Constant along the line: kept to the trilinear and midpoint-rule errors (well under 2 %).
                assertEquals(radiusSquared[i], out[0][i], 0.02 * radiusSquared[i], "r^2 at r = " + r);
                // Arc length s turns the angle by s / r: the transfer of cos(4 theta) is sum w_s cos(4 s / r).
                double num = 0;
                double den = 0;
                for (int s = -6; s <= 6; s++) {
                    double w = Math.exp(-0.5 * s * s / (sigma * sigma));
                    num += w * Math.cos(4.0 * s / r);
                    den += w;
                }
                assertEquals(num / den * angular[i], out[1][i], 0.05, "cos(4 theta) at r = " + r);
                checked++;
            }
        }
        assertTrue(checked > 100, "cells checked: " + checked);
    }

    @Test
    void onlyTheFieldsOrientationMattersNotItsSign() {
        // Smoothing follows the line both ways, so B and -B give the same result, here for an oblique field.
        float[][] b = uniform(1, 0.5f, -0.25f);
        float[][] flipped = uniform(-1, -0.5f, 0.25f);
        float[] f = new float[N * N * N];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) Math.sin(0.37 * i);
        }
        float[] a = FieldLineSmoothing.smooth(N, b[0], b[1], b[2], 1.5, f)[0];
        float[] r = FieldLineSmoothing.smooth(N, flipped[0], flipped[1], flipped[2], 1.5, f)[0];
        assertArrayEquals(a, r, 1e-6f);
    }

    @Test
    void zeroLengthIsACopyAndBadLengthsAreRefused() {
        float[][] b = uniform(0, 1, 0);
        float[] f = new float[N * N * N];
        f[7] = 3;
        float[] copy = FieldLineSmoothing.smooth(N, b[0], b[1], b[2], 0, f)[0];
        assertArrayEquals(f, copy);
        assertTrue(copy != f);
        assertThrows(IllegalArgumentException.class, () -> FieldLineSmoothing.smooth(N, b[0], b[1], b[2], -1, f));
        assertThrows(
                IllegalArgumentException.class, () -> FieldLineSmoothing.smooth(N, b[0], b[1], b[2], 1, new float[8]));
    }

    private static float[][] uniform(float x, float y, float z) {
        float[][] b = new float[3][N * N * N];
        java.util.Arrays.fill(b[0], x);
        java.util.Arrays.fill(b[1], y);
        java.util.Arrays.fill(b[2], z);
        return b;
    }
}
