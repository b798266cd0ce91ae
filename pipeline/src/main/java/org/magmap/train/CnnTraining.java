package org.magmap.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.magmap.batch.PatchBatches;
import org.magmap.evaluate.CnnEvaluation;
import org.magmap.evaluate.RegressionSums;
import org.magmap.model.Cnn;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The cluster paper's CNN: one normalised map in, one scalar target out (docs/science.md section 4), MSE loss in the
 * target's unit squared. Validation MSE drives both early stopping and the checkpoint kept.
 */
public final class CnnTraining extends EngineTraining<MultiLayerNetwork, DataSet> {
    private final TrainSettings settings;
    private final Dataset<Row> validation;
    private final Map<String, Object> image;
    private double trainMean;

    /**
     * @param train training rows (already capped), validation rows, and the card's description of the image input
     */
    public CnnTraining(TrainSettings settings, Dataset<Row> train, Dataset<Row> validation, Map<String, Object> image) {
        super(
                train.select("simulation", "image", settings.target(), "size"),
                settings.cnn().seed());
        String target = settings.target();
        this.settings = settings;
        this.validation = validation.select("simulation", "image", target, "size");
        this.image = image;
    }

    @Override
    public void start(JavaSparkContext jsc, InputStream checkpoint, InputStream initial, Distribution distribution)
            throws IOException {
        Row stats = train.agg(functions.count(functions.lit(1)), functions.avg(settings.target()))
                .first(); // count and mean in one pass
        trainMean = stats.getDouble(1);
        MultiLayerNetwork net;
        if (checkpoint != null) {
            net = ModelSerializer.restoreMultiLayerNetwork(checkpoint, true);
        } else {
            net = new MultiLayerNetwork(Cnn.build(settings.cnn(), trainMean));
            net.init();
            if (initial != null) {
                InitialWeights.copy(ModelSerializer.restoreMultiLayerNetwork(initial, false), net);
            }
        }
        int batchSize = distribution.batchSizePerWorker();
        long seed = settings.cnn().seed();
        ready(
                SparkEngine.of(jsc, net, distribution),
                settings.cnnDihedral()
                        ? epoch -> PatchBatches.scalarTargetDihedral(
                                train, settings.target(), batchSize, seed * 1_000_003L + epoch)
                        : epoch -> PatchBatches.scalarTarget(train, settings.target(), batchSize),
                stats.getLong(0));
    }

    @Override
    public EpochScore validate(JavaSparkContext jsc, byte[] model, int epoch) {
        RegressionSums val = total(CnnEvaluation.perSimulation(
                jsc, dl4j(model), validation, settings.target(), trainMean, EVALUATION_BATCH));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("validation-mse", val.mse());
        values.put("validation-r2", val.r2());
        return new EpochScore(
                val.mse(),
                val.mse(),
                "validation MSE",
                values,
                String.format(Locale.ROOT, "validation MSE %.4g %s^2 (R^2 %.3f)", val.mse(), unit(), val.r2()));
    }

    /** Mini-batch of the executors' predictions (memory, not accuracy). */
    static final int EVALUATION_BATCH = 256;

    /**
     * The network being trained, scored by DL4J itself: each epoch's parameters are a new model, and ONNX Runtime
     * keeps one session per model for the JVM's life.
     */
    private static org.magmap.predict.ModelBytes dl4j(byte[] model) {
        return new org.magmap.predict.ModelBytes(org.magmap.predict.Engine.DL4J, false, model);
    }

    @Override
    public Map<String, Object> splitMetrics(JavaSparkContext jsc, byte[] model, Dataset<Row> split) {
        Map<String, RegressionSums> per = CnnEvaluation.perSimulation(
                jsc,
                dl4j(model),
                split.select("simulation", "image", settings.target(), "size"),
                settings.target(),
                trainMean,
                EVALUATION_BATCH);
        if (per.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> m = describe(total(per));
        Map<String, Object> sims = new TreeMap<>();
        per.forEach((sim, s) -> sims.put(sim, describe(s)));
        m.put("per-simulation", sims);
        return m;
    }

    private static Map<String, Object> describe(RegressionSums s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("patches", s.n());
        m.put("mse", s.mse());
        m.put("r2", s.r2());
        m.put("mse-of-predicting-the-training-mean", s.constantBaselineMse());
        return m;
    }

    static RegressionSums total(Map<String, RegressionSums> per) {
        RegressionSums t = RegressionSums.EMPTY;
        for (RegressionSums s : per.values()) {
            t = t.merge(s);
        }
        return t;
    }

    /** The unit of a scalar target column. */
    public String unit() {
        return switch (settings.target()) {
            case "b_ug" -> "uG";
            case "gamma_deg" -> "deg";
            default -> "";
        };
    }

    @Override
    public Map<String, Object> cardEntries() {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model", "cnn");
        card.put("architecture", settings.cnn());
        card.put(
                "augmentation",
                settings.cnnDihedral()
                        ? "each training patch under a random one of its 8 rotations and mirrors, drawn every epoch"
                        : "none beyond make-patches'");
        Map<String, Object> in = new LinkedHashMap<>(image);
        in.put("shape", List.of(1, settings.cnn().patchSize(), settings.cnn().patchSize()));
        card.put("inputs", Map.of("image", in));
        card.put("conditioning", List.of());
        card.put("target", Map.of("column", settings.target(), "unit", unit(), "training-mean", trainMean));
        card.put("training-patches", trainCount());
        return card;
    }
}
