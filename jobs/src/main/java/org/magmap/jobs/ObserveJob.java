package org.magmap.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.magmap.artifact.ArtifactFiles;
import org.magmap.artifact.ObserveManifest;
import org.magmap.artifact.SimulateManifest;
import org.magmap.conf.MagmapConfig;
import org.magmap.mapping.CubeObservation;
import org.magmap.observe.ObserveSettings;
import org.magmap.observe.ObserveWork.CubeTask;
import org.magmap.observe.ObserveWork.ViewResult;
import org.magmap.observe.View;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.OutputFiles;
import org.magmap.sim.CubeMeta;
import org.magmap.sim.CubeReader;
import org.magmap.sim.FitsCubeStore;
import org.magmap.spark.SparkSessions;
import org.magmap.spark.TaskProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Turns simulation cubes into mock observations and truth maps: for every cube x view, one FITS file of 2D maps
 * (synchrotron, H I thin channel maps, column density, optionally the PPV cube and noisy/beamed variants, the
 * VGT baseline, and the truth maps B, M_A, M_s, gamma, psi), pixel scale and units in the headers and the
 * generating parameters as keywords and HISTORY; plus {@code manifest.json}. One task per cube; committed
 * atomically.
 *
 * <p>Reads the cubes listed by a {@code simulate} output ({@code magmap.observe.input-dir}) or given as files
 * ({@code magmap.observe.cubes}). Its maps feed {@code make-patches}. Example:
 * {@code bin/magmap observe -c conf/observe.conf}.
 */
@Command(
        name = "observe",
        description = "Mock observations (synchrotron, H I channel maps, PPV) and truth maps of cubes, as FITS.",
        footer = {
            "",
            "Example:",
            "  bin/magmap observe -c conf/observe.conf --conf magmap.observe.inclinations-deg=[90,60,30]",
            "  bin/magmap observe --conf 'magmap.observe.cubes=[\"/data/run1.fits\"]'"
        })
public final class ObserveJob extends SparkJob {
    private static final Logger LOG = LoggerFactory.getLogger(ObserveJob.class);
    private ObserveSettings settings;
    private String output;
    private boolean overwrite;
    private int requestedPartitions;
    private List<String> cubeFiles;
    private String inputDescription;
    private double maxBlankFraction;
    private String inputKey;

    @Override
    protected void configure(MagmapConfig config) {
        settings = ObserveSettings.from(config.section("magmap.observe").withoutPath("cubes"));
        String root = config.getString("magmap.output-root");
        output = root + "/" + config.getString("magmap.observe.output-dir");
        overwrite = config.getBoolean("magmap.observe.overwrite");
        requestedPartitions = config.getInt("magmap.observe.partitions");
        maxBlankFraction = config.getDouble(CubeObservation.MAX_BLANK_FRACTION);
        if (!(maxBlankFraction >= 0 && maxBlankFraction <= 1)) {
            throw new BadInputException(
                    CubeObservation.MAX_BLANK_FRACTION, "must be between 0 and 1, got " + maxBlankFraction);
        }
        List<String> explicit = config.getStringList("magmap.observe.cubes");
        if (!explicit.isEmpty()) {
            cubeFiles = List.copyOf(explicit);
            inputKey = "magmap.observe.cubes";
            inputDescription = cubeFiles.size() + " cube file(s) from magmap.observe.cubes";
        } else {
            String dir = root + "/" + config.getString("magmap.observe.input-dir");
            cubeFiles = SimulateManifest.read(dir).cubeFiles();
            inputKey = dir + "/" + SimulateManifest.FILE;
            inputDescription = dir;
        }
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of(
                "input = " + inputDescription,
                "output = " + output,
                "cubes = " + cubeFiles.size() + ", views = "
                        + String.join(
                                ", ", settings.views().stream().map(View::name).toList()),
                "observables = " + (settings.synchrotron() ? "synchrotron " : "")
                        + (settings.channelWindows().isEmpty()
                                ? ""
                                : settings.channelWindows().size() + " H I channel map(s) ")
                        + (settings.ppvChannels() > 0 ? settings.ppvChannels() + "-channel PPV" : ""));
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        List<CubeTask> tasks;
        try {
            tasks = validateInputs(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String hash = ConfigHash.of("magmap-observe-v1\n" + settings + "\n" + String.join("\n", cubeFiles)
                + (maxBlankFraction > 0 ? "\nmax-blank-fraction " + maxBlankFraction : ""));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("maps", ObserveManifest.MAPS);
        outputs.put("manifest", ObserveManifest.FILE);
        return writeCommitted(spark, output, hash, overwrite, "magmap.observe.overwrite", outputs, (out, outcome) -> {
            long start = System.nanoTime();
            String mapsDir = new org.apache.hadoop.fs.Path(out.staging(), ObserveManifest.MAPS).toString();
            OutputFiles.HadoopSettings hadoop = SparkSessions.hadoopSettings(spark);
            ObserveSettings s = settings;
            double maxBlank = maxBlankFraction;
            int partitions = requestedPartitions > 0 ? Math.min(requestedPartitions, tasks.size()) : tasks.size();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<ViewResult> results;
            try (TaskProgress p = TaskProgress.start(spark, "observe", "cubes", tasks.size(), LOG)) {
                results = jsc.parallelize(tasks, partitions)
                        .flatMap(t -> CubeObservation.observe(t, s, maxBlank, mapsDir, hadoop)
                                .iterator())
                        .collect(); // one small record per cube x view
            }
            ObserveManifest.write(
                    out.fileSystem(),
                    out.staging(),
                    ArtifactFiles.header(
                            ObserveManifest.KIND, hash, BuildInfo.current().describe()),
                    results);
            outcome.line(String.format(
                    Locale.ROOT,
                    "%d map files (%d cubes x %d views) in %.1f s",
                    results.size(),
                    tasks.size(),
                    settings.views().size(),
                    (System.nanoTime() - start) / 1e9));
        });
    }

    /** Opens every cube's headers on the driver, so a bad cube fails before any work starts. */
    private List<CubeTask> validateInputs(Configuration hadoop) throws IOException {
        List<CubeTask> tasks = new ArrayList<>();
        for (String file : cubeFiles) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
            FileSystem fs = p.getFileSystem(hadoop);
            if (!fs.exists(p)) {
                throw new BadInputException(file, "cube file not found (listed in " + inputKey + ")");
            }
            if (fs.getFileStatus(p).isDirectory()) {
                throw new BadInputException(
                        inputKey, "lists " + file + ", a directory: list the cube files themselves");
            }
            if (!(fs instanceof org.apache.hadoop.fs.LocalFileSystem)) {
                tasks.add(new CubeTask(file, p.getName().replaceFirst("\\.fits?$", "")));
                continue; // remote cubes are checked by the task that copies them
            }
            try (CubeReader r = FitsCubeStore.open(OutputFiles.localPath(file))) {
                CubeMeta m = r.meta();
                if (!m.hasMhdFields()) {
                    throw new BadInputException(file, "lacks MHD fields (has " + m.fields() + ")");
                }
                if (m.meanFieldDirection() == null) {
                    throw new BadInputException(
                            file, "has no mean-field direction (B0DIRX/Y/Z): views are defined from it");
                }
                if (!(m.soundSpeedKmPerS() > 0) && !m.fields().contains(org.magmap.sim.Field.TEMPERATURE)) {
                    throw new BadInputException(file, "has neither a sound speed (CSKMS) nor a temperature field");
                }
                if (settings.dispersionBoxCells()
                        > Math.min(
                                m.shape().nx(),
                                Math.min(m.shape().ny(), m.shape().nz()))) {
                    throw new BadInputException(
                            file,
                            "is smaller than the dispersion box of " + settings.dispersionBoxCells()
                                    + " cells (magmap.observe.truth.dispersion-box-cells)");
                }
                tasks.add(new CubeTask(file, m.runId()));
            }
        }
        Map<String, String> fileOfRun = new LinkedHashMap<>();
        for (CubeTask t : tasks) {
            String other = fileOfRun.putIfAbsent(t.runId(), t.file());
            if (other != null) {
                throw new BadInputException(
                        t.file(),
                        "has RUNID '" + t.runId() + "', as does " + other
                                + ": their map files would collide; give each cube its own RUNID");
            }
        }
        return tasks;
    }
}
