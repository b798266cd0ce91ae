package org.magmap.evaluate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.magmap.artifact.ObserveManifest;
import org.magmap.baseline.AlignmentMeasure;
import org.magmap.fits.MapFiles;
import org.magmap.ops.OutputFiles;
import org.magmap.predict.MapTargets;
import org.magmap.predict.ModelBytes;
import org.magmap.spark.RandomSubset;
import scala.Tuple2;

/**
 * The evaluation of the image-to-image model (the conditional ResNet) the way the H I paper reports it: per
 * simulation, view and noise level the median and 90th percentile of |psi_pred - psi_true|, the Alignment Measure
 * of predicted vs true psi, PSNR and the RMSE of each target map in physical units; beside it the AM of the
 * Velocity Gradient Technique baseline vs the truth, computed over the whole observed maps of the same
 * simulations (the VGT needs whole channel maps, not patches). The figures are drawn from {@link
 * Result#byView} by the report package.
 */
public final class ResNetTables {
    /** The per-simulation table's file name in an evaluate output. */
    public static final String TABLE = "maps-per-simulation.csv";

    private static final List<String> GROUPS =
            List.of("simulation", "inclination_deg", "noise_ratio", CnnTables.TRAINED_MAP);
    private static final Pattern INCLINATION = Pattern.compile("^i(\\d+(?:\\.\\d+)?)");

    private ResNetTables() {}

    /**
     * What one evaluation gives.
     *
     * @param perSplit the JSON entries per split (by group, and overall)
     * @param table the per-simulation CSV table
     * @param summary lines for the job's summary
     * @param byView per split, the metrics per inclination (for the psi-deviation figure)
     */
    public record Result(
            Map<String, Object> perSplit,
            String table,
            List<String> summary,
            Map<String, Map<String, MapMetrics>> byView) {}

    /**
     * Measures the model on each split: the JSON entries, the table and the summary lines.
     *
     * @param maxPatchesPerSplit at most this many random patches per split (0: all)
     * @param observeDir the observe output the patches were cut from (for the VGT baseline)
     * @param models the saved model, or an ensemble's (its maps averaged), sharing {@code card}'s inputs and targets
     * @param targets the models' target maps and scaling (from the card)
     * @param all the patches with the {@link CnnTables#TRAINED_MAP} column
     * @param dihedralMean predict each patch as the mean over its eight symmetries ({@link
     *     org.magmap.predict.DihedralMeanRunner})
     */
    public static Result evaluate(
            JavaSparkContext jsc,
            List<ModelBytes> models,
            MapTargets targets,
            Dataset<Row> all,
            List<String> splits,
            long maxPatchesPerSplit,
            String observeDir,
            OutputFiles.HadoopSettings hadoop,
            boolean dihedralMean)
            throws IOException {
        List<String> summary = new ArrayList<>();
        Map<String, Map<String, MapMetrics>> byView = new LinkedHashMap<>();
        Map<String, Object> result = new LinkedHashMap<>();
        StringBuilder table = new StringBuilder("split,simulation,pixels,median_psi_deviation_deg,"
                + "p90_psi_deviation_deg,am_prediction_vs_truth,median_psi_deviation_vgt_patches_deg,"
                + "am_vgt_patches_vs_truth,am_vgt_whole_maps_vs_truth,median_psi_deviation_mean_field_deg,psnr_db,"
                + "median_psi_deviation_centre_half_deg,median_psi_deviation_vgt_patches_centre_half_deg,"
                + "median_psi_deviation_mean_field_centre_half_deg");
        for (int c = 2; c < targets.channels(); c++) {
            table.append(",rmse_").append(targets.columns().get(c).replaceFirst("^t_", ""));
        }
        table.append('\n');
        for (String split : splits) {
            Dataset<Row> ofSplit = all.filter(functions.col("split").equalTo(split));
            long count = ofSplit.count(); // once: the subset's draw and the progress line's total both need it
            Dataset<Row> part = RandomSubset.atMost(ofSplit, maxPatchesPerSplit, count, 1);
            long expected = maxPatchesPerSplit > 0 ? Math.min(count, maxPatchesPerSplit) : count;
            List<String> simulations = part.select("simulation")
                    .distinct()
                    .as(org.apache.spark.sql.Encoders.STRING())
                    .collectAsList(); // one name per simulation
            if (simulations.isEmpty()) {
                result.put(split, Map.of("patches", 0));
                continue;
            }
            Map<String, double[]> vgt = vgtAlignment(jsc, observeDir, Set.copyOf(simulations), hadoop);
            Map<String, Object> perSplit = new LinkedHashMap<>();
            Map<String, Map<String, MapMetrics>> groups =
                    ResNetEvaluation.byColumns(jsc, models, part, targets, 64, GROUPS, true, dihedralMean, expected);
            for (String group : GROUPS) {
                Map<String, MapMetrics> g = groups.get(group);
                Map<String, MapMetrics> vgtOnPatches = groups.get(ResNetEvaluation.VGT_ON_PATCHES + group);
                Map<String, MapMetrics> meanField = groups.get(ResNetEvaluation.MEAN_FIELD + group);
                Region centre = new Region(
                        groups.get(ResNetEvaluation.CENTRE_HALF + group),
                        groups.get(ResNetEvaluation.CENTRE_HALF + ResNetEvaluation.VGT_ON_PATCHES + group),
                        groups.get(ResNetEvaluation.CENTRE_HALF + ResNetEvaluation.MEAN_FIELD + group));
                Map<String, Object> rows = new LinkedHashMap<>();
                g.forEach((k, m) -> {
                    Map<String, Object> d = ResNetEvaluation.describe(m, targets);
                    putReferences(d, vgtOnPatches.get(k), meanField.get(k));
                    putCentre(d, centre, k);
                    double[] baseline = vgtFor(vgt, group, k);
                    if (baseline != null) {
                        d.put("vgt-alignment-measure-whole-maps", baseline[0] / baseline[1]);
                    }
                    rows.put(k, d);
                });
                perSplit.put("by-" + group, rows);
                if (group.equals("simulation")) {
                    g.forEach((k, m) -> {
                        double[] b = vgtFor(vgt, group, k);
                        MapMetrics v = vgtOnPatches.getOrDefault(k, MapMetrics.empty(0));
                        MapMetrics f = meanField.getOrDefault(k, MapMetrics.empty(0));
                        table.append(String.format(
                                Locale.ROOT,
                                "%s,%s,%d,%.3f,%.3f,%.4f,%.3f,%.4f,%.4f,%.3f,%.3f,%.3f,%.3f,%.3f",
                                split,
                                k,
                                m.pixels(),
                                m.medianPsiDeviationDeg(),
                                m.psiDeviation().quantile(0.9),
                                m.alignmentMeasure(),
                                v.medianPsiDeviationDeg(),
                                v.alignmentMeasure(),
                                b == null ? Double.NaN : b[0] / b[1],
                                f.medianPsiDeviationDeg(),
                                m.meanPsnr(),
                                centre.model(k).medianPsiDeviationDeg(),
                                centre.vgt(k).medianPsiDeviationDeg(),
                                centre.meanField(k).medianPsiDeviationDeg()));
                        for (int c = 2; c < targets.channels(); c++) {
                            table.append(
                                    String.format(Locale.ROOT, ",%.4g", Math.sqrt(m.mse(c)) * targets.scales()[c]));
                        }
                        table.append('\n');
                    });
                    MapMetrics total = MapMetrics.sum(targets.channels(), g.values());
                    MapMetrics vgtTotal = MapMetrics.sum(0, vgtOnPatches.values());
                    MapMetrics meanFieldTotal = MapMetrics.sum(0, meanField.values());
                    Map<String, Object> overall = ResNetEvaluation.describe(total, targets);
                    putReferences(overall, vgtTotal, meanFieldTotal);
                    putCentre(overall, centre.total(targets.channels()));
                    perSplit.put("all", overall);
                    summary.add(String.format(
                                    Locale.ROOT,
                                    "%s: median |psi error| %.2f deg, AM %.3f, PSNR %.2f dB over %d simulation(s); ",
                                    split,
                                    total.medianPsiDeviationDeg(),
                                    total.alignmentMeasure(),
                                    total.meanPsnr(),
                                    g.size())
                            + references(vgtTotal, meanFieldTotal));
                }
                if (group.equals(CnnTables.TRAINED_MAP)) {
                    g.forEach((trained, m) -> summary.add(pooledLine(
                            split,
                            trained,
                            m,
                            vgtOnPatches.getOrDefault(trained, MapMetrics.empty(0)),
                            meanField.getOrDefault(trained, MapMetrics.empty(0)),
                            centre.only(trained))));
                }
                if (group.equals("inclination_deg")) {
                    byView.put(split, g);
                }
            }
            result.put(split, perSplit);
        }
        summary.add("per simulation:\n" + table.toString().strip());
        return new Result(result, table.toString(), summary, byView);
    }

    /**
     * One summary line for the pixels of trained (or unseen) maps of a split, pooled: the psi target is
     * about test maps of the training simulations, that is the held-out blocks of maps the model trained on.
     */
    private static String pooledLine(
            String split,
            String trained,
            MapMetrics m,
            MapMetrics vgtOnPatches,
            MapMetrics meanField,
            Region.Metrics centre) {
        return String.format(
                        Locale.ROOT,
                        "%s pixels of %s, pooled: %d pixels, median |psi error| %.2f deg, AM %.3f; ",
                        split,
                        trained.equals("true")
                                ? "maps the model trained on (held-out blocks)"
                                : "maps the model never saw",
                        m.pixels(),
                        m.medianPsiDeviationDeg(),
                        m.alignmentMeasure())
                + references(vgtOnPatches, meanField)
                + String.format(
                        Locale.ROOT,
                        "; centre half of each patch (what tiles overlapping by half keep): model %.2f deg, VGT %.2f,"
                                + " mean field %.2f",
                        centre.model().medianPsiDeviationDeg(),
                        centre.vgt().medianPsiDeviationDeg(),
                        centre.meanField().medianPsiDeviationDeg());
    }

    /**
     * The metrics of the centre half of each patch ({@link ResNetEvaluation#CENTRE_HALF}) for the model and the
     * two references, per group value.
     */
    record Region(Map<String, MapMetrics> models, Map<String, MapMetrics> vgts, Map<String, MapMetrics> meanFields) {
        /** One group value's three metrics. */
        record Metrics(MapMetrics model, MapMetrics vgt, MapMetrics meanField) {}

        MapMetrics model(String k) {
            return models.get(k);
        }

        MapMetrics vgt(String k) {
            return vgts.getOrDefault(k, MapMetrics.empty(0));
        }

        MapMetrics meanField(String k) {
            return meanFields.getOrDefault(k, MapMetrics.empty(0));
        }

        Metrics only(String k) {
            return new Metrics(model(k), vgt(k), meanField(k));
        }

        /** Pooled over every group value. */
        Metrics total(int channels) {
            return new Metrics(
                    MapMetrics.sum(channels, models.values()),
                    MapMetrics.sum(0, vgts.values()),
                    MapMetrics.sum(0, meanFields.values()));
        }
    }

    private static void putCentre(Map<String, Object> d, Region centre, String k) {
        putCentre(d, centre.only(k));
    }

    /** The centre-half medians beside a group's own metrics (references only where they covered any pixel). */
    private static void putCentre(Map<String, Object> d, Region.Metrics centre) {
        d.put("centre-half-median-psi-deviation-deg", centre.model().medianPsiDeviationDeg());
        if (centre.vgt().pixels() > 0) {
            d.put(
                    "centre-half-vgt-on-patches-median-psi-deviation-deg",
                    centre.vgt().medianPsiDeviationDeg());
        }
        if (centre.meanField().pixels() > 0) {
            d.put(
                    "centre-half-mean-field-median-psi-deviation-deg",
                    centre.meanField().medianPsiDeviationDeg());
        }
    }

    /** The two references of a summary line: the VGT on the model's patches and the view's mean field. */
    private static String references(MapMetrics vgtOnPatches, MapMetrics meanField) {
        return String.format(
                Locale.ROOT,
                "VGT on the same patches: median %.2f deg, AM %.3f; the view's mean field alone: median %.2f deg",
                vgtOnPatches.medianPsiDeviationDeg(),
                vgtOnPatches.alignmentMeasure(),
                meanField.medianPsiDeviationDeg());
    }

    /** The references' JSON entries beside a group's own metrics, for those that covered any pixel. */
    private static void putReferences(Map<String, Object> d, MapMetrics vgtOnPatches, MapMetrics meanField) {
        if (vgtOnPatches != null && vgtOnPatches.pixels() > 0) {
            d.put("vgt-on-patches-median-psi-deviation-deg", vgtOnPatches.medianPsiDeviationDeg());
            d.put("vgt-on-patches-alignment-measure", vgtOnPatches.alignmentMeasure());
        }
        if (meanField != null && meanField.pixels() > 0) {
            d.put("mean-field-median-psi-deviation-deg", meanField.medianPsiDeviationDeg());
            d.put("mean-field-alignment-measure", meanField.alignmentMeasure());
        }
    }

    /** The (sum of AM x pixels, pixels) of the VGT baseline for a group value, or null if none. */
    private static double[] vgtFor(Map<String, double[]> vgt, String group, String value) {
        return switch (group) {
            case "simulation" -> vgt.get("simulation|" + value);
            case "inclination_deg" -> vgt.get("inclination|" + Double.parseDouble(value));
            default -> null;
        };
    }

    /**
     * AM of the VGT field angle vs the true psi over each observed map of the given simulations (maps
     * {@code VGT_PSI_DEG} and {@code PSI_DEG} of the observe output), read on the executors; per simulation and
     * per inclination, as (AM x pixels, pixels) sums.
     */
    private static Map<String, double[]> vgtAlignment(
            JavaSparkContext jsc, String observeDir, Set<String> simulations, OutputFiles.HadoopSettings hadoop)
            throws IOException {
        if (!ObserveManifest.exists(observeDir, jsc.hadoopConfiguration())) {
            return Map.of(); // the observe output is gone: no baseline, the model figures stand alone
        }
        List<Tuple2<String, String>> maps = new ArrayList<>(); // (run id | view, file)
        for (ObserveManifest.MapFile m : ObserveManifest.read(observeDir).maps()) {
            if (m.has("VGT_PSI_DEG") && simulations.contains(m.runId())) {
                maps.add(new Tuple2<>(m.runId() + "|" + m.view(), m.path()));
            }
        }
        if (maps.isEmpty()) {
            return Map.of();
        }
        List<Tuple2<String, double[]>> perMap = jsc.parallelize(maps, Math.min(maps.size(), 64))
                .map(t -> new Tuple2<>(t._1(), vgtOfMap(t._2(), hadoop)))
                .collect(); // one pair of numbers per map
        Map<String, double[]> out = new TreeMap<>();
        for (Tuple2<String, double[]> t : perMap) {
            String[] key = t._1().split("\\|", 2);
            Matcher m = INCLINATION.matcher(key[1]);
            out.merge("simulation|" + key[0], t._2().clone(), ResNetTables::add);
            if (m.find()) {
                out.merge("inclination|" + Double.parseDouble(m.group(1)), t._2().clone(), ResNetTables::add);
            }
        }
        return out;
    }

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1]};
    }

    private static double[] vgtOfMap(String file, OutputFiles.HadoopSettings hadoop) throws IOException {
        return OutputFiles.withScratch("magmap-evaluate-vgt-", scratch -> {
            float[] vgt = null;
            float[] psi = null;
            for (MapFiles.Image im : MapFiles.read(OutputFiles.localCopy(file, scratch, hadoop))) {
                if (im.extname().equals("VGT_PSI_DEG")) {
                    vgt = im.data();
                } else if (im.extname().equals("PSI_DEG")) {
                    psi = im.data();
                }
            }
            if (vgt == null || psi == null) {
                return new double[] {0, 0};
            }
            int finite = 0;
            for (int i = 0; i < vgt.length; i++) {
                if (Float.isFinite(vgt[i]) && Float.isFinite(psi[i])) {
                    finite++;
                }
            }
            return finite == 0 ? new double[] {0, 0} : new double[] {AlignmentMeasure.of(vgt, psi) * finite, finite};
        });
    }
}
