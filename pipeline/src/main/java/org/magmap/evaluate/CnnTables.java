package org.magmap.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.magmap.predict.ModelBytes;
import org.magmap.spark.RandomSubset;

/**
 * The scalar CNN measured the way the cluster paper does: MSE per simulation (its Table 2, in the target's unit
 * squared) beside the MSE of predicting the training mean, and the deviation |prediction - truth| per view angle
 * and per noise level (median, 90th percentile and histogram: the papers' robustness tests). For the field
 * strength B the equipartition baseline (make-patches' {@code b_eq_ug}, Beck &amp; Krause 2005; docs/science.md
 * section 5) is measured the same way beside it. Each patch is predicted once, on the executors; only per-group
 * sums and histograms come back. The figures are drawn from {@link Result#groups} by the report package.
 */
public final class CnnTables {
    /** The cluster paper's Table 2 with the equipartition baseline beside the CNN. */
    public static final String PER_SIMULATION = "mse-per-simulation.csv";
    /** The same columns per view angle. */
    public static final String PER_VIEW = "metrics-per-view.csv";
    /** The make-patches column holding the equipartition baseline. */
    public static final String EQUIPARTITION_COLUMN = "b_eq_ug";
    /**
     * A derived group: "true" for a map (simulation snapshot) some of whose patches are in the train split, so
     * its test patches come from held-out blocks of a map the model trained on; "false" for a map it never saw.
     * The cluster paper's question, and the R^2 target, is about the first kind pooled together.
     */
    public static final String TRAINED_MAP = "trained_map";
    /** Groups reported beside the whole split. */
    static final List<String> GROUPS = List.of("simulation", "inclination_deg", "noise_ratio", TRAINED_MAP);

    /** Columns of both CSV tables after the group; empty where a value does not exist (no baseline). */
    public static final String TABLE_COLUMNS = "patches,mse,r2,mse_of_training_mean,median_deviation,"
            + "equipartition_patches,equipartition_mse,equipartition_median_deviation";

    private CnnTables() {}

    /**
     * What the model is measured on and with.
     *
     * @param target the Parquet column the model predicts
     * @param trainingMean the target's training mean (the constant predictor the MSE is compared with)
     * @param histogramMax upper end of the deviation histograms, in the target's unit
     * @param bins deviation histogram bins
     * @param densityBins bins per axis of the predicted-versus-true grid
     */
    public record Settings(
            String target,
            double trainingMean,
            List<String> splits,
            long maxPatchesPerSplit,
            double histogramMax,
            int bins,
            int densityBins) {}

    /**
     * What one evaluation gives.
     *
     * @param baseline the baseline column ({@link #EQUIPARTITION_COLUMN}), or null where there is none
     * @param perSplit the JSON entries per split
     * @param perSimulation the per-simulation CSV table
     * @param perView the per-view CSV table
     * @param groups per split with patches, its comparisons keyed "column=value" (and {@link
     *     ComparisonAccumulator#ALL})
     * @param summary lines for the job's summary
     */
    public record Result(
            String baseline,
            Map<String, Object> perSplit,
            String perSimulation,
            String perView,
            Map<String, Map<String, Comparison>> groups,
            List<String> summary) {}

    /** The baseline column for a target, or null: the equipartition estimates B only, and patches of schema 1 lack it. */
    public static String baselineFor(String target, Dataset<Row> patches) {
        return target.equals("b_ug") && List.of(patches.columns()).contains(EQUIPARTITION_COLUMN)
                ? EQUIPARTITION_COLUMN
                : null;
    }

    /** What the result's "baseline" entry says. */
    public static String describeBaseline(String target, String baseline) {
        return baseline != null
                ? "equipartition (" + EQUIPARTITION_COLUMN + ", Beck & Krause 2005)"
                : "none ("
                        + (target.equals("b_ug")
                                ? "patches without " + EQUIPARTITION_COLUMN
                                : "no baseline for " + target)
                        + ")";
    }

    /**
     * Measures the model on each split.
     *
     * @param model the saved network's bytes
     * @param all the patches the model takes, with the {@link #TRAINED_MAP} column
     * @param unit the target's unit, for the summary lines
     */
    public static Result evaluate(JavaSparkContext jsc, ModelBytes model, Dataset<Row> all, Settings s, String unit) {
        String target = s.target();
        String baseline = baselineFor(target, all);
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Map<String, Comparison>> bySplit = new LinkedHashMap<>();
        List<String> summary = new ArrayList<>();
        StringBuilder perSimulation = new StringBuilder("split,simulation," + TABLE_COLUMNS + "\n");
        StringBuilder perView = new StringBuilder("split,inclination_deg," + TABLE_COLUMNS + "\n");
        for (String split : s.splits()) {
            Dataset<Row> part = RandomSubset.atMost(
                    all.filter(functions.col("split").equalTo(split)), s.maxPatchesPerSplit(), -1, 1);
            // The density grid spans the truth and the baseline, so an offset baseline still lands on the plot
            // (predictions outside are counted as off the plot).
            String spanned = baseline != null ? baseline : target;
            Row range = part.agg(
                            functions.least(functions.min(target), functions.min(spanned)),
                            functions.greatest(functions.max(target), functions.max(spanned)),
                            functions.count(functions.lit(1)))
                    .first(); // three numbers: the density grid's range
            if (range.getLong(2) == 0) {
                result.put(split, Map.of("patches", 0));
                summary.add("split '" + split + "' has no patches");
                continue;
            }
            double[] grid = densityRange(range.getDouble(0), range.getDouble(1));
            Map<String, Comparison> groups = CnnComparison.compare(
                    jsc,
                    model,
                    part,
                    target,
                    baseline,
                    GROUPS,
                    new ComparisonAccumulator.Settings(
                            s.trainingMean(), s.histogramMax(), s.bins(), grid[0], grid[1], s.densityBins()),
                    256);
            bySplit.put(split, groups);
            Map<String, Object> perSplit = new LinkedHashMap<>();
            perSplit.put("all", describe(groups.get(ComparisonAccumulator.ALL)));
            for (String group : GROUPS) {
                Map<String, Comparison> g = byGroup(groups, group);
                Map<String, Object> rows = new LinkedHashMap<>();
                g.forEach((k, c) -> rows.put(k, describe(c)));
                perSplit.put("by-" + group, rows);
            }
            result.put(split, perSplit);
            byGroup(groups, "simulation").forEach((k, c) -> perSimulation.append(tableRow(split, k, c)));
            byGroup(groups, TRAINED_MAP).forEach((trained, c) -> summary.add(pooledLine(split, trained, c, unit)));
            byGroup(groups, "inclination_deg").forEach((k, c) -> perView.append(tableRow(split, k, c)));
        }
        summary.add("MSE per simulation:\n" + perSimulation.toString().strip());
        return new Result(baseline, result, perSimulation.toString(), perView.toString(), bySplit, summary);
    }

    /**
     * The patches with the {@link #TRAINED_MAP} column: whether the model was fitted to patches of their map
     * (from its card, not from these patches' own splits, which another split configuration may have drawn
     * differently).
     *
     * @param seen the simulations the model has seen ({@link org.magmap.artifact.ModelCard#simulationsSeen})
     */
    public static Dataset<Row> withTrainedMap(Dataset<Row> patches, java.util.Collection<String> seen) {
        return patches.withColumn(TRAINED_MAP, functions.col("simulation").isin(seen.toArray()));
    }

    /** One CSV row: the model's metrics and the baseline's beside them, in the columns of {@link #TABLE_COLUMNS}. */
    public static String tableRow(String split, String group, Comparison c) {
        RegressionSums m = c.model().sums();
        RegressionSums b = c.baseline().sums();
        boolean hasBaseline = b.n() > 0;
        return String.join(
                        ",",
                        split,
                        group,
                        Long.toString(m.n()),
                        number(m.mse()),
                        number(m.r2()),
                        number(m.constantBaselineMse()),
                        number(c.model().deviations().quantile(0.5)),
                        Long.toString(b.n()),
                        hasBaseline ? number(b.mse()) : "",
                        hasBaseline ? number(c.baseline().deviations().quantile(0.5)) : "")
                + "\n";
    }

    /** One summary line for the patches of trained (or unseen) maps of a split, pooled. */
    public static String pooledLine(String split, String trained, Comparison c, String unit) {
        RegressionSums m = c.model().sums();
        return String.format(
                Locale.ROOT,
                "%s patches of %s, pooled: %d patches, R^2 %.3f, MSE %.4g %s^2 (predicting the training mean: %.4g)",
                split,
                trained.equals("true") ? "maps the model trained on (held-out blocks)" : "maps the model never saw",
                m.n(),
                m.r2(),
                m.mse(),
                unit,
                m.constantBaselineMse());
    }

    /** Six significant digits; empty for a value that does not exist (NaN, or a median beyond the histogram). */
    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    /** The groups of one column, keyed by the column's value. */
    public static Map<String, Comparison> byGroup(Map<String, Comparison> groups, String column) {
        Map<String, Comparison> out = new TreeMap<>();
        String prefix = column + "=";
        groups.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /**
     * The predicted-versus-true grid: the truth's range widened by a quarter on each side, so predictions a
     * little off still land on it (the rest is counted as outside).
     */
    public static double[] densityRange(double truthMin, double truthMax) {
        double span = truthMax - truthMin;
        if (!(span > 0)) {
            span = Math.max(Math.abs(truthMax), 1);
        }
        return new double[] {truthMin - 0.25 * span, truthMax + 0.25 * span};
    }

    private static Map<String, Object> describe(Comparison c) {
        Map<String, Object> d = describe(c.model());
        if (c.baseline().sums().n() > 0) {
            Map<String, Object> b = describe(c.baseline());
            b.remove("mse-of-predicting-the-training-mean"); // the same patches' value is the model's
            d.put("equipartition", b);
        }
        return d;
    }

    private static Map<String, Object> describe(GroupMetrics m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("patches", m.sums().n());
        d.put("mse", finite(m.sums().mse()));
        d.put("r2", finite(m.sums().r2()));
        d.put("mse-of-predicting-the-training-mean", finite(m.sums().constantBaselineMse()));
        d.put("median-deviation", finite(m.deviations().quantile(0.5)));
        d.put("p90-deviation", finite(m.deviations().quantile(0.9)));
        d.put("histogram-max", m.deviations().max());
        d.put("histogram", m.deviations().counts());
        d.put("histogram-overflow", m.deviations().overflow());
        return d;
    }

    /** JSON has no NaN or infinity: a quantile beyond the histogram (see its overflow) is written as null. */
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
