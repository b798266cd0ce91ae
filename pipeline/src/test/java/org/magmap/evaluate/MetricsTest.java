package org.magmap.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void regressionSumsGiveTheTextbookValues() {
        // truth 1, 2, 3, 4; predictions 1, 2, 3, 5: SSE = 1, SST = 5 (mean 2.5), so MSE = 0.25 and R^2 = 0.8
        RegressionSums a = RegressionSums.EMPTY.add(1, 1, 2.5).add(2, 2, 2.5);
        RegressionSums b = RegressionSums.EMPTY.add(3, 3, 2.5).add(4, 5, 2.5);
        RegressionSums s = a.merge(b);
        assertEquals(0.25, s.mse(), 1e-12);
        assertEquals(0.8, s.r2(), 1e-12);
        // predicting the mean 2.5 everywhere: squared errors 2.25, 0.25, 0.25, 2.25 -> 1.25
        assertEquals(1.25, s.constantBaselineMse(), 1e-12);
    }

    @Test
    void histogramQuantilesAreWithinOneBinAndMergeable() {
        DeviationHistogram h = DeviationHistogram.empty(10, 1000);
        DeviationHistogram g = DeviationHistogram.empty(10, 1000);
        for (int i = 1; i <= 100; i++) {
            h = h.add(i * 0.05); // 0.05 .. 5.0
            g = g.add(20); // overflow
        }
        DeviationHistogram m = h.merge(g);
        assertEquals(200, m.total());
        assertEquals(2.5, h.quantile(0.5), 0.01, "median of 0.05..5.0 is 2.5 (to one bin, 0.01)");
        assertEquals(Double.POSITIVE_INFINITY, m.quantile(0.9));
    }
}
