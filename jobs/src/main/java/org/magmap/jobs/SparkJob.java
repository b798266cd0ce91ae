package org.magmap.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.magmap.conf.MagmapConfig;
import org.magmap.ops.AtomicOutput;
import org.magmap.spark.Nd4jBackendInfo;
import org.magmap.spark.SparkSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The one place that owns a job's Spark lifecycle: parse options, read and validate the configuration, start
 * the session (never hard-coding a master), log a banner, run, log the outputs, and in {@code finally} stop the
 * session and log the elapsed time. A job implements only {@link #configure} and {@link #run}.
 *
 * <p>Subclasses carry a picocli {@link Command} annotation with their name, a description, and an example
 * command line in the footer.
 */
public abstract class SparkJob implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(SparkJob.class);

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Config file (HOCON). Repeat to layer files; later ones win over earlier ones.")
    private List<Path> configFiles = new ArrayList<>();

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description = "Override one setting (magmap.* or spark.*); wins over config files. Repeatable.")
    private List<String> overrides = new ArrayList<>();

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help, with an example command line, and exit.")
    private boolean helpRequested;

    @Spec
    private CommandSpec spec;

    /** Reads this job's settings and validates its inputs; no Spark yet, so bad input fails fast. */
    protected abstract void configure(MagmapConfig config);

    /** The job's pipeline. Must not collect large data to the driver. */
    protected abstract JobOutcome run(SparkSession spark);

    /** Key settings for the banner, one "name = value" per line. */
    protected List<String> settingsSummary() {
        return List.of();
    }

    /** The reference.conf sections this job reads, listed by its {@code --help}: the output root and its own. */
    public List<String> configSections() {
        return List.of("magmap.output-root", "magmap." + name());
    }

    /** The job's name as registered (from its {@link Command} annotation). */
    public String name() {
        Command c = getClass().getAnnotation(Command.class);
        return c == null ? getClass().getSimpleName() : c.name();
    }

    /** The merged configuration from the options, without running anything. */
    public MagmapConfig loadConfig() {
        return MagmapConfig.load(configFiles, MagmapConfig.parseKeyValues(overrides));
    }

    @Override
    public Integer call() {
        long startNanos = System.nanoTime();
        MagmapConfig config = loadConfig();
        configure(config);
        BuildInfo build = BuildInfo.current();
        Nd4jBackendInfo backend = Nd4jBackendInfo.probe();
        SparkSession spark = SparkSessions.start(config, "magmap " + name());
        JobOutcome outcome = null;
        try {
            logBanner(build, backend, spark, config);
            outcome = run(spark);
            logOutcome(outcome);
        } finally {
            spark.stop();
            LOG.info(
                    "{}: {} after {}",
                    name(),
                    outcome == null
                            ? "stopped by an error"
                            : outcome.failed()
                                    ? "FAILED"
                                    : outcome.partiallyFailed() ? "finished, some inputs FAILED" : "finished",
                    formatElapsed(System.nanoTime() - startNanos));
        }
        return outcome.failed() ? Magmap.EXIT_FAILED : outcome.partiallyFailed() ? Magmap.EXIT_PARTIAL : 0;
    }

    private void logBanner(BuildInfo build, Nd4jBackendInfo backend, SparkSession spark, MagmapConfig config) {
        String rule = "=".repeat(78);
        List<String> lines = new ArrayList<>();
        lines.add(rule);
        lines.add("magmap " + build.describe() + " - job '" + name() + "'");
        lines.add("Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), Spark "
                + spark.version() + ", Deeplearning4j " + build.dl4jVersion());
        lines.add("master " + spark.sparkContext().master() + ", app "
                + spark.sparkContext().applicationId() + ", default parallelism "
                + spark.sparkContext().defaultParallelism());
        lines.add("ND4J on the driver: " + backend.summary() + " [build: " + build.nd4jBackend()
                + (build.cudaProfile() ? ", CUDA profile" : "") + "]");
        lines.add("config: " + String.join(" < ", config.sources()));
        for (String s : settingsSummary()) {
            lines.add("  " + s);
        }
        lines.add(rule);
        lines.forEach(LOG::info);
    }

    private void logOutcome(JobOutcome outcome) {
        for (String s : outcome.summary()) {
            LOG.info("{}: {}", name(), s);
        }
        for (Map.Entry<String, String> e : outcome.outputs().entrySet()) {
            LOG.info("{}: output {} -> {}", name(), e.getKey(), e.getValue());
        }
    }

    static String formatElapsed(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        if (d.toMinutes() > 0) {
            return String.format(Locale.ROOT, "%dm %02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    /** What a job writes into its staging directory before the commit; adds summary lines to the outcome. */
    @FunctionalInterface
    protected interface StagedWriter {
        void write(AtomicOutput staged, JobOutcome outcome) throws IOException;
    }

    /**
     * Writes a job's output directory atomically: nothing to do if an identical configuration already committed
     * it; otherwise {@code writer} fills a staging directory, which is then committed (or deleted on failure).
     *
     * @param target the final output directory
     * @param configHash hash of everything that determines the output
     * @param overwriteKey the setting that allows replacing an output of another configuration
     * @param outputs what to report, name to path relative to the target
     */
    protected final JobOutcome writeCommitted(
            SparkSession spark,
            String target,
            String configHash,
            boolean overwrite,
            String overwriteKey,
            Map<String, String> outputs,
            StagedWriter writer) {
        JobOutcome outcome = new JobOutcome();
        try {
            AtomicOutput out = AtomicOutput.prepare(
                    spark.sparkContext().hadoopConfiguration(), target, configHash, overwrite, overwriteKey);
            if (out.alreadyComplete()) {
                outcome.line("already complete for this configuration (hash " + configHash + "): nothing to do");
            } else {
                try {
                    writer.write(out, outcome);
                    if (out.commit() == AtomicOutput.Commit.ALREADY_COMMITTED_BY_ANOTHER_RUN) {
                        outcome.line("another run of this configuration committed " + out.target()
                                + " first; this run's identical output was discarded");
                    }
                } catch (Throwable e) {
                    // Everything, including a Spark task's failure (a checked SparkException that Scala code
                    // throws undeclared), and errors: the staging directory never outlives a failed run.
                    stopRunningTasks(spark);
                    out.abort();
                    throw e;
                }
            }
            outputs.forEach((name, relative) -> outcome.output(name, out.target() + "/" + relative));
            return outcome;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * After a failed Spark job its other tasks may still be running (Spark fails the job at the first task's
     * failure), and one could write into the staging directory after it was deleted. Cancel them and wait, up to a
     * minute, until no task runs.
     */
    private static void stopRunningTasks(SparkSession spark) {
        org.apache.spark.SparkContext sc = spark.sparkContext();
        sc.cancelAllJobs();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            // A cancelled stage leaves the active list at once, but its task threads run on until they next
            // check for interruption: the executors' running-task counts drop only when those threads end.
            boolean running = false;
            for (org.apache.spark.SparkExecutorInfo e : sc.statusTracker().getExecutorInfos()) {
                running |= e.numRunningTasks() > 0;
            }
            for (int stage : sc.statusTracker().getActiveStageIds()) {
                org.apache.spark.SparkStageInfo info =
                        sc.statusTracker().getStageInfo(stage).getOrElse(null);
                running |= info != null && info.numActiveTasks() > 0;
            }
            if (!running) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The picocli model of this job (for help text in tests). */
    protected CommandSpec spec() {
        return spec;
    }
}
