package org.magmap.train;

import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.repartitioner.EqualRepartitioner;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;
import org.slf4j.LoggerFactory;

/**
 * How training is spread over the executors.
 *
 * <ul>
 *   <li><b>parameter-averaging</b> (default): synchronous; every worker fits {@code averagingFrequency}
 *       mini-batches of {@code batchSizePerWorker} from the same parameters, then parameters and updater state
 *       are averaged on the driver. Deterministic given the data order, and what the project's accuracy figures
 *       were measured with.
 *   <li><b>gradient-sharing</b>: asynchronous threshold-encoded gradient updates between workers over Aeron UDP
 *       (Strom 2015, dl4j-spark-parameterserver). Scales to more workers, but the workers must reach each other
 *       and the driver on {@code port} (UDP) and, in local mode, it learned markedly worse than averaging (shared
 *       STACK notes).
 * </ul>
 *
 * @param strategy "parameter-averaging" or "gradient-sharing"
 * @param batchSizePerWorker mini-batch per worker
 * @param averagingFrequency mini-batches between averages (parameter averaging)
 * @param port UDP port of the gradient-sharing transport
 * @param networkMask gradient sharing: the network the workers talk on, e.g. "10.1.0.0/16" ("" = the driver's
 *     address)
 * @param threshold gradient sharing: initial update-encoding threshold
 */
public record Distribution(
        String strategy, int batchSizePerWorker, int averagingFrequency, int port, String networkMask, double threshold)
        implements Serializable {

    public static final String PARAMETER_AVERAGING = "parameter-averaging";
    public static final String GRADIENT_SHARING = "gradient-sharing";

    /**
     * Aeron requires its publication-unblock timeout to exceed the client liveness timeout; dl4j's defaults break
     * that rule in M2/M2.1, so the transport refuses to start (shared STACK notes). 60 s, in nanoseconds.
     */
    public static final String AERON_UNBLOCK_TIMEOUT_PROPERTY = "aeron.publication.unblock.timeout";

    public static final String AERON_UNBLOCK_TIMEOUT_NS = "60000000000";

    public Distribution {
        if (!strategy.equals(PARAMETER_AVERAGING) && !strategy.equals(GRADIENT_SHARING)) {
            throw new IllegalArgumentException("unknown distribution '" + strategy + "' (" + PARAMETER_AVERAGING
                    + " or " + GRADIENT_SHARING + ")");
        }
        if (batchSizePerWorker < 1 || averagingFrequency < 1) {
            throw new IllegalArgumentException("batch size per worker and averaging frequency must be >= 1");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("gradient-sharing port must be in 1..65535, got " + port);
        }
        if (!(threshold > 0)) {
            throw new IllegalArgumentException("gradient-sharing threshold must be positive, got " + threshold);
        }
    }

    /** Parameter averaging with the given batch and frequency. */
    public static Distribution parameterAveraging(int batchSizePerWorker, int averagingFrequency) {
        return new Distribution(PARAMETER_AVERAGING, batchSizePerWorker, averagingFrequency, 40123, "", 1e-3);
    }

    /**
     * The dl4j-spark training master for this Spark context: the gradient-sharing controller listens on the
     * driver's host, and its training data is split into one partition per executor (see {@link
     * #gradientSharingWorkers}).
     */
    TrainingMaster<?, ?> trainingMaster(JavaSparkContext jsc) {
        return trainingMaster(jsc, null);
    }

    /**
     * As {@link #trainingMaster(JavaSparkContext)}, and under parameter averaging the workers add every example
     * they fit to {@code fittedSamples} (when given). Gradient sharing's workers do not run dl4j-spark's hooks.
     */
    TrainingMaster<?, ?> trainingMaster(JavaSparkContext jsc, LongAccumulator fittedSamples) {
        TrainingMaster<?, ?> master = trainingMasterFor(jsc);
        if (fittedSamples != null && countsFittedSamples()) {
            master.addHook(new FittedSamples(fittedSamples));
        }
        return master;
    }

    /** Whether the workers report the examples they fit (parameter averaging does; gradient sharing does not). */
    boolean countsFittedSamples() {
        return strategy.equals(PARAMETER_AVERAGING);
    }

    private TrainingMaster<?, ?> trainingMasterFor(JavaSparkContext jsc) {
        int workers = gradientSharingWorkers(jsc);
        if (strategy.equals(GRADIENT_SHARING)) {
            // Executors that register later are not used: say how many were counted.
            LoggerFactory.getLogger(Distribution.class)
                    .info("gradient sharing over {} executor(s), one partition each", workers);
        }
        return trainingMaster(jsc.getConf().get("spark.driver.host", "127.0.0.1"), workers);
    }

    /**
     * How many partitions gradient sharing may train at once: one per executor JVM, so one in local mode.
     *
     * <p>dl4j-spark-parameterserver 1.0.0-M2 runs every task of an executor through one JVM-wide {@code
     * SharedTrainingWrapper}: the first task trains, later ones hand it their iterator and wait until it is
     * consumed. A task that hands over its iterator after the first one has finished waits forever. dl4j's
     * default repartitioner makes one partition per batch, so on {@code local[2]} tasks kept joining a running
     * one, and now and then one came late (a CI run and a local run hung for 5 minutes, thread dumps showed the
     * task in {@code BlockingObserver.waitTillDone}). With one partition per executor, and one task per executor at a time (the train job insists on
     * it on a cluster), no task arrives late.
     */
    static int gradientSharingWorkers(JavaSparkContext jsc) {
        if (jsc.isLocal()) {
            return 1;
        }
        // The driver is listed too.
        return Math.max(1, jsc.sc().getExecutorMemoryStatus().size() - 1);
    }

    /** The dl4j-spark training master. {@code driverHost} is where the gradient-sharing controller listens. */
    TrainingMaster<?, ?> trainingMaster(String driverHost, int gradientSharingWorkers) {
        if (strategy.equals(PARAMETER_AVERAGING)) {
            // dl4j-spark's own master, but one that survives a randomly empty split (see the class).
            return new EmptySplitSkippingTrainingMaster(new ParameterAveragingTrainingMaster.Builder(batchSizePerWorker)
                    .batchSizePerWorker(batchSizePerWorker)
                    .averagingFrequency(averagingFrequency)
                    .workerPrefetchNumBatches(2)
                    .saveUpdater(true));
        }
        if (System.getProperty(AERON_UNBLOCK_TIMEOUT_PROPERTY) == null) {
            System.setProperty(AERON_UNBLOCK_TIMEOUT_PROPERTY, AERON_UNBLOCK_TIMEOUT_NS);
        }
        VoidConfiguration.VoidConfigurationBuilder voidConf =
                VoidConfiguration.builder().unicastPort(port).controllerAddress(driverHost);
        voidConf.networkMask(networkMask.isEmpty() ? subnetOf(driverHost) : networkMask);
        SharedTrainingMaster master = new SharedTrainingMaster.Builder(voidConf.build(), batchSizePerWorker)
                .batchSizePerWorker(batchSizePerWorker)
                .updatesThreshold(threshold)
                .workersPerNode(1)
                .workerPrefetchNumBatches(2)
                // The default repartitioner makes one partition per exported batch file, many tasks per JVM.
                .repartitioner(new EqualRepartitioner())
                .build();
        // The builder's numWorkers argument is ignored in 1.0.0-M2 (the default is Spark's default parallelism);
        // the setter is honoured, and the equal repartitioner makes exactly that many partitions.
        master.setNumWorkers(gradientSharingWorkers);
        return master;
    }

    /** The /16 network of an IPv4 address (Aeron binds on the interface in that network). */
    static String subnetOf(String host) {
        String[] parts = host.split("\\.");
        if (parts.length != 4) {
            return "127.0.0.0/8";
        }
        return parts[0] + "." + parts[1] + ".0.0/16";
    }

    /** One line for logs and the model card. */
    public String describe() {
        return strategy.equals(PARAMETER_AVERAGING)
                ? String.format(
                        Locale.ROOT,
                        "Spark parameter averaging (batch %d per worker, averaging every %d batches)",
                        batchSizePerWorker,
                        averagingFrequency)
                : String.format(
                        Locale.ROOT,
                        "Spark gradient sharing (batch %d per worker, threshold %.3g, UDP port %d)",
                        batchSizePerWorker,
                        threshold,
                        port);
    }
}
