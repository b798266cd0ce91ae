package org.magmap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.magmap.conf.MagmapConfig;
import org.magmap.evaluate.GroupMetrics;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.Json;
import org.magmap.train.ModelEvaluation;
import picocli.CommandLine.Command;

/**
 * Measures a trained CNN the way the cluster paper does: MSE per simulation (Table 2, in the target's unit
 * squared) beside the MSE of predicting the training mean, and the deviation sigma = |prediction - truth| per
 * view angle and per noise level (median, 90th percentile and the histogram: the papers' robustness tests).
 * Refuses a model whose card does not match the patches (patch size, observables, normalisation).
 * Predictions are made on the executors; only per-group sums come back.
 *
 * <p>Reads a {@code train} output and a {@code make-patches} output. Example:
 * {@code bin/magmap evaluate --conf magmap.evaluate.splits=[test]}.
 */
@Command(
        name = "evaluate",
        description = "MSE per simulation and deviation medians per view and noise level for a trained CNN.",
        footer = {"", "Example:", "  bin/magmap evaluate -c conf/evaluate.conf"})
public final class EvaluateJob extends SparkJob {
    private String modelDir;
    private String input;
    private String output;
    private boolean overwrite;
    private List<String> splits;
    private double histogramMax;
    private int bins;
    private JsonNode card;
    private JsonNode data;

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
        card = readJson(new Path(modelDir, TrainJob.CARD), "run 'train' first");
        data = readJson(new Path(input, MakePatchesJob.MANIFEST), "run 'make-patches' first");
        checkCardMatchesData(card, data, modelDir + "/" + TrainJob.CARD);
    }

    /** A model only sees inputs like those it was trained on: same patch size, observables and normalisation. */
    static void checkCardMatchesData(JsonNode card, JsonNode data, String cardName) {
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
        if (!image.path("observables").equals(data.path("observables"))) {
            throw new BadInputException(
                    cardName,
                    "the model was trained on " + image.path("observables") + ", the data holds "
                            + data.path("observables"));
        }
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of(
                "model = " + modelDir + " (" + card.path("model").asText() + ", target "
                        + card.path("target").path("column").asText() + ")",
                "data = " + input,
                "splits = " + splits,
                "output = " + output);
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        String hash =
                ConfigHash.of("magmap-evaluate-v1\n" + card.path("config-hash").asText() + "\n"
                        + data.path("config-hash").asText() + "\n" + splits + "\n" + histogramMax + "\n" + bins);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("tables", "evaluation.json");
        outputs.put("table 2 (MSE per simulation)", "mse-per-simulation.csv");
        return writeCommitted(spark, output, hash, overwrite, "magmap.evaluate.overwrite", outputs, (out, outcome) -> {
            FileSystem fs = out.fileSystem();
            byte[] model;
            try (var in = fs.open(new Path(modelDir, TrainJob.MODEL))) {
                model = in.readAllBytes();
            }
            String target = card.path("target").path("column").asText();
            double mean = card.path("target").path("training-mean").asDouble();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Dataset<Row> all = spark.read().parquet(input + "/" + MakePatchesJob.PATCHES);
            Map<String, Object> result = manifestHeader("magmap evaluation", hash);
            result.put("model-card-config-hash", card.path("config-hash").asText());
            StringBuilder table = new StringBuilder("split,simulation,patches,mse,mse_of_training_mean\n");
            for (String split : splits) {
                Dataset<Row> part =
                        all.filter(org.apache.spark.sql.functions.col("split").equalTo(split));
                Map<String, Object> perSplit = new LinkedHashMap<>();
                for (String group : List.of("simulation", "inclination_deg", "noise_ratio")) {
                    Map<String, GroupMetrics> g = ModelEvaluation.grouped(
                            jsc, model, part, target, mean, 256, List.of(group), histogramMax, bins);
                    Map<String, Object> rows = new LinkedHashMap<>();
                    g.forEach((k, m) -> rows.put(k, describe(m)));
                    perSplit.put("by-" + group, rows);
                    if (group.equals("simulation")) {
                        g.forEach((k, m) -> table.append(String.format(
                                Locale.ROOT,
                                "%s,%s,%d,%.6g,%.6g,%.6g%n",
                                split,
                                k,
                                m.sums().n(),
                                m.sums().mse(),
                                m.sums().r2(),
                                m.sums().constantBaselineMse())));
                    }
                }
                result.put(split, perSplit);
            }
            Json.write(fs, new Path(out.staging(), "evaluation.json"), result);
            try (OutputStream o = fs.create(new Path(out.staging(), "mse-per-simulation.csv"), true)) {
                o.write(table.toString().getBytes(StandardCharsets.UTF_8));
            }
            outcome.line("MSE per simulation:\n" + table.toString().strip());
        });
    }

    private static Map<String, Object> describe(GroupMetrics m) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("patches", m.sums().n());
        d.put("mse", m.sums().mse());
        d.put("mse-of-predicting-the-training-mean", m.sums().constantBaselineMse());
        d.put("median-deviation", m.deviations().quantile(0.5));
        d.put("p90-deviation", m.deviations().quantile(0.9));
        d.put("histogram-max", m.deviations().max());
        d.put("histogram", m.deviations().counts());
        d.put("histogram-overflow", m.deviations().overflow());
        return d;
    }
}
