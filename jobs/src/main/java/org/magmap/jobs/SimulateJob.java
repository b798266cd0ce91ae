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
}
