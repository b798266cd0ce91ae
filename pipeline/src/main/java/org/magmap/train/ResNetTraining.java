package org.magmap.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.magmap.batch.Conditions;
import org.magmap.batch.PatchBatches;
import org.magmap.evaluate.MapMetrics;
import org.magmap.evaluate.ResNetEvaluation;
import org.magmap.model.CResNet;
import org.magmap.model.CResNetConfig;
import org.magmap.predict.MapTargets;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * The H I paper's conditional ResNet (docs/science.md section 4): a map and the observational conditions in, the six
 * target maps out ({@link MapTargets}), MSE over the scaled maps. Every epoch the validation loss (early
 * stopping); every {@code psnrEvery} epochs, and on the first and last, the PSNR on the validation patches without
 * observational effects (no noise, no beam: the "untransformed" held-out data), which selects the checkpoint
 * kept, as in the paper.
 */
public final class ResNetTraining extends EngineTraining<ComputationGraph, MultiDataSet> {
    private final TrainSettings settings;
    private final Dataset<Row> validation;
    private final Dataset<Row> cleanValidation;
    private final Map<String, Object> image;
    private final MapTargets initialTargets;
    private MapTargets targets;
    private boolean validationIsClean;

    /** The columns read: the simulation, what the batches need, and the scalars whose statistics scale them. */
    private static final Column[] COLUMNS = columns();

    private static Column[] columns() {
        List<String> cols = new ArrayList<>(List.of("simulation"));
        cols.addAll(PatchBatches.imageToImageColumns());
        cols.addAll(MapTargets.SCALE_COLUMNS);
        return cols.stream().distinct().map(functions::col).toArray(Column[]::new);
    }

    public ResNetTraining(
            TrainSettings settings, Dataset<Row> train, Dataset<Row> validation, Map<String, Object> image) {
        this(settings, train, validation, image, null);
    }

    /**
     * @param initialTargets the target scaling of the model this run starts from (its card's), kept so the
     *     network's outputs keep their meaning; null: scaled by this run's training patches
     */
    public ResNetTraining(
            TrainSettings settings,
            Dataset<Row> train,
            Dataset<Row> validation,
            Map<String, Object> image,
            MapTargets initialTargets) {
        super(train.select(COLUMNS), settings.cresnet().seed());
        this.settings = settings;
        this.validation = validation.select(COLUMNS);
        this.cleanValidation = this.validation.filter("noise_ratio = 0 AND beam_fwhm_px = 0");
        this.image = image;
        this.initialTargets = initialTargets;
    }

    @Override
    public void start(JavaSparkContext jsc, InputStream checkpoint, InputStream initial, Distribution distribution)
            throws IOException {
        List<Column> stats = new ArrayList<>();
        stats.add(functions.count(functions.lit(1)));
        for (String c : MapTargets.SCALE_COLUMNS) {
            stats.add(functions.avg(c));
            stats.add(functions.stddev_pop(c));
        }
        Row s = train.agg(stats.get(0), stats.subList(1, stats.size()).toArray(Column[]::new))
                .first();
        int k = MapTargets.SCALE_COLUMNS.size();
        double[] means = new double[k];
        double[] stds = new double[k];
        for (int i = 0; i < k; i++) {
            means[i] = s.getDouble(1 + 2 * i);
            stds[i] = s.getDouble(2 + 2 * i);
        }
        targets = initialTargets != null ? initialTargets : MapTargets.fromTrainingStatistics(means, stds);
        validationIsClean = validation.count() == cleanValidation.count();
        ComputationGraph net;
        if (checkpoint != null) {
            net = ModelSerializer.restoreComputationGraph(checkpoint, true);
        } else {
            net = new ComputationGraph(CResNet.build(settings.cresnet()));
            net.init();
            if (initial != null) {
                ComputationGraph saved = ModelSerializer.restoreComputationGraph(initial, false);
                if (saved.numParams() == net.numParams()) {
                    InitialWeights.copy(saved, net);
                } else {
                    InitialWeights.copyWidened(saved, net); // a stack that begins with the saved model's maps
                }
            }
        }
        int batchSize = distribution.batchSizePerWorker();
        long seed = settings.cresnet().seed();
        MapTargets scaling = targets;
        ready(
                SparkEngine.of(jsc, net, distribution),
                settings.cresnetDihedral()
                        ? epoch ->
                                PatchBatches.imageToImageDihedral(train, scaling, batchSize, seed * 1_000_003L + epoch)
                        : epoch -> PatchBatches.imageToImage(train, scaling, batchSize),
                s.getLong(0));
    }

    public MapTargets targets() {
        return targets;
    }

    @Override
    public EpochScore validate(JavaSparkContext jsc, byte[] model, int epoch) {
        MapMetrics all = total(evaluate(jsc, model, validation));
        boolean psnrEpoch = epoch == 1 || epoch % settings.psnrEvery() == 0 || epoch == settings.epochs();
        MapMetrics clean = null;
        if (psnrEpoch) {
            clean = validationIsClean ? all : total(evaluate(jsc, model, cleanValidation));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("validation-mse", all.mse());
        values.put("validation-median-psi-deviation-deg", all.medianPsiDeviationDeg());
        String line = String.format(
                Locale.ROOT,
                "validation MSE %.4g (scaled maps), median |dpsi| %.1f deg",
                all.mse(),
                all.medianPsiDeviationDeg());
        double selection = Double.NaN;
        if (clean != null && clean.pixels() > 0) {
            values.put("psnr-db", clean.meanPsnr());
            selection = -clean.meanPsnr();
            line += String.format(Locale.ROOT, ", PSNR %.2f dB", clean.meanPsnr());
        }
        return new EpochScore(all.mse(), selection, "-PSNR (dB)", values, line);
    }

    private Map<String, MapMetrics> evaluate(JavaSparkContext jsc, byte[] model, Dataset<Row> rows) {
        // Scored by DL4J itself: each epoch's parameters are a new model, and ONNX Runtime keeps one session per
        // model for the JVM's life.
        return ResNetEvaluation.grouped(
                jsc,
                new org.magmap.predict.ModelBytes(org.magmap.predict.Engine.DL4J, true, model),
                rows,
                targets,
                EVALUATION_BATCH,
                "simulation");
    }

    /** Mini-batch of the executors' predictions (memory, not accuracy). */
    static final int EVALUATION_BATCH = 64;

    @Override
    public Map<String, Object> splitMetrics(JavaSparkContext jsc, byte[] model, Dataset<Row> split) {
        Map<String, MapMetrics> per = evaluate(jsc, model, split);
        if (per.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> m = ResNetEvaluation.describe(total(per), targets);
        Map<String, Object> sims = new TreeMap<>();
        per.forEach((sim, s) -> sims.put(sim, ResNetEvaluation.describe(s, targets)));
        m.put("per-simulation", sims);
        return m;
    }

    static MapMetrics total(Map<String, MapMetrics> per) {
        return MapMetrics.sum(MapTargets.COLUMNS.size(), per.values());
    }

    @Override
    public Map<String, Object> cardEntries() {
        CResNetConfig c = settings.cresnet();
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model", "cresnet");
        card.put("architecture", c);
        card.put(
                "augmentation",
                settings.cresnetDihedral()
                        ? "each training patch and its target maps under a random one of its 8 rotations and mirrors,"
                                + " psi turned along, drawn every epoch"
                        : "none beyond make-patches'");
        card.put("dihedral-augmentation", settings.cresnetDihedral());
        Map<String, Object> in = new LinkedHashMap<>(image);
        in.put("shape", List.of(c.inputChannels(), c.patchSize(), c.patchSize()));
        Map<String, Object> cond = new LinkedHashMap<>();
        cond.put("shape", List.of(Conditions.COLUMNS.size()));
        cond.put("columns", Conditions.COLUMNS);
        cond.put("units", Conditions.UNITS);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("image", in);
        inputs.put("condition", cond);
        card.put("inputs", inputs);
        card.put("conditioning", Conditions.COLUMNS);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("maps", targets.columns());
        t.put("units", targets.units());
        t.put("offsets", targets.offsets());
        t.put("scales", targets.scales());
        t.put("scaling", "network output x scale + offset = physical value; psi = 0.5 atan2(sin 2psi, cos 2psi)");
        card.put("target", t);
        card.put("training-patches", trainCount());
        return card;
    }
}
