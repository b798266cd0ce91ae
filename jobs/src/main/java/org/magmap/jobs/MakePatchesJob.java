package org.magmap.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import nom.tam.fits.Header;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.magmap.baseline.Equipartition;
import org.magmap.baseline.SynchrotronCalibration;
import org.magmap.conf.ConfigNames;
import org.magmap.conf.MagmapConfig;
import org.magmap.fits.FitsCards;
import org.magmap.fits.MapFiles;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.Json;
import org.magmap.ops.OutputFiles;
import org.magmap.patch.PatchSampler;
import org.magmap.patch.PatchSettings;
import org.magmap.patch.PatchSource;
import org.magmap.patch.PatchUnit;
import org.magmap.patch.Splits;
import org.magmap.patch.StackedObservable;
import org.magmap.spark.PatchSchema;
import org.magmap.spark.SparkSessions;
import org.magmap.spark.TaskProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Cuts augmented training patches from the observe output and writes them as Parquet, partitioned by split
 * (train / validation / test), with {@code manifest.json} (config hash, counts per split and simulation, schema
 * version, timings). Work is expanded into units of {@code patches-per-task} patches of one map x observable x
 * noise level x beam; each task reads its map file and makes its patches, whose content depends only on their
 * identity and the seed (identical rows on any number of executors). Committed atomically.
 *
 * <p>Reads an {@code observe} output ({@code magmap.make-patches.input-dir}); its output feeds {@code train}.
 * Example: {@code bin/magmap make-patches -c conf/make-patches.conf}.
 */
@Command(
        name = "make-patches",
        description = "Cut augmented 32x32 training patches from observed maps into Parquet (train/validation/test).",
        footer = {
            "",
            "Example:",
            "  bin/magmap make-patches -c conf/make-patches.conf --conf magmap.make-patches.patches-per-map=20000",
            "  bin/magmap-submit --master yarn --num-executors 50 -- make-patches -c cluster.conf -c make-patches.conf"
        })
public final class MakePatchesJob extends SparkJob {
    private static final Logger LOG = LoggerFactory.getLogger(MakePatchesJob.class);
    /** Sub-directory of the output holding the Parquet dataset. */
    public static final String PATCHES = "patches";
    /** Manifest file name. */
    public static final String MANIFEST = "manifest.json";

    private PatchSettings settings;
    private String output;
    private String input;
    private boolean overwrite;
    private int requestedPartitions;
    private List<MapEntry> maps;
    private String inputHash;

    /** A map file of the observe output and the maps it holds. */
    private record MapEntry(String file, String simulation, List<String> maps) {}

    @Override
    protected void configure(MagmapConfig config) {
        settings = PatchSettings.from(config.section("magmap.make-patches"));
        String root = config.getString("magmap.output-root");
        output = root + "/" + config.getString("magmap.make-patches.output-dir");
        input = root + "/" + config.getString("magmap.make-patches.input-dir");
        overwrite = config.getBoolean("magmap.make-patches.overwrite");
        requestedPartitions = config.getInt("magmap.make-patches.partitions");
        readObserveManifest();
    }

    private void readObserveManifest() {
        org.apache.hadoop.fs.Path manifest = new org.apache.hadoop.fs.Path(input, ObserveJob.MANIFEST);
        {
            JsonNode m = readJson(manifest, "run 'observe' first");
            inputHash = m.path("config-hash").asText("");
            maps = new ArrayList<>();
            for (JsonNode entry : m.path("maps")) {
                List<String> names = new ArrayList<>();
                entry.path("maps").forEach(n -> names.add(n.asText()));
                String file =
                        new org.apache.hadoop.fs.Path(input, entry.path("file").asText()).toString();
                maps.add(new MapEntry(file, entry.path("runId").asText(), names));
                for (String observable : settings.observables()) {
                    for (String map : StackedObservable.maps(observable)) {
                        if (!names.contains(map)) {
                            throw new BadInputException(
                                    file,
                                    "has no map '" + map + "' (it has " + names + "); check magmap.make-patches"
                                            + ".observables against magmap.observe settings");
                        }
                    }
                }
            }
            if (maps.isEmpty()) {
                throw new BadInputException(manifest.toString(), "lists no map files");
            }
        }
    }

    @Override
    protected List<String> settingsSummary() {
        long total = (long) maps.size()
                * settings.observables().size()
                * settings.noiseRatios().size()
                * settings.beamFwhmPixels().size()
                * settings.patchesPerMap();
        return List.of(
                "input = " + input + " (" + maps.size() + " map files)",
                "output = " + output,
                "observables = " + settings.observables() + ", noise ratios = " + settings.noiseRatios() + ", beams = "
                        + settings.beamFwhmPixels(),
                String.format(
                        Locale.ROOT,
                        "patches = %,d (%d per map, %dx%d, rotate %s, %s)",
                        total,
                        settings.patchesPerMap(),
                        settings.size(),
                        settings.size(),
                        settings.rotate(),
                        settings.normalization()),
                "held out: test " + settings.splits().testSimulations() + ", validation "
                        + settings.splits().validationSimulations()
                        + (settings.splits().spatial() ? ", spatial blocks" : ""));
    }

    /** Expands the configuration into work units, in a stable order. */
    List<PatchUnit> units() {
        List<PatchUnit> units = new ArrayList<>();
        for (MapEntry m : maps) {
            for (String observable : settings.observables()) {
                for (double noise : settings.noiseRatios()) {
                    for (double beam : settings.beamFwhmPixels()) {
                        for (long first = 0; first < settings.patchesPerMap(); first += settings.patchesPerTask()) {
                            int count = (int) Math.min(settings.patchesPerTask(), settings.patchesPerMap() - first);
                            units.add(new PatchUnit(m.file(), m.simulation(), observable, noise, beam, first, count));
                        }
                    }
                }
            }
        }
        return units;
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        List<PatchUnit> units = units();
        checkFirstMapFits(spark.sparkContext().hadoopConfiguration());
        long total = units.stream().mapToLong(PatchUnit::count).sum();
        String hash = ConfigHash.of("magmap-make-patches-v" + PatchSchema.VERSION + " block rule " + Splits.BLOCK_RULE
                + "\n" + settings + "\n" + inputHash + "\n"
                + String.join("\n", maps.stream().map(MapEntry::file).toList()));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("patches", PATCHES);
        outputs.put("manifest", MANIFEST);
        return writeCommitted(
                spark, output, hash, overwrite, "magmap.make-patches.overwrite", outputs, (out, outcome) -> {
                    long start = System.nanoTime();
                    String dir = new org.apache.hadoop.fs.Path(out.staging(), PATCHES).toString();
                    OutputFiles.HadoopSettings hadoop = SparkSessions.hadoopSettings(spark);
                    PatchSettings s = settings;
                    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                    LongAccumulator made = spark.sparkContext().longAccumulator("patches made");
                    JavaRDD<Row> rows = jsc.parallelize(
                                    units,
                                    requestedPartitions > 0
                                            ? Math.min(requestedPartitions, units.size())
                                            : units.size())
                            .flatMap(unit -> new PatchRows(unit, s, hadoop, made));
                    try (TaskProgress p = TaskProgress.start(spark, "make-patches", "patches", total, LOG, made)) {
                        spark.createDataFrame(rows, PatchSchema.SCHEMA)
                                .write()
                                .partitionBy("split")
                                .option("compression", "snappy")
                                .parquet(dir);
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Map<String, Object> manifest = manifestHeader("magmap make-patches output", hash);
                    manifest.put("patch-schema-version", PatchSchema.VERSION);
                    manifest.put("patch-size", settings.size());
                    manifest.put("observables", settings.observables());
                    manifest.put("target-maps", settings.targetMaps());
                    manifest.put("normalization", ConfigNames.of(settings.normalization()));
                    manifest.put("rotate", settings.rotate());
                    manifest.put("settings", settings.toString());
                    manifest.put("input", input);
                    manifest.put("input-config-hash", inputHash);
                    manifest.putAll(counts(spark, dir));
                    long bytes = parquetBytes(out.fileSystem(), new org.apache.hadoop.fs.Path(dir));
                    manifest.put("bytes", bytes);
                    manifest.put("seconds", seconds);
                    manifest.put("patches-per-second", total / seconds);
                    Json.write(out.fileSystem(), new org.apache.hadoop.fs.Path(out.staging(), MANIFEST), manifest);
                    outcome.line(String.format(
                            Locale.ROOT,
                            "%,d patches in %.1f s (%,.0f patches/s, %,.0f bytes/patch on disk)",
                            total,
                            seconds,
                            total / seconds,
                            (double) bytes / total));
                });
    }

    /**
     * On the driver, before any work: every listed map file exists, and the first one holds a patch of the
     * configured size (all maps of one observe output share their size).
     */
    private void checkFirstMapFits(Configuration hadoop) {
        for (MapEntry m : maps) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(m.file());
            try {
                if (!p.getFileSystem(hadoop).exists(p)) {
                    throw new BadInputException(
                            m.file(), "map file listed in " + input + "/" + ObserveJob.MANIFEST + " is missing");
                }
            } catch (IOException e) {
                throw new BadInputException(m.file(), "cannot be checked: " + e.getMessage(), e);
            }
        }
        MapEntry first = maps.get(0);
        try {
            OutputFiles.withScratch("magmap-patches-check-", scratch -> {
                Path local = OutputFiles.localCopy(first.file(), scratch, new OutputFiles.HadoopSettings(Map.of()));
                PatchSource src = PatchRows.source(
                        local,
                        first.file(),
                        first.simulation(),
                        settings.observables().get(0),
                        settings.protonElectronRatio());
                return new PatchSampler(src, settings.augmentation(0, 0), settings.splits());
            });
        } catch (IllegalArgumentException e) {
            throw new BadInputException(first.file(), e.getMessage(), e);
        } catch (IOException e) {
            throw new BadInputException(first.file(), "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> counts(SparkSession spark, String dir) {
        Map<String, Long> perSplit = new TreeMap<>();
        Map<String, Map<String, Long>> perSimulation = new TreeMap<>();
        long total = 0;
        // Two short string columns only: Parquet reads nothing else.
        for (Row r :
                spark.read().parquet(dir).groupBy("split", "simulation").count().collectAsList()) {
            String split = r.getString(0);
            long n = r.getLong(2);
            perSplit.merge(split, n, Long::sum);
            perSimulation.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(split, n);
            total += n;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("patches", total);
        m.put("per-split", perSplit);
        m.put("per-simulation", perSimulation);
        return m;
    }

    private static long parquetBytes(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        long bytes = 0;
        RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            FileStatus f = it.next();
            if (f.getPath().getName().endsWith(".parquet")) {
                bytes += f.getLen();
            }
        }
        return bytes;
    }

    /** Executor side: the rows of one unit, made lazily (one patch in memory at a time). */
    static final class PatchRows implements Iterator<Row> {
        private final PatchUnit unit;
        private final PatchSampler sampler;
        private final PatchSource source;
        private final LongAccumulator made;
        private final int size;
        private long next;

        PatchRows(PatchUnit unit, PatchSettings s, OutputFiles.HadoopSettings hadoop, LongAccumulator made)
                throws IOException {
            this.unit = unit;
            this.made = made;
            this.size = s.size();
            source = OutputFiles.withScratch(
                    "magmap-patches-",
                    scratch -> source(
                            OutputFiles.localCopy(unit.mapFile(), scratch, hadoop),
                            unit.mapFile(),
                            unit.simulation(),
                            unit.observable(),
                            s.protonElectronRatio()));
            sampler = new PatchSampler(source, s.augmentation(unit.noiseRatio(), unit.beamFwhmPixels()), s.splits());
            next = unit.firstIndex();
        }

        /**
         * Reads one map file into a patch source for one observable.
         *
         * @param protonElectronRatio K0 of the equipartition baseline
         */
        static PatchSource source(
                Path local, String name, String simulation, String observable, double protonElectronRatio)
                throws IOException {
            Header h = MapFiles.primaryHeader(local);
            Map<String, MapFiles.Image> images = new LinkedHashMap<>();
            for (MapFiles.Image im : MapFiles.read(local)) {
                images.put(im.extname(), im);
            }
            List<String> inputs = StackedObservable.maps(observable);
            List<String> needed = new ArrayList<>(inputs);
            needed.addAll(List.of("PSI_DEG", "GAMMA_DEG", "B_UG", "M_A", "M_S", "SIGMA_GAS"));
            for (String map : needed) {
                if (!images.containsKey(map)) {
                    throw new BadInputException(name, "has no '" + map + "' map");
                }
            }
            int nx = images.get(inputs.get(0)).shape()[0];
            int ny = images.get(inputs.get(0)).shape()[1];
            float[] input = new float[inputs.size() * nx * ny];
            for (int c = 0; c < inputs.size(); c++) {
                MapFiles.Image in = images.get(inputs.get(c));
                if (in.shape()[0] != nx || in.shape()[1] != ny) {
                    throw new BadInputException(
                            name,
                            "its maps '" + inputs.get(0) + "' and '" + inputs.get(c)
                                    + "' differ in size; a stack needs maps of one grid");
                }
                System.arraycopy(in.data(), 0, input, c * nx * ny, nx * ny);
            }
            // The conditioning channel width is the (first) H I channel's; a synchrotron map has none.
            double centre = Double.NaN;
            double width = Double.NaN;
            for (String map : inputs) {
                if (map.matches("HI_CH\\d+")) {
                    String k = map.substring("HI_".length());
                    centre = FitsCards.doubleValue(h, k + "V", Double.NaN);
                    width = FitsCards.doubleValue(h, k + "DV", Double.NaN);
                    break;
                }
            }
            String view = FitsCards.stringValue(h, "VIEW");
            return new PatchSource(
                    simulation,
                    (int) FitsCards.doubleValue(h, "SNAPSHOT", 0),
                    view == null ? "" : view,
                    FitsCards.doubleValue(h, "INCLDEG", Double.NaN),
                    FitsCards.doubleValue(h, "POSANDEG", Double.NaN),
                    observable,
                    centre,
                    width,
                    nx,
                    ny,
                    input,
                    images.get("PSI_DEG").data(),
                    images.get("GAMMA_DEG").data(),
                    images.get("B_UG").data(),
                    images.get("M_A").data(),
                    images.get("M_S").data(),
                    images.get("SIGMA_GAS").data(),
                    equipartition(h, name, observable, protonElectronRatio));
        }

        /**
         * The equipartition baseline of a synchrotron input (SYNC, or SYNC_OBS with beam and noise) from the
         * calibration observe records; null for other inputs and for maps written before observe recorded it
         * (their patches get a null {@code b_eq_ug}, nothing else changes).
         */
        static SynchrotronCalibration.Estimator equipartition(
                Header h, String name, String observable, double protonElectronRatio) {
            if (!observable.equals("SYNC") && !observable.equals("SYNC_OBS")) {
                return null;
            }
            double scale = FitsCards.doubleValue(h, "SYNCCAL", Double.NaN);
            double frequency = FitsCards.doubleValue(h, "SYNCFREQ", Double.NaN);
            double pathPc = FitsCards.doubleValue(h, "LOSPC", Double.NaN);
            double p = FitsCards.doubleValue(h, "ELECP", Double.NaN);
            if (Double.isNaN(scale)) {
                return null;
            }
            try {
                return new SynchrotronCalibration.Estimator(
                        scale,
                        Equipartition.isotropic(
                                Equipartition.spectralIndexFromElectronIndex(p),
                                protonElectronRatio,
                                Equipartition.parsecToCm(pathPc),
                                frequency));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(
                        name,
                        "has a synchrotron calibration (SYNCCAL) but bad SYNCFREQ/LOSPC/ELECP: " + e.getMessage());
            }
        }

        @Override
        public boolean hasNext() {
            return next < unit.firstIndex() + unit.count();
        }

        @Override
        public Row next() {
            made.add(1);
            return PatchSchema.row(source, unit, sampler.patch(next++), size);
        }
    }

    /**
     * Whether a make-patches output stores the per-pixel target maps. Manifests written before the
     * {@code target-maps} entry existed record it only inside the settings text.
     */
    static boolean hasTargetMaps(com.fasterxml.jackson.databind.JsonNode manifest) {
        return manifest.path("target-maps")
                .asBoolean(manifest.path("settings").asText().contains("targetMaps=true"));
    }
}
