package org.magmap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.magmap.baseline.ObservationBaselines;
import org.magmap.baseline.SynchrotronCalibration;
import org.magmap.conf.MagmapConfig;
import org.magmap.fits.FitsCards;
import org.magmap.fits.MapFiles;
import org.magmap.observe.CubeFields;
import org.magmap.observe.LocalDispersion;
import org.magmap.observe.MapProduct;
import org.magmap.observe.ObserveSettings;
import org.magmap.observe.ObserveWork.CubeTask;
import org.magmap.observe.ObserveWork.ViewResult;
import org.magmap.observe.Observer;
import org.magmap.observe.View;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.Json;
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
    /** Sub-directory of the output holding the map files. */
    public static final String MAPS = "maps";
    /** Manifest file name in the output directory. */
    public static final String MANIFEST = "manifest.json";

    private ObserveSettings settings;
    private String output;
    private boolean overwrite;
    private int requestedPartitions;
    private List<String> cubeFiles;
    private String inputDescription;

    @Override
    protected void configure(MagmapConfig config) {
        settings = ObserveSettings.from(config.section("magmap.observe").withoutPath("cubes"));
        String root = config.getString("magmap.output-root");
        output = root + "/" + config.getString("magmap.observe.output-dir");
        overwrite = config.getBoolean("magmap.observe.overwrite");
        requestedPartitions = config.getInt("magmap.observe.partitions");
        List<String> explicit = config.getStringList("magmap.observe.cubes");
        if (!explicit.isEmpty()) {
            cubeFiles = List.copyOf(explicit);
            inputDescription = cubeFiles.size() + " cube file(s) from magmap.observe.cubes";
        } else {
            String dir = root + "/" + config.getString("magmap.observe.input-dir");
            cubeFiles = cubesFromManifest(dir);
            inputDescription = dir;
        }
    }

    /** The cube files a simulate output lists, checked to exist. */
    private static List<String> cubesFromManifest(String dir) {
        org.apache.hadoop.fs.Path manifest = new org.apache.hadoop.fs.Path(dir, SimulateJob.MANIFEST);
        {
            JsonNode m = readJson(manifest, "run 'simulate' first, or list cube files in magmap.observe.cubes");
            List<String> files = new ArrayList<>();
            for (JsonNode run : m.path("runs")) {
                files.add(new org.apache.hadoop.fs.Path(dir, run.path("file").asText()).toString());
            }
            if (files.isEmpty()) {
                throw new BadInputException(manifest.toString(), "lists no runs");
            }
            return files;
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
        String hash = ConfigHash.of("magmap-observe-v1\n" + settings + "\n" + String.join("\n", cubeFiles));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("maps", MAPS);
        outputs.put("manifest", MANIFEST);
        return writeCommitted(spark, output, hash, overwrite, "magmap.observe.overwrite", outputs, (out, outcome) -> {
            long start = System.nanoTime();
            String mapsDir = new org.apache.hadoop.fs.Path(out.staging(), MAPS).toString();
            OutputFiles.HadoopSettings hadoop = SparkSessions.hadoopSettings(spark);
            ObserveSettings s = settings;
            int partitions = requestedPartitions > 0 ? Math.min(requestedPartitions, tasks.size()) : tasks.size();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<ViewResult> results;
            try (TaskProgress p = TaskProgress.start(spark, "observe", "cubes", tasks.size(), LOG)) {
                results = jsc.parallelize(tasks, partitions)
                        .flatMap(t -> observeCube(t, s, mapsDir, hadoop).iterator())
                        .collect(); // one small record per cube x view
            }
            Map<String, Object> manifest = manifestHeader("magmap observe output", hash);
            manifest.put("angle-convention", org.magmap.observe.Angles.PSI_CONVENTION);
            manifest.put("maps", results);
            Json.write(out.fileSystem(), new org.apache.hadoop.fs.Path(out.staging(), MANIFEST), manifest);
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
                throw new BadInputException(file, "cube file not found");
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
        return tasks;
    }

    /** Executor side: one cube, every view. */
    static List<ViewResult> observeCube(
            CubeTask task, ObserveSettings s, String mapsDir, OutputFiles.HadoopSettings hadoop) throws IOException {
        return OutputFiles.withScratch("magmap-observe-", scratch -> {
            Path local = OutputFiles.localCopy(task.file(), scratch, hadoop);
            CubeFields fields;
            try (CubeReader r = FitsCubeStore.open(local)) {
                fields = CubeFields.read(r);
            }
            CubeMeta meta = fields.meta();
            float[] sigma =
                    LocalDispersion.compute(velocity(fields), meta.shape(), s.dispersionBoxCells(), meta.periodic());
            List<ViewResult> results = new ArrayList<>();
            for (View view : s.views()) {
                long t0 = System.nanoTime();
                Map<String, MapProduct> maps = new LinkedHashMap<>(Observer.observe(fields, sigma, view, s));
                ObservationBaselines.vgt(maps, s.vgtBlockSize()).ifPresent(m -> maps.put(m.name(), m));
                String name = meta.runId() + "__" + view.name() + ".fits";
                Path file = scratch.resolve(name);
                MapFiles.write(file, provenance(meta, view, s), images(maps), meta.cellSizePc());
                OutputFiles.publish(file, mapsDir, hadoop);
                Map<String, Double> means = new LinkedHashMap<>();
                maps.values().forEach(m -> means.put(m.name(), org.magmap.observe.Maps.mean(m.data())));
                results.add(new ViewResult(
                        meta.runId(),
                        view.name(),
                        MAPS + "/" + name,
                        List.copyOf(maps.keySet()),
                        means,
                        (System.nanoTime() - t0) / 1e9));
            }
            return results;
        });
    }

    private static float[][] velocity(CubeFields f) {
        return org.magmap.observe.CubeFieldsAccess.velocity(f);
    }

    private static List<MapFiles.Image> images(Map<String, MapProduct> maps) {
        return maps.values().stream()
                .map(m -> new MapFiles.Image(m.name(), m.unit(), m.description(), m.shape(), m.data()))
                .toList();
    }

    /**
     * The calibration recorded with a synchrotron map for the equipartition baseline; empty without a synchrotron
     * map or for p &lt;= 2, where Beck &amp; Krause's formula has no finite field. The path length is the box depth:
     * every line of sight takes nz steps of one cell ({@link org.magmap.observe.LineOfSight}).
     */
    static Optional<SynchrotronCalibration> synchrotronCalibration(CubeMeta meta, ObserveSettings s) {
        if (!s.synchrotron() || !(s.electronIndexP() > 2)) {
            return Optional.empty();
        }
        return Optional.of(new SynchrotronCalibration(
                s.synchrotronFrequencyHz(),
                s.electronIndexP(),
                s.creFraction(),
                meta.shape().nz() * meta.cellSizePc()));
    }

    private static FitsCards provenance(CubeMeta meta, View view, ObserveSettings s) {
        FitsCards c = new FitsCards()
                .add("RUNID", meta.runId(), "simulation run")
                .add("SNAPSHOT", (long) meta.snapshot(), "snapshot number")
                .add("SIMCODE", meta.sourceCode(), "code that made the cube")
                .add("VIEW", view.name(), "view name")
                .add("INCLDEG", view.inclinationDeg(), "angle of the mean field to the LOS, deg")
                .add("POSANDEG", view.positionAngleDeg(), "POS angle of the mean field from +x towards +y, deg")
                .add("CELLPC", meta.cellSizePc(), "pixel size, pc")
                .add("PSICONV", org.magmap.observe.Angles.PSI_CONVENTION, "angle convention")
                .add("ELECP", s.electronIndexP(), "synchrotron electron spectral index p")
                .add("NOISERAT", s.noiseRatio(), "noise sigma / map mean in the _OBS maps")
                .add("BEAMFWHM", s.beamFwhmPixels(), "beam FWHM in pixels in the _OBS maps")
                .add("DISPBOX", (long) s.dispersionBoxCells(), "local dispersion box, cells");
        synchrotronCalibration(meta, s).ifPresent(cal -> c.add("SYNCFREQ", cal.frequencyHz(), "SYNC calibrated for, Hz")
                .add("CREFRAC", cal.creFraction(), "CRE above 938 MeV per thermal electron")
                .add("LOSPC", cal.pathLengthPc(), "LOS path length through the box, pc")
                .add("SYNCCAL", cal.intensityCgsPerMapUnit(), "erg/s/cm2/Hz/sr per SYNC unit"));
        for (int w = 0; w < s.channelWindows().size(); w++) {
            c.add(
                    String.format(Locale.ROOT, "CH%02dV", w),
                    s.channelWindows().get(w).centreKmPerS(),
                    "HI_CH" + String.format(Locale.ROOT, "%02d", w) + " window centre, km/s");
            c.add(
                    String.format(Locale.ROOT, "CH%02dDV", w),
                    s.channelWindows().get(w).widthKmPerS(),
                    "HI_CH" + String.format(Locale.ROOT, "%02d", w) + " window width, km/s");
        }
        c.history("magmap observe: " + s);
        meta.provenance().forEach((k, v) -> c.history("cube " + k + " = " + v));
        return c;
    }
}
