package org.magmap.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.magmap.artifact.ArtifactFiles;
import org.magmap.artifact.ModelCard;
import org.magmap.artifact.PatchManifest;
import org.magmap.artifact.TrainingHistory;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ProgressMeter;
import org.magmap.predict.MapTargets;
import org.magmap.predict.SavedModels;
import org.magmap.spark.RandomSubset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run from a make-patches output to a train output: the epoch loop with validation on the executors,
 * early stopping on the validation loss, the best checkpoint kept by the network's selection score, checkpoints
 * after every epoch (each file replaced atomically, so a kill leaves a consistent set), resume from the last one,
 * and at the end the metrics per split and the model card. The job only reads the settings and commits the
 * output.
 *
 * @param settings the network and loop settings
 * @param input the make-patches output directory
 * @param data its manifest
 * @param observables the observables trained on (one kind of image)
 * @param maxValidationPatches validation patches per epoch, at most (0: all)
 * @param maxMetricsPatches patches per split for the card's metrics, at most (0: all)
 * @param initialModel the train output whose weights start the run, or null
 * @param initialCard its card, or null
 * @param checkpointRoot the directory under which this configuration's checkpoints live
 * @param magmapVersion the magmap version, for the card's header
 */
public record TrainingRun(
        TrainSettings settings,
        String input,
        PatchManifest data,
        List<String> observables,
        long maxValidationPatches,
        long maxMetricsPatches,
        String initialModel,
        ModelCard initialCard,
        String checkpointRoot,
        String magmapVersion) {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    /** The names of the files a train output holds. */
    public static final List<String> OUTPUTS =
            List.of(ModelCard.MODEL, ModelCard.ONNX_MODEL, ModelCard.FILE, TrainingHistory.FILE);

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
            List<Map<String, Object>> history) {
        static State fresh() {
            return new State(0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0, 0, List.of());
        }
    }

    /**
     * What a finished run reports.
     *
     * @param bestEpoch the epoch whose weights were kept
     * @param epochs epochs run in all (with those before a resume)
     * @param bestLine that epoch's validation figures, for the log
     * @param testMetrics the test split's overall metrics (no per-group entries); empty without a test split
     */
    public record Summary(int bestEpoch, int epochs, String bestLine, Map<Object, Object> testMetrics) {}

    /**
     * The hash of everything that decides this run's result: settings, observables, validation subset, the
     * patches' own hash and the initial model's. It names the checkpoint directory, so a changed configuration
     * never resumes another's checkpoints.
     */
    public String configHash() {
        return org.magmap.ops.ConfigHash.of("magmap-train-v2\n" + settings + "\n" + observables + "\n"
                + maxValidationPatches + "\n" + data.configHash()
                + (initialCard == null ? "" : "\ninit " + initialCard.configHash()));
    }

    /** This configuration's checkpoint directory. */
    public String checkpoints() {
        return checkpointRoot + "/" + configHash();
    }

    /**
     * Refuses a master whose executors run more than one task at a time, for a training mode that cannot share an
     * executor JVM (gradient sharing: see the call). Local[1], or spark.task.cpus equal to the executor's cores,
     * passes.
     */
    public static void requireOneTaskPerExecutor(SparkConf conf, String master, String setting, String why) {
        int cores;
        Matcher local = Pattern.compile("^local\\[(\\d+|\\*)(,\\d+)?\\]$").matcher(master);
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

    /** Trains, and writes model, card and history into {@code staging} (the job commits it). */
    public Summary run(SparkSession spark, FileSystem fs, Path staging) throws IOException {
        if (initialCard != null) {
            initialCard.readCheckedModel(new Path(initialModel)
                    .getFileSystem(fs.getConf())); // a bad model.zip fails here, naming it, before any Spark work
        }
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
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sc);
        Dataset<Row> all = spark.read()
                .parquet(PatchManifest.parquet(input))
                .filter(functions.col("observable").isin(observables.toArray()));
        Dataset<Row> train = subset(all.filter("split = 'train'"), settings.maxTrainPatches(), "train");
        Dataset<Row> validation = subset(all.filter("split = 'validation'"), maxValidationPatches, "validation");
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("observables", observables);
        image.put("normalization", data.normalization());
        ModelTraining training = settings.model().equals(ModelCard.CNN)
                ? new CnnTraining(settings, train, validation, image)
                : new ResNetTraining(settings, train, validation, image, initialTargets());

        Checkpoints checkpoints = new Checkpoints(fs, new Path(checkpoints()));
        State state = start(fs, jsc, training, checkpoints);
        LOG.info(
                "train: {} parameters, {} training patches, {}",
                training.network().numParams(),
                training.trainCount(),
                training.engineDescription());
        state = epochs(jsc, training, checkpoints, state);
        if (state.epochsWithoutImprovement() >= settings.patience()) {
            LOG.info(
                    "train: early stop after epoch {}: no lower validation loss for {} epochs",
                    state.epoch(),
                    settings.patience());
        }
        byte[] bestBytes = checkpoints.bestModel(state);
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
        try (var o = fs.create(new Path(staging, ModelCard.MODEL), true)) {
            o.write(bestBytes);
        }
        TrainingHistory.write(fs, staging, state.history());
        ModelCard.write(
                fs,
                staging,
                ArtifactFiles.header(ModelCard.KIND, configHash(), magmapVersion),
                cardEntries(state, training, metrics, conditionRanges(train)));
        // The ONNX copy carries the card just written (its scaling, conditions and inputs) as metadata.
        ModelCard written = ModelCard.read(staging.toString());
        try (var o = fs.create(new Path(staging, ModelCard.ONNX_MODEL), true)) {
            o.write(written.modelBytes(bestBytes, org.magmap.predict.Engine.ONNX)
                    .bytes());
        }
        training.close();
        checkpoints.clear(); // the run is complete: nothing to resume
        Map<Object, Object> test = new LinkedHashMap<>();
        if (metrics.get("test") instanceof Map<?, ?> t) {
            test.putAll(t);
            test.remove("per-simulation");
            test.remove("per-map");
        }
        return new Summary(state.bestEpoch(), state.epoch(), bestLine(state), test);
    }

    /** The target scaling of the model this run starts from, kept so its outputs keep their meaning; or null. */
    private MapTargets initialTargets() {
        if (initialCard == null) {
            return null;
        }
        return initialCard.targetMaps();
    }

    /** Resumes from the last checkpoint, or starts from the initial model's weights, or from scratch. */
    private State start(FileSystem fs, JavaSparkContext jsc, ModelTraining training, Checkpoints checkpoints)
            throws IOException {
        java.util.Optional<Checkpoints.Saved> saved = checkpoints.latest();
        if (saved.isPresent()) {
            State state = saved.get().state();
            try (InputStream in = fs.open(saved.get().resumeModel())) {
                training.start(jsc, in, null, settings.distribution());
            }
            LOG.info(
                    "train: resuming from {} after epoch {} (best checkpoint: epoch {})",
                    saved.get().directory(),
                    state.epoch(),
                    state.bestEpoch());
            return state;
        }
        if (initialModel != null) {
            try (InputStream in = fs.open(new Path(initialModel, ModelCard.MODEL))) {
                training.start(jsc, null, in, settings.distribution());
            }
            LOG.info("train: starting from the weights of {} (fresh optimiser state)", initialModel);
        } else {
            training.start(jsc, null, null, settings.distribution());
        }
        return State.fresh();
    }

    /** Epochs until the limit or early stopping, each checkpointed. */
    private State epochs(JavaSparkContext jsc, ModelTraining training, Checkpoints checkpoints, State state)
            throws IOException {
        List<Map<String, Object>> history = new ArrayList<>(state.history());
        long started = System.nanoTime();
        int firstEpoch = state.epoch();
        while (state.epoch() < settings.epochs() && state.epochsWithoutImprovement() < settings.patience()) {
            int epoch = state.epoch() + 1;
            long t0 = System.nanoTime();
            long fitted = training.fitEpoch(epoch);
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            byte[] model = SavedModels.bytes(training.network());
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
            Model net = training.network();
            checkpoints.save(
                    state,
                    best,
                    o -> ModelSerializer.writeModel(net, o, true),
                    o -> ModelSerializer.writeModel(net, o, false));
        }
        return state;
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

    private static String bestLine(State state) {
        for (Map<String, Object> h : state.history()) {
            if (((Number) h.get("epoch")).intValue() == state.bestEpoch()) {
                Map<String, Object> brief = new LinkedHashMap<>(h);
                brief.remove("epoch");
                return brief.toString();
            }
        }
        return "";
    }

    /**
     * The range of each conditioning column over the training patches, for a conditioned network: what it has
     * seen, so that infer can warn of a survey's conditions outside it. Empty for the cnn.
     */
    private Map<String, List<Double>> conditionRanges(Dataset<Row> train) {
        Map<String, List<Double>> ranges = new LinkedHashMap<>();
        if (!settings.model().equals(ModelCard.CRESNET)) {
            return ranges;
        }
        List<org.apache.spark.sql.Column> aggs = new ArrayList<>();
        for (String c : org.magmap.batch.Conditions.COLUMNS) {
            // NaN (a synchrotron patch's channel width) conditions as 0, as Conditions.read feeds it.
            org.apache.spark.sql.Column v = functions.nanvl(functions.col(c), functions.lit(0.0));
            aggs.add(functions.min(v));
            aggs.add(functions.max(v));
        }
        Row r = train.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new org.apache.spark.sql.Column[0]))
                .first();
        for (int i = 0; i < org.magmap.batch.Conditions.COLUMNS.size(); i++) {
            if (!r.isNullAt(2 * i)) {
                ranges.put(
                        org.magmap.batch.Conditions.COLUMNS.get(i),
                        List.of(r.getDouble(2 * i), r.getDouble(2 * i + 1)));
            }
        }
        return ranges;
    }

    private Map<String, Object> cardEntries(
            State state, ModelTraining training, Map<String, Object> metrics, Map<String, List<Double>> ranges) {
        Map<String, Object> card = new LinkedHashMap<>(training.cardEntries());
        if (!ranges.isEmpty()) {
            card.put(ModelCard.CONDITION_RANGES, ranges);
        }
        card.put("engine", training.engineDescription());
        card.put("patch-size", data.patchSize());
        card.put("data-manifest-config-hash", data.configHash());
        card.put("data", input);
        java.util.Set<String> seen = new java.util.TreeSet<>(data.trainSimulations());
        if (initialCard != null) {
            // The weights it started from saw those too (an older card does not say which: then only these).
            initialCard.recordedSimulationsSeen().ifPresent(seen::addAll);
        }
        card.put(ModelCard.TRAINED_ON, List.copyOf(seen));
        if (initialModel != null) {
            card.put("initialised-from", Map.of("model", initialModel, "config-hash", initialCard.configHash()));
        }
        card.put("epochs", state.epoch());
        card.put("best-epoch", state.bestEpoch());
        card.put("metrics-max-patches-per-split", maxMetricsPatches); // 0: every patch of the split
        card.put("metrics", metrics);
        return card;
    }
}
