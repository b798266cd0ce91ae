package org.magmap.evaluate;

import java.util.ArrayList;
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
import org.magmap.patch.PatchSchema;
import org.magmap.predict.ModelBytes;
import org.magmap.predict.ModelRunner;
import org.magmap.predict.SavedModels;
import org.magmap.spark.TaskCores;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * A scalar-output network and a baseline column measured side by side in one pass: each executor restores the
 * network from its saved bytes (as {@link CnnEvaluation} does), predicts its patches in batches, and fills a
 * {@link ComparisonAccumulator} for every group at once (the whole split, and each value of each group column),
 * so the network predicts each patch once however many tables and figures are wanted. Only the per-group
 * summaries come back to the driver.
 */
public final class CnnComparison {
    private CnnComparison() {}

    /**
     * Metrics per group: key {@link ComparisonAccumulator#ALL} for every patch, and {@code column=value} for each
     * value of each group column (values as Spark casts them to strings, e.g. {@code inclination_deg=60.0}).
     *
     * @param model saved-model bytes ({@link SavedModels#bytes})
     * @param patches patch rows (any split filter already applied)
     * @param target the target column (double)
     * @param baselineColumn a nullable double column compared with the network (e.g. {@code b_eq_ug}), or null
     *     for none
     * @param groupColumns columns whose values define groups
     */
    public static Map<String, Comparison> compare(
            JavaSparkContext jsc,
            ModelBytes model,
            Dataset<Row> patches,
            String target,
            String baselineColumn,
            List<String> groupColumns,
            ComparisonAccumulator.Settings settings,
            int batchSize) {
        List<Column> cols = new ArrayList<>();
        cols.add(functions.col("image"));
        cols.add(functions.col("size"));
        cols.add(functions.col(target).cast("double"));
        cols.add(baselineColumn == null ? functions.lit(null).cast("double") : functions.col(baselineColumn));
        for (String g : groupColumns) {
            cols.add(functions.col(g).cast("string"));
        }
        List<String> names = List.copyOf(groupColumns);
        Broadcast<ModelBytes> shared = jsc.broadcast(model);
        try {
            return new TreeMap<>(patches.select(cols.toArray(Column[]::new))
                    .toJavaRDD()
                    .mapPartitionsToPair(rows -> predict(shared.value(), rows, names, settings, batchSize))
                    .reduceByKey(Comparison::merge)
                    .collectAsMap()); // one entry per group
        } finally {
            shared.destroy();
        }
    }

    private static Iterator<Tuple2<String, Comparison>> predict(
            ModelBytes model,
            Iterator<Row> rows,
            List<String> groupColumns,
            ComparisonAccumulator.Settings settings,
            int batch) {
        ComparisonAccumulator acc = new ComparisonAccumulator(settings);
        if (rows.hasNext()) {
            ModelRunner net = model.runner(TaskCores.current());
            List<Row> pending = new ArrayList<>(batch);
            while (rows.hasNext()) {
                pending.add(rows.next());
                if (pending.size() == batch || !rows.hasNext()) {
                    int size = pending.get(0).getInt(1);
                    float[] features = new float[pending.size() * size * size];
                    for (int i = 0; i < pending.size(); i++) {
                        System.arraycopy(
                                PatchSchema.floats(pending.get(i).getAs(0)), 0, features, i * size * size, size * size);
                    }
                    INDArray out = net.output(
                            new INDArray[] {Nd4j.create(features, new long[] {pending.size(), 1, size, size})});
                    for (int i = 0; i < pending.size(); i++) {
                        Row r = pending.get(i);
                        double truth = r.getDouble(2);
                        double prediction = out.getDouble(i, 0);
                        double baseline = r.isNullAt(3) ? Double.NaN : r.getDouble(3);
                        acc.add(ComparisonAccumulator.ALL, truth, prediction, baseline);
                        for (int g = 0; g < groupColumns.size(); g++) {
                            acc.add(groupColumns.get(g) + "=" + r.getString(4 + g), truth, prediction, baseline);
                        }
                    }
                    pending.clear();
                }
            }
        }
        List<Tuple2<String, Comparison>> out = new ArrayList<>();
        acc.result().forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        return out.iterator();
    }
}
