package org.magmap.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.magmap.conf.MagmapConfig;
import org.magmap.model.Cnn;
import org.magmap.spark.SparkSessions;
import org.magmap.train.Distribution;
import org.magmap.train.SparkEngine;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training and inference throughput of the {@code cnn}: plain DL4J in one JVM, then the same network through
 * Spark parameter averaging on {@code local[2]}, on random 32x32 inputs (throughput does not depend on the data).
 * The ratio of the two is what the distributed path costs.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "CNN training and inference samples/s: plain DL4J in one JVM vs Spark parameter averaging.",
        footer = {"", "Example:", "  bin/magmap-bench train --samples 2048 --channels 32,64,128 --dense 256"})
final class TrainBenchmark implements Callable<Integer> {
    @Option(names = "--samples", description = "Samples per timed pass, default ${DEFAULT-VALUE}.")
    int samples = 2048;

    @Option(names = "--batch", description = "Mini-batch size, default ${DEFAULT-VALUE}.")
    int batch = 64;

    @Option(names = "--channels", split = ",", description = "Block channels, default ${DEFAULT-VALUE}.")
    List<Integer> channels = List.of(32, 64, 128);

    @Option(names = "--dense", description = "Dense units, default ${DEFAULT-VALUE}.")
    int dense = 256;

    @Option(names = "--head", description = "flatten (the paper's) or global-average, default ${DEFAULT-VALUE}.")
    String head = "flatten";

    @Option(names = "--averaging-frequency", description = "Spark: batches between averages, default ${DEFAULT-VALUE}.")
    int averagingFrequency = 5;

    @Option(
            names = "--threads-per-task",
            description =
                    "Spark: ND4J threads per task (cores / 2 tasks would oversubscribe), default ${DEFAULT-VALUE}.")
    int threadsPerTask = 1;

    @Override
    public Integer call() {
        System.out.println("magmap train benchmark - " + Bench.machine() + ", cnn " + channels + " " + head + " dense "
                + dense + ", batch " + batch);
        Cnn.Config cfg = new Cnn.Config(32, channels, dense, Cnn.Head.parse(head), 2e-4, 0.5, 0.999, 1);
        List<DataSet> data = new ArrayList<>();
        for (int i = 0; i < samples / batch; i++) {
            data.add(new DataSet(Nd4j.rand(new int[] {batch, 1, 32, 32}), Nd4j.rand(new int[] {batch, 1})));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        // One JVM alone gets every core for ND4J's OpenMP pool; Spark's tasks then get one thread each (see the
        // launcher: with one task per core, more threads per task oversubscribe the cores).
        Nd4j.getEnvironment().setMaxThreads(cores);
        Nd4j.getEnvironment().setMaxMasterThreads(cores);
        MultiLayerNetwork net = new MultiLayerNetwork(Cnn.build(cfg));
        net.init();
        System.out.printf(Locale.ROOT, "parameters: %,d%n", net.numParams());
        // Plain DL4J: one warm-up pass, then a timed one.
        for (DataSet d : data) {
            net.fit(d);
        }
        long t0 = System.nanoTime();
        for (DataSet d : data) {
            net.fit(d);
        }
        double single = samples / ((System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        for (DataSet d : data) {
            net.output(d.getFeatures(), false);
        }
        double inference = samples / ((System.nanoTime() - t0) / 1e9);
        System.out.printf(
                Locale.ROOT,
                "plain DL4J, one JVM (ND4J asked for %d threads, OMP_NUM_THREADS=%s at start: the pool OpenMP"
                        + " made then): training %.0f samples/s, inference %.0f samples/s%n",
                cores,
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                single,
                inference);
        Nd4j.getEnvironment().setMaxThreads(threadsPerTask);
        Nd4j.getEnvironment().setMaxMasterThreads(threadsPerTask);

        MagmapConfig conf =
                MagmapConfig.load(List.of(), java.util.Map.of("spark.master", "local[2]", "spark.ui.enabled", "false"));
        SparkSession spark = SparkSessions.start(conf, "magmap-bench-train");
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            JavaRDD<DataSet> rdd = jsc.parallelize(data, 2).cache();
            rdd.count();
            MultiLayerNetwork snet = new MultiLayerNetwork(Cnn.build(cfg));
            snet.init();
            SparkEngine<MultiLayerNetwork, DataSet> engine =
                    SparkEngine.of(jsc, snet, Distribution.parameterAveraging(batch, averagingFrequency));
            engine.fitEpoch(rdd); // warm-up
            engine.fittedSamples().reset();
            t0 = System.nanoTime();
            engine.fitEpoch(rdd);
            // Count what the workers fitted: dl4j-spark's random splits drop part of each epoch (ModelTraining).
            long fitted = engine.fittedSamples().value();
            double distributed = fitted / ((System.nanoTime() - t0) / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "Spark parameter averaging, local[2] (averaging every %d, %d ND4J thread(s) per task): training"
                            + " %.0f samples/s = %.0f%% of one JVM (%d of the %d samples fitted in the epoch)%n",
                    averagingFrequency,
                    threadsPerTask,
                    distributed,
                    100 * distributed / single,
                    fitted,
                    samples);
        } finally {
            spark.stop();
        }
        return 0;
    }
}
