package org.magmap.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AlignmentMeasureTest {
    private static float[] constant(int n, double deg) {
        float[] m = new float[n];
        Arrays.fill(m, (float) deg);
        return m;
    }

    private static float[] ramp(int n) {
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = (float) (i * 7.3 % 180.0);
        }
        return m;
    }

    private static float[] plus(float[] m, double deg) {
        float[] out = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            out[i] = (float) (m[i] + deg);
        }
        return out;
    }

    @Test
    void parallelDiagonalAndPerpendicular() {
        float[] a = ramp(50);
        // cos(0) = 1, cos(90 deg) = 0, cos(180 deg) = -1; float angles limit the precision to ~1e-6
        assertEquals(1.0, AlignmentMeasure.of(a, a), 1e-6);
        assertEquals(0.0, AlignmentMeasure.of(a, plus(a, 45)), 1e-6);
        assertEquals(-1.0, AlignmentMeasure.of(a, plus(a, 90)), 1e-6);
        assertEquals(-1.0, AlignmentMeasure.of(a, plus(a, -90)), 1e-6);
    }

    @Test
    void adding180DegreesChangesNothing() {
        float[] a = ramp(40);
        float[] b = plus(a, 30); // cos 60 deg = 0.5
        assertEquals(0.5, AlignmentMeasure.of(a, b), 1e-6);
        assertEquals(0.5, AlignmentMeasure.of(plus(a, 180), b), 1e-6);
        assertEquals(0.5, AlignmentMeasure.of(a, plus(b, 180)), 1e-6);
        assertEquals(0.5, AlignmentMeasure.of(a, plus(b, -540)), 1e-6);
    }

    @Test
    void nanPixelsAreSkipped() {
        float[] a = constant(4, 10);
        float[] b = {10, Float.NaN, 100, 10};
        a[3] = Float.NaN;
        // finite pairs: pixel 0 (cos 0 = 1) and pixel 2 (cos 180 deg = -1): mean 0
        assertEquals(0.0, AlignmentMeasure.of(a, b), 1e-6);
        float[] perPixel = AlignmentMeasure.perPixel(a, b);
        assertEquals(1.0, perPixel[0], 1e-6);
        assertTrue(Float.isNaN(perPixel[1]));
        assertEquals(-1.0, perPixel[2], 1e-6);
        assertTrue(Float.isNaN(perPixel[3]));
    }

    @Test
    void nanWhenNoPixelIsFinite() {
        float[] a = {Float.NaN, 3};
        float[] b = {4, Float.NaN};
        assertTrue(Double.isNaN(AlignmentMeasure.of(a, b)));
        assertTrue(Double.isNaN(AlignmentMeasure.of(new float[0], new float[0])));
        assertTrue(Double.isNaN(AlignmentMeasure.of(constant(2, 0), constant(2, 0), new float[] {0, 0})));
    }

    @Test
    void weightsAverageAndNaNWeightsSkip() {
        float[] a = {0, 0, 0};
        float[] b = {0, 90, 45};
        // (3 * 1 + 1 * (-1)) / 4 = 0.5; the NaN-weighted pixel is left out
        assertEquals(0.5, AlignmentMeasure.of(a, b, new float[] {3, 1, Float.NaN}), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> AlignmentMeasure.of(a, b, new float[] {1, -1, 1}));
        assertThrows(IllegalArgumentException.class, () -> AlignmentMeasure.of(a, new float[2]));
    }
}
