package org.magmap.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.magmap.evaluate.RegressionSums;
import org.magmap.spark.PatchSchema;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

/**
 * Predicts on the executors and brings back only per-simulation sums ({@link RegressionSums}): the network
 * travels as the bytes of its saved zip (a broadcast of plain bytes, never a live INDArray).
 */
public final class ModelEvaluation {
    private ModelEvaluation() {}

    /** The saved-model bytes of a network (without updater state). */
    public static byte[] bytes(MultiLayerNetwork net) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ModelSerializer.writeModel(net, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores a network from {@link #bytes}. */
    public static MultiLayerNetwork restore(byte[] bytes) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Regression sums per simulation of a scalar target.
     *
     * @param constant the trivial baseline's prediction (the training mean)
     */
    public static Map<String, RegressionSums> perSimulation(
            JavaSparkContext jsc, byte[] model, Dataset<Row> patches, String target, double constant, int batchSize) {
        Broadcast<byte[]> shared = jsc.broadcast(model);
        try {
            return patches.select("simulation", "image", target, "size")
                    .toJavaRDD()
                    .mapPartitionsToPair(rows -> predict(shared.value(), rows, constant, batchSize))
                    .reduceByKey(RegressionSums::merge)
                    .collectAsMap(); // one entry per simulation
        } finally {
            shared.destroy();
        }
    }

    private static Iterator<Tuple2<String, RegressionSums>> predict(
            byte[] model, Iterator<Row> rows, double constant, int batch) {
        MultiLayerNetwork net = restore(model);
        java.util.Map<String, RegressionSums> sums = new java.util.HashMap<>();
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
                INDArray out = net.output(Nd4j.create(features, new long[] {pending.size(), 1, size, size}), false);
                for (int i = 0; i < pending.size(); i++) {
                    Row r = pending.get(i);
                    sums.merge(
                            r.getString(0),
                            RegressionSums.EMPTY.add(r.getDouble(2), out.getDouble(i, 0), constant),
                            RegressionSums::merge);
                }
                pending.clear();
            }
        }
        List<Tuple2<String, RegressionSums>> out = new ArrayList<>();
        sums.forEach((k, v) -> out.add(new Tuple2<>(k, v)));
        return out.iterator();
    }
}
