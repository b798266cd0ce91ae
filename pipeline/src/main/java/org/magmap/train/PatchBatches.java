package org.magmap.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.magmap.spark.PatchSchema;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parquet patch rows to DL4J mini-batches, on the executors: each partition reads its rows (only the image and
 * target columns are decoded) and packs them into {@link DataSet}s of features [B, 1, s, s] and labels [B, 1].
 */
public final class PatchBatches {
    private PatchBatches() {}

    /** Mini-batches of one scalar target column (e.g. "b_ug"). */
    public static JavaRDD<DataSet> scalarTarget(Dataset<Row> patches, String target, int batchSize) {
        return patches.select("image", target, "size").toJavaRDD().mapPartitions(rows -> new Batcher(rows, batchSize));
    }

    /** Packs rows (image, target, size) into batches. */
    static final class Batcher implements Iterator<DataSet> {
        private final Iterator<Row> rows;
        private final int batchSize;

        Batcher(Iterator<Row> rows, int batchSize) {
            this.rows = rows;
            this.batchSize = batchSize;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public DataSet next() {
            if (!rows.hasNext()) {
                throw new NoSuchElementException();
            }
            List<float[]> images = new ArrayList<>(batchSize);
            List<Double> labels = new ArrayList<>(batchSize);
            int size = 0;
            while (rows.hasNext() && images.size() < batchSize) {
                Row r = rows.next();
                images.add(PatchSchema.floats(r.getAs(0)));
                labels.add(r.getDouble(1));
                size = r.getInt(2);
            }
            int n = images.size();
            float[] features = new float[n * size * size];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(images.get(i), 0, features, i * size * size, size * size);
                y[i] = labels.get(i).floatValue();
            }
            return new DataSet(Nd4j.create(features, new long[] {n, 1, size, size}), Nd4j.create(y, new long[] {n, 1}));
        }
    }
}
