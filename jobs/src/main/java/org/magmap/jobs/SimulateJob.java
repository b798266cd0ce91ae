package org.magmap.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.magmap.conf.MagmapConfig;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.Json;
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
    /** Manifest file name in the output directory. */
    public static final String MANIFEST = "manifest.json";
    /** Sub-directory of the output that holds the cubes. */
    public static final String CUBES = "cubes";

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
        String hash = ConfigHash.of(suite.canonical());
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("cubes", CUBES);
        outputs.put("manifest", MANIFEST);
        return writeCommitted(spark, output, hash, overwrite, "magmap.simulate.overwrite", outputs, (out, outcome) -> {
            long start = System.nanoTime();
            String cubesDir = new org.apache.hadoop.fs.Path(out.staging(), CUBES).toString();
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
            Json.write(
                    out.fileSystem(),
                    new org.apache.hadoop.fs.Path(out.staging(), MANIFEST),
                    manifest(hash, results, start));
            outcome.line(String.format(
                    Locale.ROOT, "%d cubes in %.1f s", results.size(), (System.nanoTime() - start) / 1e9));
        });
    }

    private static Map<String, Object> manifest(String hash, List<SimulationRunner.Result> results, long startNanos) {
        Map<String, Object> m = manifestHeader("magmap simulate output", hash);
        m.put("seconds", (System.nanoTime() - startNanos) / 1e9);
        m.put("units", Map.of("dens", "g cm-3", "velx/vely/velz", "km s-1", "magx/magy/magz", "uG", "cell size", "pc"));
        List<Map<String, Object>> runs = new ArrayList<>();
        for (SimulationRunner.Result r : results) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("run-id", r.runId());
            run.put("file", CUBES + "/" + r.fileName());
            run.put("bytes", r.bytes());
            run.put("seconds", r.seconds());
            run.put("parameters", r.spec().asProvenance());
            run.put(
                    "requested",
                    Map.of(
                            "alfven-mach",
                            r.spec().alfvenMach(),
                            "sonic-mach",
                            r.spec().sonicMach()));
            run.put("measured", r.measured());
            runs.add(run);
        }
        m.put("runs", runs);
        return m;
    }
}
