package org.magmap.evaluate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.magmap.patch.PatchSchema;
import org.magmap.predict.ModelBytes;
import org.magmap.predict.ModelRunner;
import org.magmap.spark.TaskCores;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Measures a scalar-output network (the cluster CNN) on the executors and brings back only per-simulation sums ({@link RegressionSums}): the network
 * travels as the bytes of its saved zip (a broadcast of plain bytes, never a live INDArray).
 */
public final class CnnEvaluation {
    private CnnEvaluation() {}

    /**
     * Regression sums per simulation of a scalar target.
     *
     * @param constant the trivial baseline's prediction (the training mean)
     */
    public static Map<String, RegressionSums> perSimulation(
            JavaSparkContext jsc,
            ModelBytes model,
            Dataset<Row> patches,
            String target,
            double constant,
            int batchSize) {
        Map<String, RegressionSums> out = new java.util.TreeMap<>();
        grouped(jsc, model, patches, target, constant, batchSize, List.of("simulation"), 1, 1)
                .forEach((k, v) -> out.put(k, v.sums()));
        return out;
    }

    /**
     * Regression sums and deviation histograms of a scalar target per group, the group being the values of
     * {@code groupColumns} joined by "|" (e.g. simulation, or inclination_deg, or noise_ratio).
     *
     * @param histogramMax upper edge of the deviation histogram, in the target's unit
     * @param bins histogram bins
     */
    public static Map<String, GroupMetrics> grouped(
            JavaSparkContext jsc,
            ModelBytes model,
            Dataset<Row> patches,
            String target,
            double constant,
            int batchSize,
            List<String> groupColumns,
            double histogramMax,
            int bins) {
        Broadcast<ModelBytes> shared = jsc.broadcast(model);
        try {
            List<org.apache.spark.sql.Column> cols = new ArrayList<>();
            cols.add(org.apache.spark.sql.functions.concat_ws(
                    "|",
                    groupColumns.stream()
                            .map(c -> org.apache.spark.sql.functions.col(c).cast("string"))
                            .toArray(org.apache.spark.sql.Column[]::new)));
            cols.add(org.apache.spark.sql.functions.col("image"));
            cols.add(org.apache.spark.sql.functions.col(target));
            cols.add(org.apache.spark.sql.functions.col("size"));
            return new java.util.TreeMap<>(patches.select(cols.toArray(org.apache.spark.sql.Column[]::new))
                    .toJavaRDD()
                    .mapPartitionsToPair(rows -> predict(shared.value(), rows, constant, batchSize, histogramMax, bins))
                    .reduceByKey(GroupMetrics::merge)
                    .collectAsMap()); // one entry per group
        } finally {
            shared.destroy();
        }
    }

    private static Iterator<Tuple2<String, GroupMetrics>> predict(
            ModelBytes model, Iterator<Row> rows, double constant, int batch, double histogramMax, int bins) {
        ModelRunner net = model.runner(TaskCores.current());
        // Mutable per-partition accumulators; records are built once at the end.
        java.util.Map<String, RegressionSums> sums = new java.util.HashMap<>();
        java.util.Map<String, long[]> counts = new java.util.HashMap<>();
        List<Row> pending = new ArrayList<>(batch);
        while (rows.hasNext()) {
            pending.add(rows.next());
            if (pending.size() == batch || !rows.hasNext()) {
                int size = pending.get(0).getInt(3);
                float[] features = new float[pending.size() * size * size];
                for (int i = 0; i < pending.size(); i++) {
                    System.arraycopy(
                            PatchSchema.floats(pending.get(i).getAs(1)), 0, features, i * size * size, size * size);
                }
                INDArray out =
                        net.output(new INDArray[] {Nd4j.create(features, new long[] {pending.size(), 1, size, size})});
                for (int i = 0; i < pending.size(); i++) {
                    Row r = pending.get(i);
                    double truth = r.getDouble(2);
                    double prediction = out.getDouble(i, 0);
                    String key = r.getString(0);
                    sums.merge(key, RegressionSums.EMPTY.add(truth, prediction, constant), RegressionSums::merge);
                    long[] c = counts.computeIfAbsent(key, k -> new long[bins + 1]); // last slot: overflow
                    double sigma = Math.abs(prediction - truth);
                    c[sigma < histogramMax ? (int) (sigma / histogramMax * bins) : bins]++;
                }
                pending.clear();
            }
        }
        java.util.Map<String, GroupMetrics> result = new java.util.HashMap<>();
        sums.forEach((k, v) -> {
            long[] c = counts.get(k);
            result.put(
                    k,
                    new GroupMetrics(
                            v, new DeviationHistogram(histogramMax, java.util.Arrays.copyOf(c, bins), c[bins])));
        });
        List<Tuple2<String, GroupMetrics>> out = new ArrayList<>();
        result.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        return out.iterator();
    }
}
