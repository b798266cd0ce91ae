package org.magmap.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class NormalizationTest {
    @Test
    void eachRuleOnAHandComputedPatch() {
        // values 1, 2, 3, 6: mean 3, population std sqrt((4 + 1 + 0 + 9) / 4) = sqrt(3.5), max 6
        float[] z = {1, 2, 3, 6};
        Normalization.ZSCORE.apply(z);
        double s = Math.sqrt(3.5);
        assertArrayEquals(new float[] {(float) (-2 / s), (float) (-1 / s), 0f, (float) (3 / s)}, z, 1e-6f);
        float[] m = {1, 2, 3, 6};
        Normalization.MAX.apply(m);
        assertArrayEquals(new float[] {1 / 6f, 2 / 6f, 0.5f, 1f}, m, 1e-6f);
        float[] r = {1, 2, 3, 6};
        Normalization.RELATIVE.apply(r);
        assertArrayEquals(new float[] {-2 / 3f, -1 / 3f, 0f, 1f}, r, 1e-6f);
    }

    @Test
    void relativeKeepsTheContrastThatZscoreRemoves() {
        // Two patches with the same shape but 1% and 10% fluctuations: zscore makes them identical, relative does not
        float[] weak = {0.99f, 1.01f, 0.99f, 1.01f};
        float[] strong = {0.9f, 1.1f, 0.9f, 1.1f};
        float[] zw = weak.clone();
        float[] zs = strong.clone();
        Normalization.ZSCORE.apply(zw);
        Normalization.ZSCORE.apply(zs);
        assertArrayEquals(zw, zs, 1e-5f);
        Normalization.RELATIVE.apply(weak);
        Normalization.RELATIVE.apply(strong);
        assertArrayEquals(new float[] {-0.01f, 0.01f, -0.01f, 0.01f}, weak, 1e-6f);
        assertArrayEquals(new float[] {-0.1f, 0.1f, -0.1f, 0.1f}, strong, 1e-6f);
    }

    @Test
    void aPatchWithoutPositiveMeanBecomesZerosUnderRelative() {
        float[] x = {-1, 1};
        Normalization.RELATIVE.apply(x);
        assertArrayEquals(new float[] {0, 0}, x, 0f);
    }
}
