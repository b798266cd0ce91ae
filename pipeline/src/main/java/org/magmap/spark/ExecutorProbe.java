package org.magmap.spark;

import java.io.Serializable;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs {@link Nd4jBackendInfo#probe()} inside tasks, so that a cluster whose executors cannot load the ND4J
 * natives (wrong platform, missing CUDA libraries) is caught before a long job starts, not an hour into it.
 */
public final class ExecutorProbe {
    private ExecutorProbe() {}

    /** What one task saw. */
    public record Report(String host, String executorId, int partition, String backend, boolean works, String error)
            implements Serializable {}

    /** One probe per partition; {@code partitions} should be at least the number of executor cores. */
    public static List<Report> run(JavaSparkContext jsc, int partitions) {
        List<Integer> seeds = IntStream.range(0, partitions).boxed().toList();
        return jsc.parallelize(new ArrayList<>(seeds), partitions)
                .map(i -> {
                    Nd4jBackendInfo info = Nd4jBackendInfo.probe();
                    TaskContext tc = TaskContext.get();
                    String executor = org.apache.spark.SparkEnv.get().executorId();
                    return new Report(
                            InetAddress.getLocalHost().getHostName(),
                            executor,
                            tc == null ? i : tc.partitionId(),
                            info.summary(),
                            info.works(),
                            info.error());
                })
                .collect(); // one small record per partition
    }
}
