package org.magmap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.magmap.conf.MagmapConfig;
import org.magmap.evaluate.RegressionSums;
import org.magmap.model.Cnn;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.Json;
import org.magmap.train.ModelEvaluation;
import org.magmap.train.ParameterAveragingEngine;
import org.magmap.train.PatchBatches;
import org.magmap.train.TrainSettings;
import org.magmap.train.TrainingEngine;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Trains the cluster paper's CNN on Spark with parameter averaging, from the make-patches Parquet (read on the
 * executors): per epoch a pass over the train split, the validation MSE computed on the executors, early
 * stopping, the best model kept. Checkpoints after every epoch; a killed run resumes from the last one with the
 * same configuration. Writes {@code model.zip}, {@code card.json} (inputs, target and unit, normalisation,
 * data manifest id, config hash, metrics per split and per simulation) and {@code history.json}, committed
 * atomically.
 *
 * <p>Reads a {@code make-patches} output ({@code magmap.train.input-dir}). Example:
 * {@code bin/magmap train -c conf/train.conf}.
 */
@Command(
        name = "train",
        description = "Train the cluster CNN on Spark (parameter averaging) from Parquet patches; keep the best model.",
        footer = {
            "",
            "Example:",
            "  bin/magmap train -c conf/train.conf --conf magmap.train.epochs=20",
            "  bin/magmap-submit --master yarn --num-executors 8 -- train -c cluster.conf -c train.conf"
        })
public final class TrainJob extends SparkJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    public static final String MODEL = "model.zip";
    public static final String CARD = "card.json";
    public static final String HISTORY = "history.json";

    private TrainSettings settings;
    private String input;
    private String output;
    private String checkpoints;
    private boolean overwrite;
    private JsonNode dataManifest;

    @Override
    protected void configure(MagmapConfig config) {
        String root = config.getString("magmap.output-root");
        input = root + "/" + config.getString("magmap.train.input-dir");
        output = root + "/" + config.getString("magmap.train.output-dir");
        overwrite = config.getBoolean("magmap.train.overwrite");
        dataManifest = readJson(new Path(input, MakePatchesJob.MANIFEST), "run 'make-patches' first");
        int size = dataManifest.path("patch-size").asInt(0);
        if (size <= 0) {
            throw new BadInputException(
                    input + "/" + MakePatchesJob.MANIFEST, "does not state the patch size (made by an older magmap?)");
        }
        settings = TrainSettings.from(config.section("magmap.train"), size);
        if (dataManifest.path("per-split").path("train").asLong(0) == 0) {
            throw new BadInputException(input, "has no training patches");
        }
        if (dataManifest.path("per-split").path("validation").asLong(0) == 0) {
            throw new BadInputException(
                    input,
                    "has no validation patches: set magmap.make-patches.splits so that some"
                            + " simulations or spatial blocks validate");
        }
        String hash = configHash();
        checkpoints = root + "/" + config.getString("magmap.train.checkpoint-dir") + "/" + hash;
    }

    private String configHash() {
        return ConfigHash.of("magmap-train-v1\n" + settings + "\n"
                + dataManifest.path("config-hash").asText());
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of(
                "input = " + input + " (" + dataManifest.path("patches").asLong() + " patches, per split "
                        + dataManifest.path("per-split") + ")",
                "output = " + output + ", checkpoints = " + checkpoints,
                "model = " + settings.model() + " " + settings.cnn().blockChannels() + " dense "
                        + settings.cnn().denseUnits()
                        + ", target = " + settings.target() + ", epochs <= " + settings.epochs() + ", patience "
                        + settings.patience());
    }

    /** Training state persisted with each checkpoint. */
    record State(
            int epoch,
            double bestValidationMse,
            int bestEpoch,
            int epochsWithoutImprovement,
            List<Map<String, Object>> history) {}

    @Override
    protected JobOutcome run(SparkSession spark) {
        String hash = configHash();
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("model", MODEL);
        outputs.put("card", CARD);
        return writeCommitted(spark, output, hash, overwrite, "magmap.train.overwrite", outputs, (out, outcome) -> {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            String target = settings.target();
            Dataset<Row> all = spark.read().parquet(input + "/" + MakePatchesJob.PATCHES);
            Dataset<Row> train = all.filter("split = 'train'");
            if (settings.maxTrainPatches() > 0) {
                train = train.limit((int) Math.min(Integer.MAX_VALUE, settings.maxTrainPatches()));
            }
            train = train.select("simulation", "image", target, "size").persist(StorageLevel.MEMORY_AND_DISK());
            Dataset<Row> validation = all.filter("split = 'validation'").select("simulation", "image", target, "size");
            long trainCount = train.count();
            double trainMean = train.agg(org.apache.spark.sql.functions.avg(target))
                    .first()
                    .getDouble(0);
            JavaRDD<DataSet> batches = PatchBatches.scalarTarget(train, target, settings.batchSizePerWorker());

            FileSystem fs = out.fileSystem();
            Path checkpointDir = new Path(checkpoints);
            MultiLayerNetwork net;
            State state;
            Path last = new Path(checkpointDir, "last.zip");
            if (fs.exists(last) && fs.exists(new Path(checkpointDir, "state.json"))) {
                net = restore(fs, last);
                try (java.io.InputStream in = fs.open(new Path(checkpointDir, "state.json"))) {
                    state = Json.mapper().readValue(in, State.class);
                }
                LOG.info(
                        "train: resuming from {} after epoch {} (best validation MSE {} at epoch {})",
                        checkpointDir,
                        state.epoch(),
                        state.bestValidationMse(),
                        state.bestEpoch());
            } else {
                net = new MultiLayerNetwork(Cnn.build(settings.cnn()));
                net.init();
                state = new State(0, Double.POSITIVE_INFINITY, 0, 0, List.of());
            }
            LOG.info(
                    "train: {} parameters, {} training patches (mean {} = {})",
                    net.numParams(),
                    trainCount,
                    target,
                    String.format(Locale.ROOT, "%.4g", trainMean));
            TrainingEngine engine = new ParameterAveragingEngine(
                    jsc, net, settings.batchSizePerWorker(), settings.averagingFrequency());
            List<Map<String, Object>> history = new ArrayList<>(state.history());
            while (state.epoch() < settings.epochs() && state.epochsWithoutImprovement() < settings.patience()) {
                int epoch = state.epoch() + 1;
                long t0 = System.nanoTime();
                engine.fitEpoch(batches);
                double fitSeconds = (System.nanoTime() - t0) / 1e9;
                byte[] model = ModelEvaluation.bytes(engine.network());
                RegressionSums val =
                        total(ModelEvaluation.perSimulation(jsc, model, validation, target, trainMean, 256));
                boolean better = val.mse() < state.bestValidationMse();
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("epoch", epoch);
                h.put("validation-mse", val.mse());
                h.put("validation-r2", val.r2());
                h.put("samples-per-second", trainCount / fitSeconds);
                h.put("seconds", fitSeconds);
                history.add(h);
                LOG.info(String.format(
                        Locale.ROOT,
                        "train: epoch %d/%d: validation MSE %.4g (R^2 %.3f)%s, %.0f samples/s, %.1f s",
                        epoch,
                        settings.epochs(),
                        val.mse(),
                        val.r2(),
                        better ? " - best so far" : "",
                        trainCount / fitSeconds,
                        fitSeconds));
                state = new State(
                        epoch,
                        better ? val.mse() : state.bestValidationMse(),
                        better ? epoch : state.bestEpoch(),
                        better ? 0 : state.epochsWithoutImprovement() + 1,
                        history);
                checkpoint(fs, checkpointDir, engine.network(), state, better);
            }
            if (state.epochsWithoutImprovement() >= settings.patience()) {
                LOG.info(
                        "train: early stop after epoch {}: no better validation MSE for {} epochs",
                        state.epoch(),
                        settings.patience());
            }
            MultiLayerNetwork best = restore(fs, new Path(checkpointDir, "best.zip"));
            byte[] bestBytes = ModelEvaluation.bytes(best);
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (String split : List.of("train", "validation", "test")) {
                Dataset<Row> part = all.filter("split = '" + split + "'").select("simulation", "image", target, "size");
                Map<String, RegressionSums> per =
                        ModelEvaluation.perSimulation(jsc, bestBytes, part, target, trainMean, 256);
                if (!per.isEmpty()) {
                    metrics.put(split, describe(per));
                }
            }
            try (OutputStream o = fs.create(new Path(out.staging(), MODEL), true)) {
                o.write(bestBytes);
            }
            Json.write(fs, new Path(out.staging(), HISTORY), history);
            Json.write(fs, new Path(out.staging(), CARD), card(hash, trainMean, state, engine, metrics));
            train.unpersist();
            fs.delete(checkpointDir, true); // the run is complete: nothing to resume
            outcome.line(String.format(
                    Locale.ROOT,
                    "best epoch %d of %d, validation MSE %.4g %s^2",
                    state.bestEpoch(),
                    state.epoch(),
                    state.bestValidationMse(),
                    unit(target)));
            Object test = metrics.get("test");
            if (test != null) {
                outcome.line("test metrics: " + test);
            }
        });
    }

    private static MultiLayerNetwork restore(FileSystem fs, Path file) throws IOException {
        try (var in = fs.open(file)) {
            return ModelSerializer.restoreMultiLayerNetwork(in, true);
        }
    }

    /** Writes last.zip (with updater state) and state.json, each via a temporary name and a rename. */
    private static void checkpoint(FileSystem fs, Path dir, MultiLayerNetwork net, State state, boolean best)
            throws IOException {
        fs.mkdirs(dir);
        Path tmp = new Path(dir, "last.zip.tmp");
        try (OutputStream o = fs.create(tmp, true)) {
            ModelSerializer.writeModel(net, o, true);
        }
        replace(fs, tmp, new Path(dir, "last.zip"));
        if (best) {
            Path bestTmp = new Path(dir, "best.zip.tmp");
            try (OutputStream o = fs.create(bestTmp, true)) {
                ModelSerializer.writeModel(net, o, false);
            }
            replace(fs, bestTmp, new Path(dir, "best.zip"));
        }
        Path stateTmp = new Path(dir, "state.json.tmp");
        Json.write(fs, stateTmp, state);
        replace(fs, stateTmp, new Path(dir, "state.json"));
    }

    private static void replace(FileSystem fs, Path from, Path to) throws IOException {
        fs.delete(to, false);
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }

    private static RegressionSums total(Map<String, RegressionSums> per) {
        RegressionSums t = RegressionSums.EMPTY;
        for (RegressionSums s : per.values()) {
            t = t.merge(s);
        }
        return t;
    }

    private static Map<String, Object> describe(Map<String, RegressionSums> per) {
        Map<String, Object> m = new LinkedHashMap<>();
        RegressionSums all = total(per);
        m.put("patches", all.n());
        m.put("mse", all.mse());
        m.put("r2", all.r2());
        m.put("mse-of-predicting-the-training-mean", all.constantBaselineMse());
        Map<String, Object> sims = new TreeMap<>();
        per.forEach((sim, s) -> sims.put(
                sim,
                Map.of(
                        "patches",
                        s.n(),
                        "mse",
                        s.mse(),
                        "r2",
                        s.r2(),
                        "mse-of-predicting-the-training-mean",
                        s.constantBaselineMse())));
        m.put("per-simulation", sims);
        return m;
    }

    private static String unit(String target) {
        return switch (target) {
            case "b_ug" -> "uG";
            case "gamma_deg" -> "deg";
            default -> "";
        };
    }

    private Map<String, Object> card(
            String hash, double trainMean, State state, TrainingEngine engine, Map<String, Object> metrics) {
        Map<String, Object> card = manifestHeader("magmap model card", hash);
        card.put("model", settings.model());
        card.put("architecture", settings.cnn());
        card.put("engine", engine.describe());
        card.put(
                "inputs",
                Map.of(
                        "image",
                        Map.of(
                                "shape",
                                        List.of(
                                                1,
                                                settings.cnn().patchSize(),
                                                settings.cnn().patchSize()),
                                "observables", dataManifest.path("observables"),
                                "normalization",
                                        dataManifest.path("normalization").asText())));
        card.put("conditioning", List.of());
        card.put(
                "target",
                Map.of("column", settings.target(), "unit", unit(settings.target()), "training-mean", trainMean));
        card.put("patch-size", settings.cnn().patchSize());
        card.put("data-manifest-config-hash", dataManifest.path("config-hash").asText());
        card.put("data", input);
        card.put("epochs", state.epoch());
        card.put("best-epoch", state.bestEpoch());
        card.put("metrics", metrics);
        return card;
    }
}
