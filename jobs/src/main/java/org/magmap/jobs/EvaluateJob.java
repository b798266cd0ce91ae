package org.magmap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.magmap.conf.MagmapConfig;
import org.magmap.evaluate.Comparison;
import org.magmap.evaluate.ComparisonAccumulator;
import org.magmap.evaluate.GroupMetrics;
import org.magmap.evaluate.JointHistogram;
import org.magmap.evaluate.RegressionSums;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.Json;
import org.magmap.patch.Splits;
import org.magmap.plot.Figures;
import org.magmap.spark.RandomSubset;
import org.magmap.spark.SparkSessions;
import org.magmap.train.ModelComparison;
import picocli.CommandLine.Command;

/**
 * Measures a trained CNN the way the cluster paper does: MSE per simulation (Table 2, in the target's unit
 * squared) beside the MSE of predicting the training mean, and the deviation sigma = |prediction - truth| per
 * view angle and per noise level (median, 90th percentile and the histogram: the papers' robustness tests). For
 * the field strength B it reports the equipartition baseline (make-patches' {@code b_eq_ug}, Beck &amp; Krause
 * 2005; SCIENCE.md section 5) the same way beside the CNN. Writes {@code evaluation.json}, the CSV tables
 * {@code mse-per-simulation.csv} and {@code metrics-per-view.csv}, and PNG figures: training curves from the
 * train output's history, deviation histograms per view and noise level, and predicted versus true as a 2-D
 * histogram, all committed together. Refuses a model whose card does not match the patches (patch size,
 * observables, normalisation). Each patch is predicted once, on the executors; only per-group sums and
 * histograms come back.
 *
 * <p>Reads a {@code train} output and a {@code make-patches} output. Example:
 * {@code bin/magmap evaluate --conf magmap.evaluate.splits=[test]}.
 */
@Command(
        name = "evaluate",
        description = "A trained model measured as its paper does: the CNN's MSE per simulation beside the"
                + " equipartition baseline, the ResNet's psi errors beside the VGT; per view and noise level; figures.",
        footer = {"", "Example:", "  bin/magmap evaluate -c conf/evaluate.conf"})
public final class EvaluateJob extends SparkJob {
    private String modelDir;
    /** Further cresnet models whose maps are averaged with modelDir's (magmap.evaluate.ensemble-model-dirs). */
    private List<String> ensembleDirs;
    /** Their cards, in the same order. */
    private List<JsonNode> ensembleCards;

    private String input;
    private String output;
    private boolean overwrite;
    private List<String> splits;
    private long maxPatchesPerSplit;
    private boolean dihedralMean;
    private double histogramMax;
    private int bins;
    private int densityBins;
    private JsonNode card;
    private JsonNode data;
    private JsonNode history;

    /** The tables as JSON. */
    static final String EVALUATION = "evaluation.json";
    /** The cluster paper's Table 2 with the equipartition baseline beside the CNN. */
    static final String PER_SIMULATION = "mse-per-simulation.csv";
    /** The same columns per view angle. */
    static final String PER_VIEW = "metrics-per-view.csv";
    /** Sub-directory of PNG figures. */
    static final String FIGURES = "figures";
    /** The make-patches column holding the equipartition baseline. */
    static final String EQUIPARTITION_COLUMN = "b_eq_ug";
    /**
     * A derived group: "true" for a map (simulation snapshot) some of whose patches are in the train split, so
     * its test patches come from held-out blocks of a map the model trained on; "false" for a map it never saw.
     * The cluster paper's question, and the R^2 target, is about the first kind pooled together.
     */
    static final String TRAINED_MAP = "trained_map";
    /** Groups reported beside the whole split. */
    private static final List<String> GROUPS = List.of("simulation", "inclination_deg", "noise_ratio", TRAINED_MAP);

    @Override
    protected void configure(MagmapConfig config) {
        String root = config.getString("magmap.output-root");
        modelDir = root + "/" + config.getString("magmap.evaluate.model-dir");
        input = root + "/" + config.getString("magmap.evaluate.input-dir");
        output = root + "/" + config.getString("magmap.evaluate.output-dir");
        overwrite = config.getBoolean("magmap.evaluate.overwrite");
        splits = config.getStringList("magmap.evaluate.splits");
        histogramMax = config.getPositiveDouble("magmap.evaluate.histogram-max");
        bins = config.getPositiveInt("magmap.evaluate.histogram-bins");
        densityBins = config.getPositiveInt("magmap.evaluate.density-bins");
        maxPatchesPerSplit = config.getLong("magmap.evaluate.max-patches-per-split");
        if (maxPatchesPerSplit < 0) {
            throw new BadInputException(
                    "magmap.evaluate.max-patches-per-split", "must be >= 0 (0 = all), got " + maxPatchesPerSplit);
        }
        dihedralMean = config.getBoolean("magmap.evaluate.dihedral-mean");
        card = readJson(new Path(modelDir, TrainJob.CARD), "run 'train' first");
        ensembleDirs = new ArrayList<>();
        ensembleCards = new ArrayList<>();
        for (String dir : config.getStringList("magmap.evaluate.ensemble-model-dirs")) {
            String member = root + "/" + dir;
            if (member.equals(modelDir) || ensembleDirs.contains(member)) {
                throw new BadInputException(
                        "magmap.evaluate.ensemble-model-dirs",
                        "names " + dir + " twice (model-dir counts): each member is a different model");
            }
            JsonNode memberCard = readJson(new Path(member, TrainJob.CARD), "run 'train' first");
            checkEnsembleMember(card, memberCard, modelDir + "/" + TrainJob.CARD, member + "/" + TrainJob.CARD);
            ensembleDirs.add(member);
            ensembleCards.add(memberCard);
        }
        history = readJson(new Path(modelDir, TrainJob.HISTORY), "run 'train' first");
        data = readJson(new Path(input, MakePatchesJob.MANIFEST), "run 'make-patches' first");
        checkCardMatchesData(card, data, modelDir + "/" + TrainJob.CARD);
        if (dihedralMean) {
            checkDihedralMeanApplies(card, data, modelDir + "/" + TrainJob.CARD);
            for (int i = 0; i < ensembleDirs.size(); i++) {
                checkDihedralMeanApplies(ensembleCards.get(i), data, ensembleDirs.get(i) + "/" + TrainJob.CARD);
            }
        }
    }

    /**
     * The mean over the eight symmetries ({@link org.magmap.train.DihedralMean}) is for image-to-image models
     * that saw patches at every angle: make-patches' rotation (recorded in its manifest) or the training's
     * dihedral augmentation (recorded on the card). A model that saw only upright patches has no reason to answer
     * a turned one well.
     */
    static void checkDihedralMeanApplies(JsonNode card, JsonNode data, String cardName) {
        if (!card.path("model").asText("cnn").equals("cresnet")) {
            throw new BadInputException(
                    "magmap.evaluate.dihedral-mean",
                    "applies to image-to-image models (cresnet); " + cardName + " is a '"
                            + card.path("model").asText("cnn") + "'");
        }
        boolean rotated = data.path("rotate").asBoolean(true); // manifests before the field: rotation was the default
        boolean dihedral = card.path("dihedral-augmentation").asBoolean(false);
        if (!rotated && !dihedral) {
            throw new BadInputException(
                    "magmap.evaluate.dihedral-mean",
                    "needs a model trained on turned patches, but " + cardName + " was trained without dihedral"
                            + " augmentation and the patches were made with magmap.make-patches.rotate = false");
        }
    }

    /**
     * A model whose maps are averaged with the evaluated one's must be a cresnet taking the same input (patch size,
     * observables, normalisation, conditioning) and giving the same target maps on the same scaling: the mean is
     * taken in training units, so the scaling (from each run's training data) must agree. Its own dihedral
     * augmentation is checked like the first model's when the dihedral mean is on.
     */
    static void checkEnsembleMember(JsonNode card, JsonNode member, String cardName, String memberName) {
        String setting = "magmap.evaluate.ensemble-model-dirs";
        if (!card.path("model").asText("cnn").equals("cresnet")
                || !member.path("model").asText("cnn").equals("cresnet")) {
            throw new BadInputException(
                    setting,
                    "averages image-to-image models (cresnet); " + cardName + " is a '"
                            + card.path("model").asText("cnn") + "' and " + memberName + " a '"
                            + member.path("model").asText("cnn") + "'");
        }
        for (String field : List.of("patch-size", "inputs", "target")) {
            if (!card.path(field).equals(member.path(field))) {
                throw new BadInputException(
                        memberName,
                        "its '" + field + "' differs from " + cardName + "'s (" + member.path(field) + " against "
                                + card.path(field) + "): an ensemble's members take the same input and give the"
                                + " same maps on the same scaling; train them on the same patches");
            }
        }
    }

    /** The patches of the observables the model was trained on. */
    private Dataset<Row> patchesTheModelTakes(SparkSession spark) {
        List<String> observables = new ArrayList<>();
        card.path("inputs").path("image").path("observables").forEach(o -> observables.add(o.asText()));
        return spark.read()
                .parquet(input + "/" + MakePatchesJob.PATCHES)
                .filter(functions.col("observable").isin(observables.toArray()));
    }

    /** The patches with the {@link #TRAINED_MAP} column: whether their map has patches in the train split. */
    static Dataset<Row> withTrainedMap(Dataset<Row> patches) {
        List<String> trainedMaps = patches.filter(functions.col("split").equalTo(Splits.TRAIN))
                .select("simulation")
                .distinct()
                .as(Encoders.STRING())
                .collectAsList(); // one name per map
        return patches.withColumn(TRAINED_MAP, functions.col("simulation").isin(trainedMaps.toArray()));
    }

    /** model-dir, then the ensemble's further members. */
    private List<String> ensembleMembers() {
        List<String> all = new ArrayList<>(List.of(modelDir));
        all.addAll(ensembleDirs);
        return all;
    }

    /** The conditional ResNet: pixel metrics of the six maps, psi deviations and AM beside the VGT baseline. */
    private JobOutcome runImageToImage(SparkSession spark, String hash) {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("tables", EVALUATION);
        outputs.put("per simulation", MapModelReport.TABLE);
        outputs.put("figures", FIGURES);
        return writeCommitted(spark, output, hash, overwrite, "magmap.evaluate.overwrite", outputs, (out, outcome) -> {
            FileSystem fs = out.fileSystem();
            List<byte[]> models = new ArrayList<>();
            for (String dir : ensembleMembers()) {
                try (var in = fs.open(new Path(dir, TrainJob.MODEL))) {
                    models.add(in.readAllBytes());
                }
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Map<String, Object> result = manifestHeader("magmap evaluation", hash);
            result.put("model-card-config-hash", card.path("config-hash").asText());
            result.put("model", "cresnet");
            if (!ensembleDirs.isEmpty()) {
                result.put("ensemble", ensembleMembers());
            }
            result.put(
                    "baseline",
                    "VGT (velocity gradients) vs true psi: on the model's own patches, and over whole observed maps");
            result.put("max-patches-per-split", maxPatchesPerSplit); // 0: every patch
            result.put(
                    "prediction",
                    dihedralMean
                            ? "mean over the patch's eight rotations and mirrors (magmap.evaluate.dihedral-mean)"
                            : "one pass per patch");
            List<String> summary = new ArrayList<>();
            result.putAll(MapModelReport.evaluate(
                    jsc,
                    fs,
                    out.staging(),
                    models,
                    card,
                    withTrainedMap(patchesTheModelTakes(spark)),
                    splits,
                    maxPatchesPerSplit,
                    data.path("input").asText(),
                    SparkSessions.hadoopSettings(spark),
                    dihedralMean,
                    summary));
            Path figures = new Path(out.staging(), FIGURES);
            fs.mkdirs(figures);
            writePng(fs, new Path(figures, "training-curves.png"), trainingCurves(history, ""));
            Json.write(fs, new Path(out.staging(), EVALUATION), result);
            summary.forEach(outcome::line);
        });
    }

    /** A model only sees inputs like those it was trained on: same patch size, observables and normalisation. */
    static void checkCardMatchesData(JsonNode card, JsonNode data, String cardName) {
        checkCardMatchesPatchForm(card, data, cardName);
        JsonNode image = card.path("inputs").path("image");
        List<String> held = new ArrayList<>();
        data.path("observables").forEach(o -> held.add(o.asText()));
        for (JsonNode o : image.path("observables")) {
            if (!held.contains(o.asText())) {
                throw new BadInputException(
                        cardName,
                        "the model was trained on " + image.path("observables") + ", the data holds only "
                                + data.path("observables"));
            }
        }
    }

    /** The patch size, the normalisation and (cresnet) the target maps: what a model needs of any patches. */
    static void checkCardMatchesPatchForm(JsonNode card, JsonNode data, String cardName) {
        JsonNode image = card.path("inputs").path("image");
        if (card.path("patch-size").asInt() != data.path("patch-size").asInt()) {
            throw new BadInputException(
                    cardName,
                    "the model takes " + card.path("patch-size").asInt() + "-pixel patches, the" + " data has "
                            + data.path("patch-size").asInt());
        }
        if (!image.path("normalization")
                .asText()
                .equals(data.path("normalization").asText())) {
            throw new BadInputException(
                    cardName,
                    "the model expects '" + image.path("normalization").asText() + "' normalisation, the data uses '"
                            + data.path("normalization").asText() + "'");
        }
        if (card.path("model").asText("cnn").equals("cresnet") && !MakePatchesJob.hasTargetMaps(data)) {
            throw new BadInputException(
                    cardName,
                    "the cresnet is measured against target maps, which the data lacks: remake the patches with"
                            + " magmap.make-patches.target-maps = true");
        }
    }

    /** The ensemble members' training config hashes, in order, for this evaluation's own hash ("" without). */
    private String ensembleHashes() {
        StringBuilder out = new StringBuilder();
        for (JsonNode member : ensembleCards) {
            out.append("\nensemble ").append(member.path("config-hash").asText());
        }
        return out.toString();
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of(
                "model = " + modelDir + " (" + card.path("model").asText() + ", "
                        + (card.path("target").has("maps")
                                ? "target maps " + card.path("target").path("maps")
                                : "target " + card.path("target").path("column").asText())
                        + ")"
                        + (ensembleDirs.isEmpty() ? "" : ", maps averaged with " + ensembleDirs),
                "data = " + input,
                "splits = " + splits + (dihedralMean ? ", each patch predicted as its mean over 8 symmetries" : ""),
                "output = " + output);
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        String hash =
                ConfigHash.of("magmap-evaluate-v2\n" + card.path("config-hash").asText() + "\n"
                        + data.path("config-hash").asText() + "\n" + splits + "\n" + histogramMax + "\n" + bins + "\n"
                        + densityBins + "\n" + maxPatchesPerSplit + (dihedralMean ? "\ndihedral-mean" : "")
                        + ensembleHashes());
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("tables", EVALUATION);
        outputs.put("table 2 (MSE per simulation)", PER_SIMULATION);
        outputs.put("per view", PER_VIEW);
        outputs.put("figures", FIGURES);
        if (card.path("model").asText("cnn").equals("cresnet")) {
            return runImageToImage(spark, hash);
        }
        return writeCommitted(spark, output, hash, overwrite, "magmap.evaluate.overwrite", outputs, (out, outcome) -> {
            FileSystem fs = out.fileSystem();
            byte[] model;
            try (var in = fs.open(new Path(modelDir, TrainJob.MODEL))) {
                model = in.readAllBytes();
            }
            String target = card.path("target").path("column").asText();
            String unit = card.path("target").path("unit").asText("");
            double mean = card.path("target").path("training-mean").asDouble();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Dataset<Row> all = withTrainedMap(patchesTheModelTakes(spark));
            // The equipartition baseline estimates B only; patches of schema 1 have no column for it.
            String baseline = target.equals("b_ug") && List.of(all.columns()).contains(EQUIPARTITION_COLUMN)
                    ? EQUIPARTITION_COLUMN
                    : null;
            Map<String, Object> result = manifestHeader("magmap evaluation", hash);
            result.put("model-card-config-hash", card.path("config-hash").asText());
            result.put("target", target);
            result.put("unit", unit);
            result.put(
                    "baseline",
                    baseline != null
                            ? "equipartition (" + EQUIPARTITION_COLUMN + ", Beck & Krause 2005)"
                            : "none ("
                                    + (target.equals("b_ug")
                                            ? "patches without " + EQUIPARTITION_COLUMN
                                            : "no baseline for " + target)
                                    + ")");
            StringBuilder perSimulation = new StringBuilder("split,simulation," + TABLE_COLUMNS + "\n");
            StringBuilder perView = new StringBuilder("split,inclination_deg," + TABLE_COLUMNS + "\n");
            Path figures = new Path(out.staging(), FIGURES);
            fs.mkdirs(figures);
            writePng(fs, new Path(figures, "training-curves.png"), trainingCurves(history, unit));
            for (String split : splits) {
                Dataset<Row> part = RandomSubset.atMost(
                        all.filter(functions.col("split").equalTo(split)), maxPatchesPerSplit, -1, 1);
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
                    outcome.line("split '" + split + "' has no patches");
                    continue;
                }
                double[] grid = densityRange(range.getDouble(0), range.getDouble(1));
                Map<String, Comparison> groups = ModelComparison.compare(
                        jsc,
                        model,
                        part,
                        target,
                        baseline,
                        GROUPS,
                        new ComparisonAccumulator.Settings(mean, histogramMax, bins, grid[0], grid[1], densityBins),
                        256);
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
                byGroup(groups, TRAINED_MAP).forEach((trained, c) -> outcome.line(pooledLine(split, trained, c, unit)));
                byGroup(groups, "inclination_deg").forEach((k, c) -> perView.append(tableRow(split, k, c)));
                // baseline panels only where patches carry one (b_eq_ug is null for H I inputs)
                boolean withBaseline =
                        groups.get(ComparisonAccumulator.ALL).baseline().sums().n() > 0;
                writePng(
                        fs,
                        new Path(figures, "deviations-" + split + ".png"),
                        deviationFigure(split, groups, unit, withBaseline));
                writePng(
                        fs,
                        new Path(figures, "predicted-vs-true-" + split + ".png"),
                        densityFigure(split, groups.get(ComparisonAccumulator.ALL), target, unit, withBaseline));
            }
            Json.write(fs, new Path(out.staging(), EVALUATION), result);
            writeText(fs, new Path(out.staging(), PER_SIMULATION), perSimulation.toString());
            writeText(fs, new Path(out.staging(), PER_VIEW), perView.toString());
            outcome.line("MSE per simulation:\n" + perSimulation.toString().strip());
        });
    }

    /** Columns of both CSV tables after the group; empty where a value does not exist (no baseline). */
    static final String TABLE_COLUMNS = "patches,mse,r2,mse_of_training_mean,median_deviation,"
            + "equipartition_patches,equipartition_mse,equipartition_median_deviation";

    /** One CSV row: the model's metrics and the baseline's beside them, in the columns of {@link #TABLE_COLUMNS}. */
    static String tableRow(String split, String group, Comparison c) {
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
    static String pooledLine(String split, String trained, Comparison c, String unit) {
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
    private static Map<String, Comparison> byGroup(Map<String, Comparison> groups, String column) {
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
    static double[] densityRange(double truthMin, double truthMax) {
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

    /** Training curves from history.json: every MSE or loss per epoch in one panel, every R^2 in another. */
    static byte[] trainingCurves(JsonNode history, String unit) {
        Map<String, List<double[]>> points = new TreeMap<>();
        for (JsonNode epoch : history) {
            double x = epoch.path("epoch").asDouble();
            epoch.fields().forEachRemaining(f -> {
                if (f.getValue().isNumber() && isCurve(f.getKey())) {
                    points.computeIfAbsent(f.getKey(), k -> new ArrayList<>())
                            .add(new double[] {x, f.getValue().asDouble()});
                }
            });
        }
        List<Figures.Curve> losses = new ArrayList<>();
        List<Figures.Curve> scores = new ArrayList<>();
        points.forEach((name, xy) -> {
            Figures.Curve c = new Figures.Curve(
                    name,
                    xy.stream().mapToDouble(p -> p[0]).toArray(),
                    xy.stream().mapToDouble(p -> p[1]).toArray());
            (name.contains("r2") ? scores : losses).add(c);
        });
        List<Figures.LinePanel> panels = new ArrayList<>();
        String squared = unit.isEmpty() ? "" : " (" + unit + "^2)";
        panels.add(new Figures.LinePanel("training: MSE per epoch", "epoch", "MSE" + squared, losses, false, false));
        if (!scores.isEmpty()) {
            panels.add(new Figures.LinePanel("training: R^2 per epoch", "epoch", "R^2", scores, false, false));
        }
        return Figures.lines(panels);
    }

    /** Per-epoch quantities worth a curve: errors, losses and R^2 (not timings or throughput). */
    private static boolean isCurve(String key) {
        return key.contains("mse") || key.contains("loss") || key.contains("r2");
    }

    /** Deviation histograms per view angle and per noise level (the papers' robustness figures). */
    private static byte[] deviationFigure(
            String split, Map<String, Comparison> groups, String unit, boolean withBaseline) {
        String axis = "|prediction - truth|" + (unit.isEmpty() ? "" : " (" + unit + ")");
        List<Figures.LinePanel> panels = new ArrayList<>();
        panels.add(histogramPanel(
                split + ": CNN by view", "inclination ", axis, byGroup(groups, "inclination_deg"), false));
        panels.add(histogramPanel(split + ": CNN by noise", "noise ", axis, byGroup(groups, "noise_ratio"), false));
        if (withBaseline) {
            panels.add(histogramPanel(
                    split + ": equipartition by view", "inclination ", axis, byGroup(groups, "inclination_deg"), true));
        }
        return Figures.lines(panels);
    }

    private static Figures.LinePanel histogramPanel(
            String title, String label, String axis, Map<String, Comparison> groups, boolean baseline) {
        List<Figures.Curve> curves = new ArrayList<>();
        groups.forEach((value, c) -> {
            GroupMetrics m = baseline ? c.baseline() : c.model();
            curves.add(Figures.histogramCurve(
                    label + value,
                    m.deviations().max(),
                    m.deviations().counts(),
                    m.deviations().overflow(),
                    50));
        });
        return new Figures.LinePanel(title, axis, "fraction of patches", curves, true, false);
    }

    /** Predicted (and equipartition) versus true as 2-D histograms computed on the executors. */
    private static byte[] densityFigure(
            String split, Comparison all, String target, String unit, boolean withBaseline) {
        String u = unit.isEmpty() ? "" : " (" + unit + ")";
        List<Figures.DensityPanel> panels = new ArrayList<>();
        panels.add(densityPanel(split + ": CNN", "true " + target + u, "predicted" + u, all.modelDensity()));
        if (withBaseline) {
            panels.add(
                    densityPanel(split + ": equipartition", "true " + target + u, "B_eq" + u, all.baselineDensity()));
        }
        return Figures.densities(panels);
    }

    private static Figures.DensityPanel densityPanel(String title, String x, String y, JointHistogram h) {
        return new Figures.DensityPanel(
                title,
                x,
                y,
                h.min(),
                h.max(),
                h.bins(),
                h.counts(),
                String.format(Locale.ROOT, "%,d patches, %,d off the plot", h.total(), h.outside()));
    }

    private static void writePng(FileSystem fs, Path file, byte[] png) throws java.io.IOException {
        try (OutputStream o = fs.create(file, true)) {
            o.write(png);
        }
    }

    private static void writeText(FileSystem fs, Path file, String text) throws java.io.IOException {
        try (OutputStream o = fs.create(file, true)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
