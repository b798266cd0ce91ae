package org.magmap.jobs;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.magmap.conf.MagmapConfig;
import org.magmap.spark.ExecutorProbe;
import org.magmap.spark.Nd4jBackendInfo;
import picocli.CommandLine.Command;

/**
 * Checks that this machine (and the cluster's executors) can run magmap: Java and its Spark flags, Spark,
 * the Deeplearning4j/ND4J backend and its devices on the driver and in executor tasks, cores and memory, and
 * that the output root is writable. Prints one line per check and exits non-zero if any check fails.
 *
 * <p>Reads nothing but its configuration. Example: {@code bin/magmap doctor}; on a cluster,
 * {@code bin/magmap-submit --master yarn -- doctor}.
 */
@Command(
        name = "doctor",
        description = "Check Java, Spark, the ND4J backend (CPU/GPU) on driver and executors, memory and output root.",
        footer = {"", "Example:", "  bin/magmap doctor --conf magmap.output-root=hdfs:///user/me/magmap"})
public final class DoctorJob extends SparkJob {
    private int executorProbes;
    private String outputRoot;

    /** One check's verdict. */
    record Check(String name, boolean ok, String detail) {
        String line() {
            return String.format(Locale.ROOT, "  [%s] %-22s %s", ok ? " OK " : "FAIL", name, detail);
        }
    }

    @Override
    protected void configure(MagmapConfig config) {
        executorProbes = config.getInt("magmap.doctor.executor-probes");
        outputRoot = config.getString("magmap.output-root");
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        List<Check> checks = diagnose(spark);
        JobOutcome outcome = new JobOutcome();
        StringBuilder report = new StringBuilder("magmap doctor\n");
        for (Check c : checks) {
            report.append(c.line()).append('\n');
            if (!c.ok()) {
                outcome.fail(c.name() + ": " + c.detail());
            }
        }
        long failures = checks.stream().filter(c -> !c.ok()).count();
        report.append(failures == 0 ? "All checks passed.\n" : failures + " check(s) failed.\n");
        System.out.print(report);
        System.out.flush();
        outcome.line(checks.size() - failures + "/" + checks.size() + " checks passed");
        return outcome;
    }

    List<Check> diagnose(SparkSession spark) {
        List<Check> checks = new ArrayList<>();
        BuildInfo build = BuildInfo.current();
        checks.add(new Check("magmap", true, build.describe()));

        Runtime rt = Runtime.getRuntime();
        int javaFeature = Runtime.version().feature();
        checks.add(new Check(
                "java",
                javaFeature >= 17,
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") at "
                        + System.getProperty("java.home")));
        boolean opened = ModuleLayer.boot()
                .findModule("java.base")
                .map(m -> m.isOpen("sun.nio.ch", DoctorJob.class.getModule()))
                .orElse(false);
        checks.add(
                new Check(
                        "java flags for spark",
                        opened,
                        opened
                                ? "--add-opens present"
                                : "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED and friends missing: use bin/magmap (see README)"));

        checks.add(new Check(
                "spark",
                true,
                "Spark " + spark.version() + ", master " + spark.sparkContext().master() + ", default parallelism "
                        + spark.sparkContext().defaultParallelism()));
        checks.add(new Check(
                "dl4j / nd4j",
                true,
                "Deeplearning4j " + build.dl4jVersion() + ", build backend " + build.nd4jBackend()
                        + (build.cudaProfile() ? " (CUDA profile ACTIVE)" : " (CUDA profile off)")));

        Nd4jBackendInfo driver = Nd4jBackendInfo.probe();
        boolean driverOk = driver.works()
                && (!build.cudaProfile()
                        || driver.backend().contains("Cuda")
                        || driver.backend().contains("Cublas"));
        checks.add(new Check(
                "nd4j on driver",
                driverOk,
                driver.works() && !driverOk
                        ? driver.summary() + " - but this build asked for " + build.nd4jBackend()
                        : driver.summary()));

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long n = 100_000;
        long expected = n * (n + 1) / 2; // Gauss: 1 + 2 + ... + n
        long sum = jsc.parallelize(
                        LongStream.rangeClosed(1, n).boxed().toList(),
                        spark.sparkContext().defaultParallelism())
                .reduce(Long::sum);
        checks.add(new Check(
                "spark tasks",
                sum == expected,
                "sum 1.." + n + " = " + sum + (sum == expected ? "" : " (expected " + expected + ")")));

        int probes = executorProbes > 0 ? executorProbes : spark.sparkContext().defaultParallelism();
        List<ExecutorProbe.Report> reports = ExecutorProbe.run(jsc, probes);
        long bad = reports.stream().filter(r -> !r.works()).count();
        String hosts = String.join(
                ", ",
                reports.stream()
                        .map(r -> r.host() + "/" + r.executorId())
                        .distinct()
                        .toList());
        checks.add(new Check(
                "nd4j on executors",
                bad == 0,
                bad == 0
                        ? probes + " task(s) on " + hosts + ": "
                                + reports.get(0).backend()
                        : bad + " of " + probes + " task(s) failed, e.g. on "
                                + reports.stream()
                                        .filter(r -> !r.works())
                                        .findFirst()
                                        .get()
                                        .host() + ": "
                                + reports.stream()
                                        .filter(r -> !r.works())
                                        .findFirst()
                                        .get()
                                        .error()));

        long physical = physicalMemoryBytes();
        checks.add(new Check(
                "driver resources",
                true,
                rt.availableProcessors() + " cores, max heap " + gib(rt.maxMemory())
                        + (physical > 0 ? ", physical memory " + gib(physical) : "")));

        checks.add(outputRootCheck(spark));
        return checks;
    }

    private Check outputRootCheck(SparkSession spark) {
        try {
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            Path root = new Path(outputRoot);
            FileSystem fs = root.getFileSystem(hadoop);
            boolean existed = fs.exists(root);
            Path probe = new Path(root, "_doctor-" + UUID.randomUUID());
            try {
                // A directory and a file in it, as a job's commit makes them: either can fail on its own.
                org.magmap.ops.OutputFiles.mkdirs(fs, probe, "a probe directory");
                try (var out = fs.create(new Path(probe, "probe"), false)) {
                    out.write(new byte[4096]);
                }
            } finally {
                fs.delete(probe, true);
                if (!existed && fs.exists(root)) {
                    fs.delete(root, true); // leave no trace of the check
                }
            }
            return new Check("output root", true, fs.makeQualified(root) + " is writable");
        } catch (Exception e) {
            return new Check(
                    "output root", false, outputRoot + " is not writable: " + org.magmap.ops.Failures.describe(e));
        }
    }

    private static long physicalMemoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of("output root = " + outputRoot);
    }
}
