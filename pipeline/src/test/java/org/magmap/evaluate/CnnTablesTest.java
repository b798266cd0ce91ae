package org.magmap.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The CNN's CSV rows and the predicted-versus-true grid. */
class CnnTablesTest {
    /**
     * The CSV header names every value a row writes (the first cut wrote r2 without a header column): a group
     * with truth 1, 2, 3, 4, predictions 1, 2, 3, 5 (MSE 0.25, R^2 0.8, training mean 2.5 -> 1.25, see
     * MetricsTest) and a baseline on two patches with errors 1 and 3 (MSE 5).
     */
    @Test
    void tableRowsHaveTheHeadersColumnsWithTheBaselineBesideTheModel() {
        ComparisonAccumulator acc = new ComparisonAccumulator(new ComparisonAccumulator.Settings(2.5, 5, 500, 0, 8, 4));
        double[] truth = {1, 2, 3, 4};
        double[] model = {1, 2, 3, 5};
        double[] baseline = {2, Double.NaN, 6, Double.NaN};
        for (int i = 0; i < 4; i++) {
            acc.add("g", truth[i], model[i], baseline[i]);
        }
        String row = CnnTables.tableRow("test", "unseen-b4", acc.result().get("g"));
        String[] header = ("split,simulation," + CnnTables.TABLE_COLUMNS).split(",");
        String[] values = row.strip().split(",", -1);
        assertEquals(header.length, values.length, row);
        java.util.Map<String, String> v = new java.util.HashMap<>();
        for (int i = 0; i < header.length; i++) {
            v.put(header[i], values[i]);
        }
        assertEquals(4, Long.parseLong(v.get("patches")));
        assertEquals(0.25, Double.parseDouble(v.get("mse")), 1e-9);
        assertEquals(0.8, Double.parseDouble(v.get("r2")), 1e-9);
        assertEquals(1.25, Double.parseDouble(v.get("mse_of_training_mean")), 1e-9);
        assertEquals(2, Long.parseLong(v.get("equipartition_patches")));
        assertEquals(5.0, Double.parseDouble(v.get("equipartition_mse")), 1e-9);

        ComparisonAccumulator none =
                new ComparisonAccumulator(new ComparisonAccumulator.Settings(2.5, 5, 500, 0, 8, 4));
        none.add("g", 1, 1.5, Double.NaN);
        String[] empty =
                CnnTables.tableRow("test", "x", none.result().get("g")).strip().split(",", -1);
        assertEquals(header.length, empty.length);
        assertEquals("", empty[empty.length - 1], "no baseline: empty cells, not NaN");
    }

    @Test
    void theDensityGridWidensTheTrueRangeByAQuarterEachSide() {
        // truth 1..5 uG: span 4, so [0, 6); one value only: a span of max(|value|, 1)
        assertEquals(0.0, CnnTables.densityRange(1, 5)[0], 1e-12);
        assertEquals(6.0, CnnTables.densityRange(1, 5)[1], 1e-12);
        assertEquals(3.0, CnnTables.densityRange(4, 4)[0], 1e-12);
        assertEquals(5.0, CnnTables.densityRange(4, 4)[1], 1e-12);
    }
}
