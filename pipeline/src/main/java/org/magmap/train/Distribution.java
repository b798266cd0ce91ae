package org.magmap.train;

import java.io.Serializable;
import java.util.Locale;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

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

    /** The dl4j-spark training master. {@code driverHost} is where the gradient-sharing controller listens. */
    TrainingMaster<?, ?> trainingMaster(String driverHost) {
        if (strategy.equals(PARAMETER_AVERAGING)) {
            return new ParameterAveragingTrainingMaster.Builder(batchSizePerWorker)
                    .batchSizePerWorker(batchSizePerWorker)
                    .averagingFrequency(averagingFrequency)
                    .workerPrefetchNumBatches(2)
                    .saveUpdater(true)
                    .build();
        }
        if (System.getProperty(AERON_UNBLOCK_TIMEOUT_PROPERTY) == null) {
            System.setProperty(AERON_UNBLOCK_TIMEOUT_PROPERTY, AERON_UNBLOCK_TIMEOUT_NS);
        }
        VoidConfiguration.VoidConfigurationBuilder voidConf =
                VoidConfiguration.builder().unicastPort(port).controllerAddress(driverHost);
        voidConf.networkMask(networkMask.isEmpty() ? subnetOf(driverHost) : networkMask);
        return new SharedTrainingMaster.Builder(voidConf.build(), batchSizePerWorker)
                .batchSizePerWorker(batchSizePerWorker)
                .updatesThreshold(threshold)
                .workersPerNode(1)
                .workerPrefetchNumBatches(2)
                .build();
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
