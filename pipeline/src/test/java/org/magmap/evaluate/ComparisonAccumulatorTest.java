package org.magmap.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonAccumulatorTest {
    // constant 2.5, deviations on [0, 10) in 100 bins, density grid [0, 8) in 4 cells of 2 per axis
    private static final ComparisonAccumulator.Settings SETTINGS =
            new ComparisonAccumulator.Settings(2.5, 10, 100, 0, 8, 4);

    @Test
    void modelAndBaselineGetTextbookValuesPerGroup() {
        ComparisonAccumulator a = new ComparisonAccumulator(SETTINGS);
        // truth 1, 2, 3, 4; model 1, 2, 3, 5 (MSE 0.25, R^2 0.8, see MetricsTest);
        // baseline 2, NaN, 6, 4: only three patches have one, errors 1, 3, 0 -> MSE 10/3
        double[] truth = {1, 2, 3, 4};
        double[] model = {1, 2, 3, 5};
        double[] baseline = {2, Double.NaN, 6, 4};
        for (int i = 0; i < 4; i++) {
            a.add(ComparisonAccumulator.ALL, truth[i], model[i], baseline[i]);
            a.add("simulation=" + (i < 2 ? "x" : "y"), truth[i], model[i], baseline[i]);
        }
        Map<String, Comparison> r = a.result();
        Comparison all = r.get(ComparisonAccumulator.ALL);
        assertEquals(4, all.model().sums().n());
        assertEquals(0.25, all.model().sums().mse(), 1e-12);
        assertEquals(0.8, all.model().sums().r2(), 1e-12);
        assertEquals(3, all.baseline().sums().n());
        assertEquals(10.0 / 3.0, all.baseline().sums().mse(), 1e-12);
        // baseline deviations 1, 3, 0: median 1, read at the upper edge of its 0.1-wide bin
        assertEquals(1.1, all.baseline().deviations().quantile(0.5), 1e-9);
        // group y: truth 3, 4; model 3, 5 -> MSE 0.5; baseline 6, 4 -> MSE 4.5
        assertEquals(0.5, r.get("simulation=y").model().sums().mse(), 1e-12);
        assertEquals(4.5, r.get("simulation=y").baseline().sums().mse(), 1e-12);
        // density cells of 2 uG: (truth 1, model 1) -> cell (0, 0); (3, 3) -> (1, 1); (4, 5) -> truth cell 2,
        // estimate cell 2; (2, 2) -> (1, 1)
        long[] cells = all.modelDensity().counts();
        assertEquals(1, cells[0]);
        assertEquals(2, cells[1 * 4 + 1]);
        assertEquals(1, cells[2 * 4 + 2]);
        assertEquals(4, all.modelDensity().total());
        // baseline (3, 6): truth cell 1, estimate cell 3
        assertEquals(1, all.baselineDensity().counts()[3 * 4 + 1]);
        assertEquals(0, r.get("simulation=y").modelDensity().bins(), "only the whole split gets grids");
    }

    @Test
    void mergingPartitionsEqualsOnePass() {
        ComparisonAccumulator one = new ComparisonAccumulator(SETTINGS);
        ComparisonAccumulator p1 = new ComparisonAccumulator(SETTINGS);
        ComparisonAccumulator p2 = new ComparisonAccumulator(SETTINGS);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        for (int i = 0; i < 500; i++) {
            double t = 8 * rng.nextDouble();
            double m = t + rng.nextGaussian();
            double b = i % 7 == 0 ? Double.NaN : t * 1.5; // off the grid for t > 5.33: counted outside
            String g = "noise_ratio=" + (i % 3);
            for (ComparisonAccumulator acc : new ComparisonAccumulator[] {one, i % 2 == 0 ? p1 : p2}) {
                acc.add(ComparisonAccumulator.ALL, t, m, b);
                acc.add(g, t, m, b);
            }
        }
        Map<String, Comparison> serial = one.result();
        Map<String, Comparison> a = p1.result();
        Map<String, Comparison> b = p2.result();
        for (String k : serial.keySet()) {
            Comparison merged = a.get(k).merge(b.get(k));
            assertEquals(serial.get(k).model().deviations(), merged.model().deviations(), k);
            assertEquals(
                    serial.get(k).baseline().deviations(), merged.baseline().deviations(), k);
            assertEquals(serial.get(k).modelDensity(), merged.modelDensity(), k);
            assertEquals(serial.get(k).baselineDensity(), merged.baselineDensity(), k);
            assertEquals(
                    serial.get(k).model().sums().mse(), merged.model().sums().mse(), 1e-12, k);
        }
        assertEquals(500, serial.get(ComparisonAccumulator.ALL).modelDensity().total());
    }

    @Test
    void gridsOfDifferentShapeDoNotMerge() {
        assertThrows(IllegalArgumentException.class, () -> JointHistogram.empty(0, 1, 4)
                .merge(JointHistogram.empty(0, 2, 4)));
    }
}
