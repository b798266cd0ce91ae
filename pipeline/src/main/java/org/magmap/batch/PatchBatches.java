package org.magmap.batch;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.magmap.patch.Dihedral;
import org.magmap.patch.PatchSchema;
import org.magmap.predict.MapTargets;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parquet patch rows to DL4J mini-batches, on the executors: each partition reads its rows (only the columns the
 * model needs are decoded) and packs them into {@link DataSet}s of features [B, 1, s, s] and labels [B, 1] for
 * the scalar CNN, or {@link MultiDataSet}s of (image [B, C, s, s], condition [B, 3]) and target maps
 * [B, 6, s, s] for the image-to-image model, C being the channels of the observable (1, or a stack's maps:
 * {@link org.magmap.patch.StackedObservable}).
 */
public final class PatchBatches {
    private PatchBatches() {}

    /**
     * The rows in a random order (fixed by the seed). make-patches writes each map's patches together, so without
     * this every mini-batch would hold one simulation and view: batch normalisation would then divide out exactly
     * the between-simulation differences the network must learn (training statistics per batch, running
     * statistics at inference), and each worker's steps between averages would see one simulation only.
     */
    public static Dataset<Row> shuffled(Dataset<Row> rows, long seed) {
        return rows.orderBy(org.apache.spark.sql.functions.rand(seed));
    }

    /** Mini-batches of one scalar target column (e.g. "b_ug"), the images as stored. */
    public static JavaRDD<DataSet> scalarTarget(Dataset<Row> patches, String target, int batchSize) {
        return scalarBatches(patches, target, batchSize, null);
    }

    /**
     * Mini-batches of one scalar target column with each image under a random one of its eight rotations and
     * mirrors ({@link Dihedral}). The choice depends only on {@code seed}, the partition and the row's place in it:
     * the same seed gives the same batches (an epoch's seed makes a resumed epoch repeat the interrupted one).
     */
    public static JavaRDD<DataSet> scalarTargetDihedral(Dataset<Row> patches, String target, int batchSize, long seed) {
        return scalarBatches(patches, target, batchSize, seed);
    }

    private static JavaRDD<DataSet> scalarBatches(Dataset<Row> patches, String target, int batchSize, Long seed) {
        return patches.select("image", target, "size")
                .toJavaRDD()
                .mapPartitionsWithIndex(
                        (partition, rows) -> new Batcher(rows, batchSize, symmetries(seed, partition)), false);
    }

    /** The partition's source of symmetry choices for an epoch's seed, or null without augmentation. */
    private static SplittableRandom symmetries(Long seed, int partition) {
        return seed == null ? null : new SplittableRandom(seed * 0x9E3779B97F4A7C15L + partition);
    }

    /** The columns {@link #imageToImage} reads, in order: image, size, the target maps, the conditions. */
    public static List<String> imageToImageColumns() {
        List<String> cols = new ArrayList<>(List.of("image", "size"));
        cols.addAll(MapTargets.COLUMNS);
        cols.addAll(Conditions.COLUMNS);
        return cols;
    }

    /**
     * Mini-batches for the conditional image-to-image model: features (image, conditions), labels the target maps
     * scaled by {@code targets}. Rows without target maps (made with {@code target-maps = false}) are an error.
     */
    public static JavaRDD<MultiDataSet> imageToImage(Dataset<Row> patches, MapTargets targets, int batchSize) {
        return mapBatches(patches, targets, batchSize, null);
    }

    /**
     * As {@link #imageToImage}, with each patch under a random one of its eight rotations and mirrors
     * ({@link Dihedral}): the image and every target map are moved alike, and the double-angle channels take the
     * symmetry's signs so psi turns with the image (docs/science.md section 3). The conditions (channel width, beam,
     * noise) do not depend on orientation. The choice depends only on {@code seed}, the partition and the row's
     * place in it, as for {@link #scalarTargetDihedral}.
     */
    public static JavaRDD<MultiDataSet> imageToImageDihedral(
            Dataset<Row> patches, MapTargets targets, int batchSize, long seed) {
        return mapBatches(patches, targets, batchSize, seed);
    }

    private static JavaRDD<MultiDataSet> mapBatches(
            Dataset<Row> patches, MapTargets targets, int batchSize, Long seed) {
        List<String> cols = imageToImageColumns();
        return patches.select(cols.get(0), cols.subList(1, cols.size()).toArray(String[]::new))
                .toJavaRDD()
                .mapPartitionsWithIndex(
                        (partition, rows) -> new MapBatcher(rows, targets, batchSize, symmetries(seed, partition)),
                        false);
    }

    /**
     * Packs one row (in {@link #imageToImageColumns} order from field {@code first}) into slot {@code i} of the
     * feature, condition and label buffers, under dihedral symmetry {@code element} (0: as stored).
     */
    private static void packImageToImage(
            Row r,
            int first,
            MapTargets targets,
            int element,
            int i,
            int inputChannels,
            float[] image,
            float[] condition,
            float[] labels) {
        int size = r.getInt(first + 1);
        int pixels = size * size;
        float[] input = moved(PatchSchema.floats(r.getAs(first)), size, element);
        int inputSize = inputChannels * pixels;
        if (input.length != inputSize) {
            throw new IllegalArgumentException("a patch image holds " + input.length / pixels + " channel(s) where "
                    + "the batch's first holds " + inputSize / pixels + ": one model reads one observable's patches");
        }
        System.arraycopy(input, 0, image, i * inputSize, inputSize);
        int channels = targets.channels();
        for (int c = 0; c < channels; c++) {
            if (r.isNullAt(first + 2 + c)) {
                throw new IllegalArgumentException(
                        "patch row has no target map " + targets.columns().get(c)
                                + ": remake the patches with magmap.make-patches.target-maps = true");
            }
            float[] map = moved(PatchSchema.floats(r.getAs(first + 2 + c)), size, element);
            int sign = c == MapTargets.COS2PSI
                    ? Dihedral.cos2PsiSign(element)
                    : c == MapTargets.SIN2PSI ? Dihedral.sin2PsiSign(element) : 1;
            int base = (i * channels + c) * pixels;
            for (int p = 0; p < pixels; p++) {
                labels[base + p] = targets.normalise(c, sign * map[p]);
            }
        }
        Conditions.read(r, first + 2 + channels, condition, i * Conditions.COLUMNS.size());
    }

    private static float[] moved(float[] image, int size, int element) {
        return element == 0 ? image : Dihedral.apply(image, size, element);
    }

    /** Packs rows into image-to-image batches, each patch under a random symmetry when given a source. */
    static final class MapBatcher implements Iterator<MultiDataSet> {
        private final Iterator<Row> rows;
        private final MapTargets targets;
        private final int batchSize;
        private final SplittableRandom symmetries;

        MapBatcher(Iterator<Row> rows, MapTargets targets, int batchSize, SplittableRandom symmetries) {
            this.rows = rows;
            this.targets = targets;
            this.batchSize = batchSize;
            this.symmetries = symmetries;
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public MultiDataSet next() {
            if (!rows.hasNext()) {
                throw new NoSuchElementException();
            }
            List<Row> batch = new ArrayList<>(batchSize);
            while (rows.hasNext() && batch.size() < batchSize) {
                batch.add(rows.next());
            }
            int[] elements = new int[batch.size()];
            if (symmetries != null) {
                for (int i = 0; i < elements.length; i++) {
                    elements[i] = symmetries.nextInt(Dihedral.ORDER);
                }
            }
            return pack(batch, 0, targets, elements);
        }
    }

    /** One image-to-image mini-batch from rows in {@link #imageToImageColumns} order (all of one patch size). */
    public static MultiDataSet pack(List<Row> batch, MapTargets targets) {
        return pack(batch, 0, targets);
    }

    /** As {@link #pack(List, MapTargets)} for rows whose {@link #imageToImageColumns} start at field {@code first}. */
    public static MultiDataSet pack(List<Row> batch, int first, MapTargets targets) {
        return pack(batch, first, targets, new int[batch.size()]);
    }

    /** As {@link #pack(List, int, MapTargets)} with row {@code i} under dihedral symmetry {@code elements[i]}. */
    static MultiDataSet pack(List<Row> batch, int first, MapTargets targets, int[] elements) {
        int n = batch.size();
        int size = batch.get(0).getInt(first + 1);
        int pixels = size * size;
        int inputChannels = ((byte[]) batch.get(0).getAs(first)).length / Float.BYTES / pixels;
        int channels = targets.channels();
        int conditions = Conditions.COLUMNS.size();
        float[] image = new float[n * inputChannels * pixels];
        float[] condition = new float[n * conditions];
        float[] labels = new float[n * channels * pixels];
        for (int i = 0; i < n; i++) {
            packImageToImage(batch.get(i), first, targets, elements[i], i, inputChannels, image, condition, labels);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(
                new INDArray[] {
                    Nd4j.create(image, new long[] {n, inputChannels, size, size}),
                    Nd4j.create(condition, new long[] {n, conditions})
                },
                new INDArray[] {Nd4j.create(labels, new long[] {n, channels, size, size})});
    }

    /** Packs rows (image, target, size) into batches, each image under a random symmetry when given a source. */
    static final class Batcher implements Iterator<DataSet> {
        private final Iterator<Row> rows;
        private final int batchSize;
        private final SplittableRandom symmetries;

        Batcher(Iterator<Row> rows, int batchSize, SplittableRandom symmetries) {
            this.rows = rows;
            this.batchSize = batchSize;
            this.symmetries = symmetries;
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
                size = r.getInt(2);
                float[] image = PatchSchema.floats(r.getAs(0));
                if (image.length != size * size) {
                    throw new IllegalArgumentException("the scalar CNN reads one map per patch; this patch stacks "
                            + image.length / (size * size) + " (train the cresnet on stacked observables)");
                }
                images.add(
                        symmetries == null ? image : Dihedral.apply(image, size, symmetries.nextInt(Dihedral.ORDER)));
                labels.add(r.getDouble(1));
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
