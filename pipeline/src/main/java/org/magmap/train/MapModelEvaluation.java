package org.magmap.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.magmap.evaluate.MapMetrics;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import scala.Tuple2;

/**
 * Predicts target maps with an image-to-image ComputationGraph on the executors and brings back only
 * {@link MapMetrics} per group (pixel MSE and PSNR per channel in training units, psi deviation histogram and
 * Alignment Measure). The network travels as the bytes of its saved zip, as in {@link ModelEvaluation}.
 */
public final class MapModelEvaluation {
    private MapModelEvaluation() {}

    /**
     * Metrics per group, the group being the values of {@code groupColumns} joined by "|" (an empty list puts
     * every patch in the group "all").
     */
    public static Map<String, MapMetrics> grouped(
            JavaSparkContext jsc,
            byte[] model,
            Dataset<Row> patches,
            MapTargets targets,
            int batchSize,
            List<String> groupColumns) {
        Broadcast<byte[]> shared = jsc.broadcast(model);
        try {
            List<Column> cols = new ArrayList<>();
            cols.add(
                    groupColumns.isEmpty()
                            ? functions.lit("all")
                            : functions.concat_ws(
                                    "|",
                                    groupColumns.stream()
                                            .map(c -> functions.col(c).cast("string"))
                                            .toArray(Column[]::new)));
            for (String c : PatchBatches.imageToImageColumns()) {
                cols.add(functions.col(c));
            }
            return new TreeMap<>(patches.select(cols.toArray(Column[]::new))
                    .toJavaRDD()
                    .mapPartitionsToPair(rows -> predict(shared.value(), rows, targets, batchSize))
                    .reduceByKey(MapMetrics::merge)
                    .collectAsMap()); // one small record per group
        } finally {
            shared.destroy();
        }
    }

    /** The same metrics for rows (group key first, then {@link PatchBatches#imageToImageColumns}), serially. */
    static Iterator<Tuple2<String, MapMetrics>> predict(
            byte[] model, Iterator<Row> rows, MapTargets targets, int batch) {
        ComputationGraph net = ModelEvaluation.restoreGraph(model);
        Map<String, MapMetrics.Accumulator> acc = new HashMap<>();
        List<Row> pending = new ArrayList<>(batch);
        List<String> keys = new ArrayList<>(batch);
        while (rows.hasNext()) {
            Row r = rows.next();
            keys.add(r.getString(0));
            pending.add(dropFirst(r));
            if (pending.size() == batch || !rows.hasNext()) {
                accumulate(net, pending, keys, targets, acc);
                pending.clear();
                keys.clear();
            }
        }
        List<Tuple2<String, MapMetrics>> out = new ArrayList<>();
        acc.forEach((k, v) -> out.add(new Tuple2<>(k, v.result())));
        return out.iterator();
    }

    private static void accumulate(
            ComputationGraph net,
            List<Row> batch,
            List<String> keys,
            MapTargets targets,
            Map<String, MapMetrics.Accumulator> acc) {
        MultiDataSet data = PatchBatches.pack(batch, targets);
        INDArray out = net.output(false, data.getFeatures())[0];
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
        for (int i = 0; i < batch.size(); i++) {
            MapMetrics.Accumulator a = acc.computeIfAbsent(keys.get(i), k -> new MapMetrics.Accumulator(channels));
            for (int px = 0; px < pixels; px++) {
                for (int c = 0; c < channels; c++) {
                    int idx = (i * channels + c) * pixels + px;
                    t[c] = expected[idx];
                    p[c] = predicted[idx];
                }
                a.add(
                        t,
                        p,
                        MapTargets.psiDeg(t[MapTargets.COS2PSI], t[MapTargets.SIN2PSI]),
                        MapTargets.psiDeg(p[MapTargets.COS2PSI], p[MapTargets.SIN2PSI]));
            }
        }
    }

    private static Row dropFirst(Row r) {
        Object[] values = new Object[r.length() - 1];
        for (int i = 1; i < r.length(); i++) {
            values[i - 1] = r.get(i);
        }
        return org.apache.spark.sql.RowFactory.create(values);
    }
}
