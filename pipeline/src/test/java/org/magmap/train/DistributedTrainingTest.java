package org.magmap.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.core.loader.impl.SerializedMultiDataSetLoader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.repartitioner.EqualRepartitioner;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.model.Cnn;
import org.magmap.spark.SharedSpark;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameter averaging over two Spark workers reaches a loss comparable to plain single-JVM training on the same
 * data and epochs: the distributed path costs throughput, not accuracy.
 */
class DistributedTrainingTest {
    private static final int SIZE = 8;
    private static final int BATCH = 32;
    private static final int EPOCHS = 12;

    @Test
    void twoWorkersLearnAsWellAsOne() {
        Random rng = new Random(5);
        List<DataSet> train = trainingBatches(rng);
        DataSet test = batch(rng, 512);
        double variance = test.getLabels().varNumber().doubleValue();

        MultiLayerNetwork single = freshCnn();
        for (int e = 0; e < EPOCHS; e++) {
            for (DataSet d : train) {
                single.fit(d);
            }
        }
        double singleMse = mse(single, test);

        JavaSparkContext jsc =
                JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        JavaRDD<DataSet> rdd = jsc.parallelize(train, 2);
        SparkEngine<MultiLayerNetwork, DataSet> engine =
                SparkEngine.of(jsc, freshCnn(), Distribution.parameterAveraging(BATCH, 2));
        for (int e = 0; e < EPOCHS; e++) {
            engine.fitEpoch(rdd);
        }
        double sparkMse = mse(engine.network(), test);
        // The workers' hook counted the examples they fitted (the progress inside an epoch): every one of every
        // epoch. dl4j-spark's own master drops the overflow of its random splits (about 6% to 37% of an epoch);
        // EmptySplitSkippingTrainingMaster fits an overfull split in whole averaging rounds.
        long examples = EPOCHS * train.stream().mapToLong(DataSet::numExamples).sum();
        long fitted = engine.fittedSamples().value();
        assertEquals(examples, fitted, "examples fitted over " + EPOCHS + " epochs");

        // Both learned (the target's own variance is the MSE of predicting its mean) ...
        assertTrue(singleMse < 0.1 * variance, "single JVM MSE " + singleMse + " vs variance " + variance);
        assertTrue(sparkMse < 0.1 * variance, "2-worker MSE " + sparkMse + " vs variance " + variance);
        // ... and to a comparable loss: averaging two workers' steps takes half the updates per epoch, so allow 2x
        assertTrue(sparkMse < 2 * singleMse + 0.01 * variance, "2 workers " + sparkMse + " vs 1 JVM " + singleMse);
    }

    /**
     * dl4j-spark deals each epoch's mini-batch files into random splits, and on a ComputationGraph (the ResNet) its
     * master throws when a split was dealt none: the workers return nothing, and it reads the null aggregate. The
     * master {@link Distribution} builds skips such a split and leaves the network as it was, and still trains on a
     * split with data.
     */
    @Test
    void anEmptySplitIsSkippedWhereDl4jSparkWouldThrow(@TempDir Path dir) throws Exception {
        JavaSparkContext jsc =
                JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        JavaRDD<String> none = jsc.parallelize(new ArrayList<String>(), 2);
        EmptySplitSkippingTrainingMaster master = (EmptySplitSkippingTrainingMaster)
                Distribution.parameterAveraging(BATCH, 2).trainingMaster(jsc);
        master.setNumWorkers(1); // what fitting sets from Spark's parallelism before it deals the splits
        SparkComputationGraph sparkGraph =
                new SparkComputationGraph(jsc, freshCnn().toComputationGraph(), master);
        INDArray before = sparkGraph.getNetwork().params().dup();
        master.doIterationPaths(null, sparkGraph, none, 1, 2, BATCH, null, new SerializedMultiDataSetLoader());
        assertEquals(before, sparkGraph.getNetwork().params(), "an empty split changes nothing");

        // dl4j-spark's own master on the same split: the reason for the subclass (drop it once this stops failing)
        ParameterAveragingTrainingMaster plain = new ParameterAveragingTrainingMaster.Builder(BATCH)
                .batchSizePerWorker(BATCH)
                .averagingFrequency(2)
                .build();
        plain.setNumWorkers(1);
        Method iterate = ParameterAveragingTrainingMaster.class.getDeclaredMethod(
                "doIterationPaths",
                SparkDl4jMultiLayer.class,
                SparkComputationGraph.class,
                JavaRDD.class,
                int.class,
                int.class,
                int.class,
                DataSetLoader.class,
                MultiDataSetLoader.class);
        iterate.setAccessible(true);
        SparkComputationGraph plainGraph =
                new SparkComputationGraph(jsc, freshCnn().toComputationGraph(), plain);
        InvocationTargetException thrown = assertThrows(
                InvocationTargetException.class,
                () -> iterate.invoke(
                        plain, null, plainGraph, none, 1, 2, BATCH, null, new SerializedMultiDataSetLoader()));
        assertTrue(thrown.getCause() instanceof NullPointerException, String.valueOf(thrown.getCause()));

        // a split with mini-batches (files, as dl4j-spark exports them) is fitted
        List<String> files = new ArrayList<>();
        Random rng = new Random(3);
        for (int b = 0; b < 4; b++) {
            File f = dir.resolve("batch-" + b + ".bin").toFile();
            DataSet d = batch(rng, BATCH);
            new org.nd4j.linalg.dataset.MultiDataSet(d.getFeatures(), d.getLabels()).save(f);
            files.add(f.toURI().toString());
        }
        master.doIterationPaths(
                null, sparkGraph, jsc.parallelize(files, 1), 1, 2, BATCH, null, new SerializedMultiDataSetLoader());
        assertNotEquals(before, sparkGraph.getNetwork().params(), "a split with data trains");
    }

    /**
     * The gradient-sharing option starts its transport (with the Aeron timeout fix) and trains: the loss falls
     * several-fold. Not as far as averaging: it learns markedly worse in local mode (shared STACK notes; here too).
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void gradientSharingTrains() {
        Random rng = new Random(9);
        List<DataSet> train = trainingBatches(rng);
        DataSet test = batch(rng, 512);
        double variance = test.getLabels().varNumber().doubleValue();
        MultiLayerNetwork start = freshCnn();
        double before = mse(start, test);
        JavaSparkContext jsc =
                JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        Distribution sharing = new Distribution(Distribution.GRADIENT_SHARING, BATCH, 1, 40123, "127.0.0.0/8", 1e-3);
        // One partition in local mode: two tasks in one JVM can hang dl4j's shared training wrapper.
        SharedTrainingMaster master = (SharedTrainingMaster) sharing.trainingMaster(jsc);
        assertEquals(1, master.getNumWorkers());
        assertTrue(master.getRepartitioner() instanceof EqualRepartitioner, "exactly numWorkers partitions");
        SparkEngine<MultiLayerNetwork, DataSet> engine = SparkEngine.of(jsc, start, sharing);
        JavaRDD<DataSet> rdd = jsc.parallelize(train, 2);
        for (int e = 0; e < 6; e++) {
            engine.fitEpoch(rdd);
        }
        double after = mse(engine.network(), test);
        assertEquals(null, engine.fittedSamples(), "gradient sharing's workers run no hooks: no count to show");
        // Asynchronous, so timing-dependent: seen 5.4 -> 0.56 and 5.4 -> 1.26 in 6 epochs (the target's variance is
        // 0.34; averaging gets below 0.034 in 12). Halving the loss is the claim: it trains, not how well.
        assertTrue(after < 0.5 * before, "MSE " + before + " -> " + after + ", variance " + variance);
    }

    /** 24 mini-batches of the learnable task below. */
    private static List<DataSet> trainingBatches(Random rng) {
        List<DataSet> train = new ArrayList<>();
        for (int b = 0; b < 24; b++) {
            train.add(batch(rng, BATCH));
        }
        return train;
    }

    /** The same small CNN (one block, seeded weights) for every run compared. */
    private static MultiLayerNetwork freshCnn() {
        MultiLayerNetwork net = new MultiLayerNetwork(
                Cnn.build(new Cnn.Config(SIZE, List.of(4), 8, Cnn.Head.FLATTEN, 5e-3, 0.9, 0.999, 3)));
        net.init();
        return net;
    }

    /**
     * Images {@code a * ramp + noise} with the amplitude a in [1, 3] as the target: learnable, and unlike a
     * constant not guessable.
     */
    private static DataSet batch(Random rng, int n) {
        float[] x = new float[n * SIZE * SIZE];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = 1 + 2 * rng.nextFloat();
            for (int p = 0; p < SIZE * SIZE; p++) {
                float ramp = (p % SIZE) / (float) SIZE;
                x[i * SIZE * SIZE + p] = y[i] * ramp + 0.1f * (float) rng.nextGaussian();
            }
        }
        return new DataSet(Nd4j.create(x, new long[] {n, 1, SIZE, SIZE}), Nd4j.create(y, new long[] {n, 1}));
    }

    private static double mse(MultiLayerNetwork net, DataSet d) {
        INDArray diff = net.output(d.getFeatures(), false).sub(d.getLabels());
        return diff.mul(diff).meanNumber().doubleValue();
    }
}
