package org.magmap.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.magmap.artifact.ArtifactFiles;
import org.magmap.artifact.SimulateManifest;
import org.magmap.conf.MagmapConfig;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.OutputFiles;
import org.magmap.sim.SimulationRunner;
import org.magmap.sim.SuiteSettings;
import org.magmap.sim.TurbulenceSpec;
import org.magmap.spark.SparkSessions;
import org.magmap.spark.TaskProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Generates a suite of synthetic MHD turbulence cubes with known truth, one run per task, and writes them as
 * FITS cubes (one HDU per field) plus {@code manifest.json} with every run's parameters and its measured
 * statistics (sigma_v, M_A, M_s, dB/B0, ln-density variance, div B), committed atomically.
 *
 * <p>Reads only its configuration ({@code magmap.simulate}). Its output feeds {@code observe}. Example:
 * {@code bin/magmap simulate -c conf/simulate.conf --conf magmap.simulate.grid-size=128}.
 */
@Command(
        name = "simulate",
        description = "Generate a suite of synthetic MHD turbulence cubes (FITS) with known truth and a manifest.",
        footer = {
            "",
            "Example:",
            "  bin/magmap simulate -c conf/simulate.conf --conf magmap.simulate.grid-size=128",
            "  bin/magmap-submit --master yarn --executor-memory 8g -- simulate -c cluster.conf -c simulate.conf"
        })
public final class SimulateJob extends SparkJob {
    private static final Logger LOG = LoggerFactory.getLogger(SimulateJob.class);

    private SuiteSettings suite;
    private String output;
    private boolean overwrite;
    private int partitions;

    @Override
    protected void configure(MagmapConfig config) {
        suite = SuiteSettings.from(config.section("magmap.simulate"));
        output = config.getString("magmap.output-root") + "/" + config.getString("magmap.simulate.output-dir");
        overwrite = config.getBoolean("magmap.simulate.overwrite");
        int requested = config.getInt("magmap.simulate.partitions");
        partitions = requested > 0
                ? Math.min(requested, suite.specs().size())
                : suite.specs().size();
    }

    @Override
    protected List<String> settingsSummary() {
        TurbulenceSpec first = suite.specs().get(0);
        return List.of(
                "output = " + output,
                "runs = " + suite.specs().size() + " (grid " + first.gridSize() + "^3, box " + first.boxSizePc()
                        + " pc)",
                "overwrite = " + overwrite,
                "partitions = " + partitions);
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        checkMemory(spark);
        String hash = ConfigHash.of(suite.canonical());
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("cubes", SimulateManifest.CUBES);
        outputs.put("manifest", SimulateManifest.FILE);
        return writeCommitted(spark, output, hash, overwrite, "magmap.simulate.overwrite", outputs, (out, outcome) -> {
            long start = System.nanoTime();
            String cubesDir = new org.apache.hadoop.fs.Path(out.staging(), SimulateManifest.CUBES).toString();
            OutputFiles.HadoopSettings hadoop = SparkSessions.hadoopSettings(spark);
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<SimulationRunner.Result> results;
            try (TaskProgress p =
                    TaskProgress.start(spark, "simulate", "runs", suite.specs().size(), LOG)) {
                // By default one run per partition: a run is the unit of work and of memory (~36 bytes per cell).
                results = jsc.parallelize(suite.specs(), partitions)
                        .map(spec -> {
                            return OutputFiles.withScratch("magmap-simulate-", scratch -> {
                                SimulationRunner.Result r = SimulationRunner.run(spec, scratch);
                                OutputFiles.publish(scratch.resolve(r.fileName()), cubesDir, hadoop);
                                return r;
                            });
                        })
                        .collect(); // one small record per run
            }
            SimulateManifest.write(
                    out.fileSystem(),
                    out.staging(),
                    ArtifactFiles.header(
                            SimulateManifest.KIND, hash, BuildInfo.current().describe()),
                    results,
                    (System.nanoTime() - start) / 1e9);
            outcome.line(String.format(
                    Locale.ROOT, "%d cubes in %.1f s", results.size(), (System.nanoTime() - start) / 1e9));
        });
    }

    /**
     * Before any work: the largest run must fit in what one task has. In local mode the tasks share the driver's
     * heap; on a cluster each executor's memory is shared by the tasks it runs at once (its cores).
     */
    private void checkMemory(SparkSession spark) {
        TurbulenceSpec largest = suite.specs().stream()
                .max(java.util.Comparator.comparingLong(TurbulenceSpec::peakBytes))
                .orElseThrow();
        org.apache.spark.SparkContext sc = spark.sparkContext();
        long perTask;
        String where;
        if (sc.isLocal()) {
            int concurrent = Math.max(1, Math.min(sc.defaultParallelism(), partitions));
            perTask = Runtime.getRuntime().maxMemory() / concurrent;
            where = "the driver's heap of " + gib(Runtime.getRuntime().maxMemory()) + " shared by " + concurrent
                    + " runs at once (set spark.driver.memory, or fewer magmap.simulate.partitions)";
        } else {
            int cores = sc.getConf().getInt("spark.executor.cores", 1);
            long executor = sc.executorMemory() * 1024L * 1024L;
            perTask = executor / Math.max(1, cores);
            where = "an executor's " + gib(executor) + " shared by its " + cores + " core(s) (set"
                    + " spark.executor.memory)";
        }
        if (largest.peakBytes() > perTask) {
            throw new BadInputException(
                    "magmap.simulate.grid-size",
                    String.format(
                            Locale.ROOT,
                            "a %d^3 run needs about %s (%d bytes per cell) but has %s: %s",
                            largest.gridSize(),
                            gib(largest.peakBytes()),
                            TurbulenceSpec.PEAK_BYTES_PER_CELL,
                            gib(perTask),
                            where));
        }
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
