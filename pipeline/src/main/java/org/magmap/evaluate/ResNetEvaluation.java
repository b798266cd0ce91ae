package org.magmap.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;
import org.magmap.baseline.VelocityGradients;
import org.magmap.batch.PatchBatches;
import org.magmap.predict.DihedralMeanRunner;
import org.magmap.predict.MapTargets;
import org.magmap.predict.ModelBytes;
import org.magmap.predict.ModelRunner;
import org.magmap.predict.SavedModels;
import org.magmap.spark.TaskCores;
import org.magmap.spark.TaskProgress;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Predicts target maps with an image-to-image ComputationGraph on the executors and brings back only
 * {@link MapMetrics} per group (pixel MSE and PSNR per channel in training units, psi deviation histogram and
 * Alignment Measure). The network travels as the bytes of its saved zip, as in {@link CnnEvaluation}. Each patch
 * is predicted once however many groupings are asked for. Given several networks (an ensemble), a patch's maps are
 * the mean of theirs ({@link #meanOutput}).
 */
public final class ResNetEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(ResNetEvaluation.class);

    private ResNetEvaluation() {}

    /** Separates a grouping column from its value in the shuffle keys (column names hold no NUL). */
    private static final String SEPARATOR = "\u0000";

    /**
     * Prefix of the pseudo-columns that hold the VGT baseline on the same patches: {@code VGT_ON_PATCHES +
     * "simulation"} maps each simulation to the psi metrics (no target channels) of the Velocity Gradient
     * Technique run on the model's own input patch, one 32-pixel block per patch (Lazarian &amp; Yuen 2018: field
     * = gradient orientation + 90 deg), compared with the true psi pixel by pixel like the model.
     */
    public static final String VGT_ON_PATCHES = "vgt-on-patches:";

    /**
     * Prefix of the pseudo-columns that hold the mean-field reference: each pixel's psi taken as the view's mean
     * field projected on the sky ({@code position_angle_deg}), turned with the patch ({@code rotation_deg}). It
     * reads the truth's large-scale frame, so it is no observational baseline; it says how far the local field
     * strays from the mean one, the part of psi a method must read from the map's local structure. Present when
     * the patches carry both columns.
     */
    public static final String MEAN_FIELD = "mean-field:";

    /**
     * Prefix of the pseudo-columns that hold the metrics of the centre half of each patch (the pixels at least a
     * quarter of the patch side from its edges): {@code CENTRE_HALF + "simulation"} for the model,
     * {@code CENTRE_HALF + VGT_ON_PATCHES + "simulation"} and {@code CENTRE_HALF + MEAN_FIELD + "simulation"} for
     * the references. A network reads less context near a patch's edge; a map tiled with patches that overlap by
     * half keeps each tile's centre half, so this is the error of such a stitched map.
     */
    public static final String CENTRE_HALF = "centre-half:";

    /** The patch columns the mean-field reference reads, in order. */
    static final List<String> MEAN_FIELD_COLUMNS = List.of("position_angle_deg", "rotation_deg");

    /** Metrics per value of one column (e.g. per simulation). */
    public static Map<String, MapMetrics> grouped(
            JavaSparkContext jsc,
            ModelBytes model,
            Dataset<Row> patches,
            MapTargets targets,
            int batchSize,
            String column) {
        return byColumns(jsc, List.of(model), patches, targets, batchSize, List.of(column), false, false, 0)
                .get(column);
    }

    /**
     * Metrics per value of each of {@code columns}, from one prediction pass: column -> value -> metrics (every
     * column present, possibly empty), and the same under {@link #CENTRE_HALF}. With {@code vgtBaseline}, also
     * {@link #VGT_ON_PATCHES} + column and {@link #MEAN_FIELD} + column for each (the latter empty for patches
     * without {@link #MEAN_FIELD_COLUMNS}), each also under {@link #CENTRE_HALF}. With {@code dihedralMean} the
     * model's maps are its {@link DihedralMeanRunner} (eight passes per patch). With more than one model the maps are
     * their mean ({@link org.magmap.predict.EnsembleRunner}). Logs a progress line every 30 s (patches predicted, rate, and an ETA when
     * {@code expectedPatches} is above 0).
     *
     * @param models the saved zips of one network, or of an ensemble of networks with the same inputs and targets
     */
    public static Map<String, Map<String, MapMetrics>> byColumns(
            JavaSparkContext jsc,
            List<ModelBytes> models,
            Dataset<Row> patches,
            MapTargets targets,
            int batchSize,
            List<String> columns,
            boolean vgtBaseline,
            boolean dihedralMean,
            long expectedPatches) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to evaluate");
        }
        Broadcast<ArrayList<ModelBytes>> shared = jsc.broadcast(new ArrayList<>(models));
        try {
            List<Column> cols = new ArrayList<>();
            for (String c : columns) {
                cols.add(functions.col(c).cast("string"));
            }
            for (String c : PatchBatches.imageToImageColumns()) {
                cols.add(functions.col(c));
            }
            boolean meanField = vgtBaseline && List.of(patches.columns()).containsAll(MEAN_FIELD_COLUMNS);
            if (meanField) {
                MEAN_FIELD_COLUMNS.forEach(c -> cols.add(functions.col(c)));
            }
            List<String> names = List.copyOf(columns);
            LongAccumulator predicted = jsc.sc().longAccumulator("patches predicted");
            Map<String, MapMetrics> flat;
            try (TaskProgress progress = TaskProgress.start(
                    patches.sparkSession(),
                    dihedralMean ? "predicting (8 symmetries each)" : "predicting",
                    "patches",
                    expectedPatches,
                    LOG,
                    predicted,
                    30_000)) {
                flat = patches.select(cols.toArray(Column[]::new))
                        .toJavaRDD()
                        .mapPartitionsToPair(rows -> predict(
                                shared.value(),
                                rows,
                                names,
                                targets,
                                batchSize,
                                vgtBaseline,
                                meanField,
                                dihedralMean,
                                predicted))
                        .reduceByKey(MapMetrics::merge)
                        .collectAsMap(); // one small record per column value
            }
            Map<String, Map<String, MapMetrics>> out = new LinkedHashMap<>();
            for (String region : List.of("", CENTRE_HALF)) {
                for (String c : columns) {
                    out.put(region + c, new TreeMap<>());
                    if (vgtBaseline) {
                        out.put(region + VGT_ON_PATCHES + c, new TreeMap<>());
                        out.put(region + MEAN_FIELD + c, new TreeMap<>());
                    }
                }
            }
            flat.forEach((key, m) -> {
                String[] parts = key.split(SEPARATOR, 2);
                out.get(parts[0]).put(parts[1], m);
            });
            return out;
        } finally {
            shared.destroy();
        }
    }

    /**
     * The metrics of rows (the {@code columns}' values as strings, then {@link PatchBatches#imageToImageColumns},
     * then with {@code meanField} the {@link #MEAN_FIELD_COLUMNS}), serially, keyed by column and value; with
     * {@code dihedralMean} each patch's maps are the model's {@link DihedralMeanRunner}. Each batch's patches are added to
     * {@code predicted} (when not null) for the driver's progress line.
     */
    static Iterator<Tuple2<String, MapMetrics>> predict(
            List<ModelBytes> models,
            Iterator<Row> rows,
            List<String> columns,
            MapTargets targets,
            int batch,
            boolean vgtBaseline,
            boolean meanField,
            boolean dihedralMean,
            LongAccumulator predicted) {
        ModelRunner runner = SavedModels.imageToImage(models, dihedralMean, TaskCores.current());
        Map<String, MapMetrics.Accumulator> acc = new HashMap<>();
        List<Row> pending = new ArrayList<>(batch);
        while (rows.hasNext()) {
            pending.add(rows.next());
            if (pending.size() == batch || !rows.hasNext()) {
                accumulate(runner, pending, columns, targets, acc, vgtBaseline, meanField);
                if (predicted != null) {
                    predicted.add(pending.size());
                }
                pending.clear();
            }
        }
        List<Tuple2<String, MapMetrics>> out = new ArrayList<>();
        acc.forEach((k, v) -> out.add(new Tuple2<>(k, v.result())));
        return out.iterator();
    }

    private static void accumulate(
            ModelRunner runner,
            List<Row> batch,
            List<String> columns,
            MapTargets targets,
            Map<String, MapMetrics.Accumulator> acc,
            boolean vgtBaseline,
            boolean meanField) {
        int first = columns.size();
        MultiDataSet data = PatchBatches.pack(batch, first, targets);
        INDArray out = runner.output(data.getFeatures());
        INDArray truth = data.getLabels(0);
        int channels = targets.channels();
        long size = truth.size(2);
        float[] predicted = out.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .dup('c')
                .data()
                .asFloat();
        float[] expected = truth.dup('c').data().asFloat();
        int pixels = (int) (size * size);
        float[] t = new float[channels];
        float[] p = new float[channels];
        MapMetrics.Accumulator[] rowAcc = new MapMetrics.Accumulator[first];
        MapMetrics.Accumulator[] vgtAcc = new MapMetrics.Accumulator[vgtBaseline ? first : 0];
        MapMetrics.Accumulator[] meanFieldAcc = new MapMetrics.Accumulator[meanField ? first : 0];
        MapMetrics.Accumulator[] centreAcc = new MapMetrics.Accumulator[first];
        MapMetrics.Accumulator[] centreVgtAcc = new MapMetrics.Accumulator[vgtBaseline ? first : 0];
        MapMetrics.Accumulator[] centreMeanFieldAcc = new MapMetrics.Accumulator[meanField ? first : 0];
        int margin = (int) (size / 4);
        int meanFieldFirst = first + PatchBatches.imageToImageColumns().size();
        float[] images = vgtBaseline ? data.getFeatures(0).dup('c').data().asFloat() : null;
        long inputPlanes = data.getFeatures(0).size(1); // a stacked observable's maps: the VGT reads the first
        float[] image = new float[pixels];
        for (int i = 0; i < batch.size(); i++) {
            Row r = batch.get(i);
            lookUp(acc, "", columns, r, channels, rowAcc);
            lookUp(acc, CENTRE_HALF, columns, r, channels, centreAcc);
            float[] vgtPsi = null;
            if (vgtBaseline) {
                lookUp(acc, VGT_ON_PATCHES, columns, r, 0, vgtAcc);
                lookUp(acc, CENTRE_HALF + VGT_ON_PATCHES, columns, r, 0, centreVgtAcc);
                System.arraycopy(images, (int) (i * inputPlanes * pixels), image, 0, pixels); // the first map
                vgtPsi = VelocityGradients.fieldOrientation(
                                new float[][] {image}, (int) size, (int) size, VelocityGradients.Settings.of((int)
                                        size))
                        .pixelFieldDeg();
            }
            double meanFieldPsi = Double.NaN;
            if (meanField) {
                lookUp(acc, MEAN_FIELD, columns, r, 0, meanFieldAcc);
                lookUp(acc, CENTRE_HALF + MEAN_FIELD, columns, r, 0, centreMeanFieldAcc);
                // make-patches turns the content counter-clockwise by rotation_deg, and psi (from +x towards +y)
                // with it (docs/science.md section 3: rotating an image by alpha adds alpha to psi)
                meanFieldPsi = r.getDouble(meanFieldFirst) + r.getDouble(meanFieldFirst + 1);
            }
            for (int px = 0; px < pixels; px++) {
                for (int c = 0; c < channels; c++) {
                    int idx = (i * channels + c) * pixels + px;
                    t[c] = expected[idx];
                    p[c] = predicted[idx];
                }
                double truePsi = MapTargets.psiDeg(t[MapTargets.COS2PSI], t[MapTargets.SIN2PSI]);
                double predictedPsi = MapTargets.psiDeg(p[MapTargets.COS2PSI], p[MapTargets.SIN2PSI]);
                for (MapMetrics.Accumulator a : rowAcc) {
                    a.add(t, p, truePsi, predictedPsi);
                }
                for (MapMetrics.Accumulator a : vgtAcc) {
                    a.addPsi(truePsi, vgtPsi[px]);
                }
                for (MapMetrics.Accumulator a : meanFieldAcc) {
                    a.addPsi(truePsi, meanFieldPsi);
                }
                int x = px % (int) size;
                int y = px / (int) size;
                if (Math.min(Math.min(x, y), Math.min(size - 1 - x, size - 1 - y)) >= margin) {
                    for (MapMetrics.Accumulator a : centreAcc) {
                        a.add(t, p, truePsi, predictedPsi);
                    }
                    for (MapMetrics.Accumulator a : centreVgtAcc) {
                        a.addPsi(truePsi, vgtPsi[px]);
                    }
                    for (MapMetrics.Accumulator a : centreMeanFieldAcc) {
                        a.addPsi(truePsi, meanFieldPsi);
                    }
                }
            }
        }
    }

    /** Fills {@code out} with the row's accumulator for each grouping column, under {@code prefix}. */
    private static void lookUp(
            Map<String, MapMetrics.Accumulator> acc,
            String prefix,
            List<String> columns,
            Row r,
            int channels,
            MapMetrics.Accumulator[] out) {
        for (int g = 0; g < columns.size(); g++) {
            out[g] = acc.computeIfAbsent(
                    prefix + columns.get(g) + SEPARATOR + r.getString(g), k -> new MapMetrics.Accumulator(channels));
        }
    }

    /** The figures of one set of map metrics: per-channel RMSE in physical units, PSNR, psi deviation and AM. */
    public static Map<String, Object> describe(MapMetrics s, MapTargets targets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pixels", s.pixels());
        m.put("mse-scaled", s.mse());
        m.put("psnr-db", s.meanPsnr());
        m.put("median-psi-deviation-deg", s.medianPsiDeviationDeg());
        m.put("p90-psi-deviation-deg", s.psiDeviation().quantile(0.9));
        m.put("alignment-measure", s.alignmentMeasure());
        Map<String, Object> channels = new LinkedHashMap<>();
        for (int c = 0; c < targets.channels(); c++) {
            Map<String, Object> ch = new LinkedHashMap<>();
            ch.put("rmse", Math.sqrt(s.mse(c)) * targets.scales()[c]);
            ch.put("unit", targets.units().get(c));
            ch.put("psnr-db", s.psnr(c));
            channels.put(targets.columns().get(c), ch);
        }
        m.put("per-map", channels);
        return m;
    }
}
