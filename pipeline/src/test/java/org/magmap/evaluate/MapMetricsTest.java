package org.magmap.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MapMetricsTest {
    @Test
    void orientationDifferenceIsFoldedToAtMostNinetyDegrees() {
        assertEquals(10, MapMetrics.orientationDifferenceDeg(5, -5), 1e-12);
        // 175 and -5 are the same orientation: a field direction is defined modulo 180 deg
        assertEquals(0, MapMetrics.orientationDifferenceDeg(175, -5), 1e-12);
        assertEquals(90, MapMetrics.orientationDifferenceDeg(0, 90), 1e-12);
        assertEquals(20, MapMetrics.orientationDifferenceDeg(80, -80), 1e-12);
        assertTrue(Double.isNaN(MapMetrics.orientationDifferenceDeg(Double.NaN, 3)));
    }

    @Test
    void psnrAndMseFollowTheirDefinitions() {
        // truth spans [0, 2] (range 2); every prediction is off by 0.1: MSE = 0.01,
        // PSNR = 10 log10(2^2 / 0.01) = 10 log10(400) = 26.0206 dB
        MapMetrics.Accumulator a = new MapMetrics.Accumulator(1);
        for (int i = 0; i <= 20; i++) {
            float t = i / 10f;
            a.add(new float[] {t}, new float[] {t + 0.1f}, 0, 0);
        }
        MapMetrics m = a.result();
        assertEquals(0.01, m.mse(0), 1e-6);
        assertEquals(10 * Math.log10(400), m.psnr(0), 1e-3);
        assertEquals(m.psnr(0), m.meanPsnr(), 1e-12);
    }

    @Test
    void alignmentMeasureAndMedianOfAConstantOffset() {
        // Every predicted angle 45 deg off the truth: AM = cos(90 deg) = 0 and the median deviation is 45 deg;
        // 30 deg off: AM = cos(60 deg) = 0.5 (docs/science.md section 5)
        MapMetrics.Accumulator a45 = new MapMetrics.Accumulator(1);
        MapMetrics.Accumulator a30 = new MapMetrics.Accumulator(1);
        Random rng = new Random(3);
        for (int i = 0; i < 1000; i++) {
            double truth = rng.nextDouble() * 180 - 90;
            a45.add(new float[] {0}, new float[] {0}, truth, truth + 45);
            a30.add(new float[] {0}, new float[] {0}, truth, truth - 30 + 180); // a half turn changes nothing
        }
        assertEquals(0, a45.result().alignmentMeasure(), 1e-9);
        assertEquals(45, a45.result().medianPsiDeviationDeg(), 0.11); // one 0.1-deg bin
        assertEquals(0.5, a30.result().alignmentMeasure(), 1e-9);
        assertEquals(30, a30.result().medianPsiDeviationDeg(), 0.11);
    }

    @Test
    void mergingPartsEqualsAccumulatingEverything() {
        Random rng = new Random(7);
        MapMetrics.Accumulator whole = new MapMetrics.Accumulator(2);
        MapMetrics.Accumulator first = new MapMetrics.Accumulator(2);
        MapMetrics.Accumulator second = new MapMetrics.Accumulator(2);
        for (int i = 0; i < 500; i++) {
            float[] t = {(float) rng.nextGaussian(), (float) rng.nextGaussian()};
            float[] p = {(float) rng.nextGaussian(), (float) rng.nextGaussian()};
            double a = rng.nextDouble() * 180;
            double b = rng.nextDouble() * 180;
            whole.add(t, p, a, b);
            (i % 3 == 0 ? first : second).add(t, p, a, b);
        }
        MapMetrics merged = first.result().merge(second.result());
        MapMetrics all = whole.result();
        assertEquals(all.pixels(), merged.pixels());
        assertEquals(all.mse(), merged.mse(), 1e-12);
        assertEquals(all.psnr(1), merged.psnr(1), 1e-9);
        assertEquals(all.alignmentMeasure(), merged.alignmentMeasure(), 1e-12);
        assertEquals(all.medianPsiDeviationDeg(), merged.medianPsiDeviationDeg(), 1e-12);
    }
}
