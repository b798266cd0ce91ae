package org.magmap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
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
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.magmap.conf.MagmapConfig;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.Json;
import org.magmap.ops.ProgressMeter;
import org.magmap.patch.StackedObservable;
import org.magmap.spark.RandomSubset;
import org.magmap.train.CnnTraining;
import org.magmap.train.Distribution;
import org.magmap.train.MapModelTraining;
import org.magmap.train.ModelEvaluation;
import org.magmap.train.ModelTraining;
import org.magmap.train.TrainSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Trains one of the papers' networks on Spark (parameter averaging by default, gradient sharing as an option)
 * from the make-patches Parquet, read on the executors: the cluster paper's CNN ({@code cnn}, a scalar target
 * such as B in uG) or the H I paper's conditional ResNet ({@code cresnet}, six target maps conditioned on the
 * observational conditions). Per epoch a pass over the train split, the validation loss computed on the
 * executors, early stopping; the best checkpoint kept (lowest validation MSE for the CNN, highest PSNR for the
 * ResNet). Checkpoints after every epoch; a killed run resumes from the last one with the same configuration.
 * Writes {@code model.zip}, {@code card.json} (inputs, conditioning, targets and units, normalisation, data
 * manifest id, config hash, metrics per split and per simulation) and {@code history.json}, committed
 * atomically.
 *
 * <p>Reads a {@code make-patches} output ({@code magmap.train.input-dir}). Example:
 * {@code bin/magmap train -c conf/train.conf}.
 */
@Command(
        name = "train",
        description =
                "Train the cluster CNN or the H I conditional ResNet on Spark from Parquet patches; keep the best.",
        footer = {
            "",
            "Example:",
            "  bin/magmap train -c conf/train.conf --conf magmap.train.epochs=20",
            "  bin/magmap train -c conf/train.conf --conf magmap.train.model=cresnet",
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
    private List<String> observables;
    private long maxValidationPatches;
    private long maxMetricsPatches;
    /** The train output to start from (magmap.train.init-model), or null. */
    private String initialModel;

    private JsonNode initialCard;

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
        maxValidationPatches = config.getLong("magmap.train.max-validation-patches");
        maxMetricsPatches = config.getLong("magmap.train.max-metrics-patches");
        if (maxValidationPatches < 0 || maxMetricsPatches < 0) {
            throw new BadInputException(
                    "magmap.train.max-validation-patches / max-metrics-patches",
                    "must be >= 0 (0 = all), got " + maxValidationPatches + " / " + maxMetricsPatches);
        }
        boolean targetMaps = MakePatchesJob.hasTargetMaps(dataManifest);
        if (settings.model().equals("cresnet") && !targetMaps) {
            throw new BadInputException(
                    input + "/" + MakePatchesJob.MANIFEST,
                    "holds no target maps, which the cresnet learns: remake the patches with"
                            + " magmap.make-patches.target-maps = true");
        }
        List<String> available = new ArrayList<>();
        dataManifest.path("observables").forEach(o -> available.add(o.asText()));
        observables = config.getStringList("magmap.train.observables");
        if (observables.isEmpty()) {
            observables = available;
        }
        for (String o : observables) {
            if (!available.contains(o)) {
                throw new BadInputException(
                        input + "/" + MakePatchesJob.MANIFEST,
                        "has no '" + o + "' patches (magmap.train.observables); it holds " + available);
            }
        }
        // One network reads one kind of image: a stacked observable (HI_CH01+SYNC) is an image of several maps.
        java.util.Set<Integer> channels = new java.util.TreeSet<>();
        observables.forEach(o -> channels.add(StackedObservable.channels(o)));
        if (channels.size() > 1) {
            throw new BadInputException(
                    "magmap.train.observables",
                    "mixes single maps and stacks of maps " + observables + ": one model reads images of one kind");
        }
        try {
            settings = settings.withInputChannels(channels.iterator().next());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("magmap.train.observables " + observables, e.getMessage(), e);
        }
        if (dataManifest.path("per-split").path("train").asLong(0) == 0) {
            throw new BadInputException(input, "has no training patches");
        }
        if (dataManifest.path("per-split").path("validation").asLong(0) == 0) {
            throw new BadInputException(
                    input,
                    "has no validation patches: set magmap.make-patches.splits so that some"
                            + " simulations or spatial blocks validate");
        }
        String init = config.getString("magmap.train.init-model");
        if (!init.isBlank()) {
            initialModel = root + "/" + init;
            initialCard =
                    readJson(new Path(initialModel, CARD), "train it first, or leave magmap.train.init-model empty");
            checkInitialModel(initialCard, initialModel + "/" + CARD, settings, observables, dataManifest);
        }
        String hash = configHash();
        checkpoints = root + "/" + config.getString("magmap.train.checkpoint-dir") + "/" + hash;
    }

    private String configHash() {
        return ConfigHash.of("magmap-train-v2\n" + settings + "\n" + observables + "\n" + maxValidationPatches + "\n"
                + dataManifest.path("config-hash").asText()
                + (initialCard == null
                        ? ""
                        : "\ninit " + initialCard.path("config-hash").asText()));
    }

    /**
     * A model to start from must take the same input and have the architecture this run describes: same model
     * type, patch size, normalisation, observables and (cnn) target, and the same architecture record except the
     * learning rate (this run's applies) and the initialisation seed (unused). One widening is allowed: a cresnet
     * trained on a map (or stack) may start a run on a stack that begins with its maps (HI_CH01 to HI_CH01+SYNC);
     * the added maps' first weights start at zero ({@link InitialWeights#copyWidened}).
     */
    static void checkInitialModel(
            JsonNode card, String cardName, TrainSettings settings, List<String> observables, JsonNode data) {
        String model = card.path("model").asText("cnn");
        if (!model.equals(settings.model())) {
            throw new BadInputException(
                    cardName,
                    "is a '" + model + "', this run trains a '" + settings.model() + "' (magmap.train.model)");
        }
        List<String> trainedOn = new ArrayList<>();
        card.path("inputs").path("image").path("observables").forEach(o -> trainedOn.add(o.asText()));
        boolean widening = widens(model, trainedOn, observables);
        if (widening) {
            EvaluateJob.checkCardMatchesPatchForm(card, data, cardName);
        } else {
            EvaluateJob.checkCardMatchesData(card, data, cardName); // patch size, normalisation, observables held
        }
        if (!widening && !trainedOn.equals(observables)) {
            throw new BadInputException(
                    cardName,
                    "was trained on " + trainedOn + ", this run trains on " + observables
                            + " (magmap.train.observables; a cresnet may also start a stack that begins with its"
                            + " maps)");
        }
        if (model.equals("cnn") && !card.path("target").path("column").asText().equals(settings.target())) {
            throw new BadInputException(
                    cardName,
                    "predicts '" + card.path("target").path("column").asText() + "', this run trains '"
                            + settings.target() + "' (magmap.train.target)");
        }
        com.fasterxml.jackson.databind.node.ObjectNode wanted =
                Json.mapper().valueToTree(model.equals("cnn") ? settings.cnn() : settings.cresnet());
        com.fasterxml.jackson.databind.node.ObjectNode found =
                card.path("architecture").deepCopy();
        List<String> free = new ArrayList<>(List.of("learningRate", "seed"));
        if (widening) {
            free.add("inputChannels");
        }
        for (String key : free) {
            wanted.remove(key);
            found.remove(key);
        }
        if (!wanted.equals(found)) {
            throw new BadInputException(
                    cardName,
                    "has the architecture " + found + ", this run's settings describe " + wanted + " (magmap.train."
                            + model + ".*)");
        }
    }

    /**
     * Whether a cresnet trained on {@code trainedOn} (one observable) may start a run on {@code observables} (one
     * stack) that begins with its maps and adds more.
     */
    static boolean widens(String model, List<String> trainedOn, List<String> observables) {
        if (!model.equals("cresnet") || trainedOn.size() != 1 || observables.size() != 1) {
            return false;
        }
        List<String> from = StackedObservable.maps(trainedOn.get(0));
        List<String> to = StackedObservable.maps(observables.get(0));
        return to.size() > from.size() && to.subList(0, from.size()).equals(from);
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of(
                "input = " + input + " (" + dataManifest.path("patches").asLong() + " patches, per split "
                        + dataManifest.path("per-split") + ")",
                "output = " + output + ", checkpoints = " + checkpoints,
                "model = " + settings.architecture() + ", epochs <= " + settings.epochs() + ", patience "
                        + settings.patience(),
                "observables = " + observables + ", distribution = "
                        + settings.distribution().describe(),
                "initial weights = " + (initialModel == null ? "fresh" : initialModel));
    }

    /**
     * Training state persisted with each checkpoint.
     *
     * @param bestLoss lowest validation loss so far (early stopping)
     * @param bestSelection lowest checkpoint-selection score so far (validation MSE, or -PSNR)
     * @param bestEpoch epoch of the kept checkpoint
     */
    record State(
            int epoch,
            double bestLoss,
            double bestSelection,
            int bestEpoch,
            int epochsWithoutImprovement,
            List<Map<String, Object>> history) {}

    /**
     * Refuses a master whose executors run more than one task at a time, for a training mode that cannot share an
     * executor JVM (gradient sharing: see the call). Local[1], or spark.task.cpus equal to the executor's cores,
     * passes.
     */
    static void requireOneTaskPerExecutor(org.apache.spark.SparkConf conf, String master, String setting, String why) {
        int cores;
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("^local\\[(\\d+|\\*)(,\\d+)?\\]$")
                .matcher(master);
        if (master.equals("local")) {
            cores = 1;
        } else if (local.matches()) {
            cores = local.group(1).equals("*")
                    ? Runtime.getRuntime().availableProcessors()
                    : Integer.parseInt(local.group(1));
        } else {
            cores = conf.getInt("spark.executor.cores", 1);
        }
        int taskCpus = conf.getInt("spark.task.cpus", 1);
        if (cores / taskCpus > 1) {
            throw new BadInputException(
                    setting,
                    "needs one training task per executor (" + why + "), but " + master + " runs " + (cores / taskCpus)
                            + ": set spark.task.cpus=" + cores + " (or run local[1])");
        }
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        org.apache.spark.SparkContext sc = spark.sparkContext();
        if (settings.distribution().strategy().equals(Distribution.GRADIENT_SHARING) && !sc.isLocal()) {
            // Local mode trains one partition (Distribution.gradientSharingWorkers); a cluster trains one per
            // executor, and a second task in the same executor could start after the first finished and wait forever.
            requireOneTaskPerExecutor(
                    sc.getConf(),
                    sc.master(),
                    "magmap.train.distribution = gradient-sharing",
                    "dl4j-spark's shared training wrapper hangs a task that joins an executor's training late");
        }
        String hash = configHash();
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("model", MODEL);
        outputs.put("card", CARD);
        outputs.put("history", HISTORY);
        return writeCommitted(spark, output, hash, overwrite, "magmap.train.overwrite", outputs, (out, outcome) -> {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            Dataset<Row> all = spark.read()
                    .parquet(input + "/" + MakePatchesJob.PATCHES)
                    .filter(functions.col("observable").isin(observables.toArray()));
            Dataset<Row> train = subset(all.filter("split = 'train'"), settings.maxTrainPatches(), "train");
            Dataset<Row> validation = subset(all.filter("split = 'validation'"), maxValidationPatches, "validation");
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("observables", observables);
            image.put("normalization", dataManifest.path("normalization").asText());
            ModelTraining training = settings.model().equals("cnn")
                    ? new CnnTraining(settings, train, validation, image)
                    : new MapModelTraining(
                            settings,
                            train,
                            validation,
                            image,
                            initialCard == null ? null : MapModelReport.targets(initialCard));

            FileSystem fs = out.fileSystem();
            Path checkpointDir = new Path(checkpoints);
            State state;
            Path last = new Path(checkpointDir, "last.zip");
            if (fs.exists(last) && fs.exists(new Path(checkpointDir, "state.json"))) {
                try (java.io.InputStream in = fs.open(new Path(checkpointDir, "state.json"))) {
                    state = Json.mapper().readValue(in, State.class);
                }
                try (java.io.InputStream in = fs.open(last)) {
                    training.start(jsc, in, null, settings.distribution());
                }
                LOG.info(
                        "train: resuming from {} after epoch {} (best checkpoint: epoch {})",
                        checkpointDir,
                        state.epoch(),
                        state.bestEpoch());
            } else if (initialModel != null) {
                try (java.io.InputStream in = fs.open(new Path(initialModel, MODEL))) {
                    training.start(jsc, null, in, settings.distribution());
                }
                LOG.info("train: starting from the weights of {} (fresh optimiser state)", initialModel);
                state = new State(0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0, 0, List.of());
            } else {
                training.start(jsc, null, null, settings.distribution());
                state = new State(0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0, 0, List.of());
            }
            long trainCount = training.trainCount();
            LOG.info(
                    "train: {} parameters, {} training patches, {}",
                    training.network().numParams(),
                    trainCount,
                    training.engineDescription());
            List<Map<String, Object>> history = new ArrayList<>(state.history());
            long started = System.nanoTime();
            int firstEpoch = state.epoch();
            while (state.epoch() < settings.epochs() && state.epochsWithoutImprovement() < settings.patience()) {
                int epoch = state.epoch() + 1;
                long t0 = System.nanoTime();
                long fitted = training.fitEpoch(epoch);
                double fitSeconds = (System.nanoTime() - t0) / 1e9;
                byte[] model = ModelEvaluation.bytes(training.network());
                ModelTraining.EpochScore score = training.validate(jsc, model, epoch);
                if (!Double.isFinite(score.loss())) {
                    // Not checkpointed: the last checkpoint (if any) stays the one to resume from.
                    throw new IllegalStateException(String.format(
                            Locale.ROOT,
                            "training diverged: the validation loss is %s after epoch %d (%s); lower"
                                    + " magmap.train.learning-rate or check the patches' values",
                            score.loss(),
                            epoch,
                            score.logLine()));
                }
                boolean lower = score.loss() < state.bestLoss();
                boolean best = Double.isFinite(score.selection()) && score.selection() < state.bestSelection();
                Map<String, Object> h = new LinkedHashMap<>();
                h.put("epoch", epoch);
                h.putAll(score.values());
                // What the workers fitted, which under parameter averaging is below the epoch's patches.
                h.put("samples-fitted", fitted);
                h.put("samples-per-second", fitted / fitSeconds);
                h.put("seconds", fitSeconds);
                history.add(h);
                double perEpoch = (System.nanoTime() - started) / 1e9 / (epoch - firstEpoch);
                LOG.info(String.format(
                        Locale.ROOT,
                        "train: epoch %d/%d: %s%s, %.0f samples/s, %.1f s (ETA %s at most)",
                        epoch,
                        settings.epochs(),
                        score.logLine(),
                        best ? " - best so far" : "",
                        fitted / fitSeconds,
                        fitSeconds,
                        ProgressMeter.duration((long) (1000 * perEpoch * (settings.epochs() - epoch)))));
                state = new State(
                        epoch,
                        lower ? score.loss() : state.bestLoss(),
                        best ? score.selection() : state.bestSelection(),
                        best ? epoch : state.bestEpoch(),
                        lower ? 0 : state.epochsWithoutImprovement() + 1,
                        history);
                checkpoint(fs, checkpointDir, training.network(), state, best);
            }
            if (state.epochsWithoutImprovement() >= settings.patience()) {
                LOG.info(
                        "train: early stop after epoch {}: no lower validation loss for {} epochs",
                        state.epoch(),
                        settings.patience());
            }
            byte[] bestBytes;
            try (var in = fs.open(new Path(checkpointDir, "best.zip"))) {
                bestBytes = in.readAllBytes();
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (String split : List.of("train", "validation", "test")) {
                Map<String, Object> m = training.splitMetrics(
                        jsc,
                        bestBytes,
                        subset(all.filter("split = '" + split + "'"), maxMetricsPatches, split + " metrics"));
                if (!m.isEmpty()) {
                    metrics.put(split, m);
                }
            }
            try (OutputStream o = fs.create(new Path(out.staging(), MODEL), true)) {
                o.write(bestBytes);
            }
            Json.write(fs, new Path(out.staging(), HISTORY), history);
            Json.write(fs, new Path(out.staging(), CARD), card(hash, state, training, metrics));
            training.close();
            fs.delete(checkpointDir, true); // the run is complete: nothing to resume
            outcome.line(String.format(
                    Locale.ROOT,
                    "best epoch %d of %d (%s)",
                    state.bestEpoch(),
                    state.epoch(),
                    bestLine(history, state)));
            Object test = metrics.get("test");
            if (test instanceof Map<?, ?> t) {
                Map<Object, Object> brief = new LinkedHashMap<>(t);
                brief.remove("per-simulation");
                brief.remove("per-map");
                outcome.line("test metrics: " + brief);
            }
        });
    }

    /** At most {@code max} random rows (0 = all); see {@link RandomSubset}. */
    private Dataset<Row> subset(Dataset<Row> rows, long max, String what) {
        if (max <= 0) {
            return rows;
        }
        long n = rows.count();
        if (n > max) {
            LOG.info("train: using a random {} of the {} {} patches", max, n, what);
        }
        return RandomSubset.atMost(rows, max, n, settings.cnn().seed());
    }

    private static String bestLine(List<Map<String, Object>> history, State state) {
        for (Map<String, Object> h : history) {
            if (((Number) h.get("epoch")).intValue() == state.bestEpoch()) {
                Map<String, Object> brief = new LinkedHashMap<>(h);
                brief.remove("epoch");
                return brief.toString();
            }
        }
        return "";
    }

    /**
     * Writes last.zip (with updater state), best.zip when this epoch is the best, and state.json, each via a
     * temporary name and a rename, so a kill at any moment leaves a consistent checkpoint.
     */
    private static void checkpoint(FileSystem fs, Path dir, Model net, State state, boolean best) throws IOException {
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

    private Map<String, Object> card(String hash, State state, ModelTraining training, Map<String, Object> metrics) {
        Map<String, Object> card = manifestHeader("magmap model card", hash);
        card.putAll(training.cardEntries());
        card.put("engine", training.engineDescription());
        card.put("patch-size", dataManifest.path("patch-size").asInt());
        card.put("data-manifest-config-hash", dataManifest.path("config-hash").asText());
        card.put("data", input);
        if (initialModel != null) {
            card.put(
                    "initialised-from",
                    Map.of(
                            "model",
                            initialModel,
                            "config-hash",
                            initialCard.path("config-hash").asText()));
        }
        card.put("epochs", state.epoch());
        card.put("best-epoch", state.bestEpoch());
        card.put("metrics-max-patches-per-split", maxMetricsPatches); // 0: every patch of the split
        card.put("metrics", metrics);
        return card;
    }
}
