package org.magmap.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.magmap.artifact.ArtifactFiles;
import org.magmap.artifact.ObserveManifest;
import org.magmap.artifact.PatchManifest;
import org.magmap.conf.ConfigNames;
import org.magmap.conf.MagmapConfig;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.OutputFiles;
import org.magmap.patch.MapFileSource;
import org.magmap.patch.PatchCounts;
import org.magmap.patch.PatchRows;
import org.magmap.patch.PatchSampler;
import org.magmap.patch.PatchSchema;
import org.magmap.patch.PatchSettings;
import org.magmap.patch.PatchSource;
import org.magmap.patch.PatchUnit;
import org.magmap.patch.Splits;
import org.magmap.patch.StackedObservable;
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
    private PatchSettings settings;
    private String output;
    private String input;
    private boolean overwrite;
    private int requestedPartitions;
    private ObserveManifest observed;

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

    /** The observe output, each of whose map files must hold the maps of every configured observable. */
    private void readObserveManifest() {
        observed = ObserveManifest.read(input);
        for (ObserveManifest.MapFile file : observed.maps()) {
            for (String observable : settings.observables()) {
                for (String map : StackedObservable.maps(observable)) {
                    if (!file.has(map)) {
                        throw new BadInputException(
                                file.path(),
                                "has no map '" + map + "' (it has " + file.maps() + "); check magmap.make-patches"
                                        + ".observables against magmap.observe settings");
                    }
                }
            }
        }
    }

    @Override
    protected List<String> settingsSummary() {
        long total = (long) observed.maps().size()
                * settings.observables().size()
                * settings.noiseRatios().size()
                * settings.beamFwhmPixels().size()
                * settings.patchesPerMap();
        return List.of(
                "input = " + input + " (" + observed.maps().size() + " map files)",
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
        for (ObserveManifest.MapFile m : observed.maps()) {
            for (String observable : settings.observables()) {
                for (double noise : settings.noiseRatios()) {
                    for (double beam : settings.beamFwhmPixels()) {
                        for (long first = 0; first < settings.patchesPerMap(); first += settings.patchesPerTask()) {
                            int count = (int) Math.min(settings.patchesPerTask(), settings.patchesPerMap() - first);
                            units.add(new PatchUnit(m.path(), m.runId(), observable, noise, beam, first, count));
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
                + "\n" + settings + "\n" + observed.configHash() + "\n"
                + String.join(
                        "\n",
                        observed.maps().stream()
                                .map(ObserveManifest.MapFile::path)
                                .toList()));
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("patches", PatchManifest.PATCHES);
        outputs.put("manifest", PatchManifest.FILE);
        return writeCommitted(
                spark, output, hash, overwrite, "magmap.make-patches.overwrite", outputs, (out, outcome) -> {
                    long start = System.nanoTime();
                    String dir = PatchManifest.parquet(out.staging().toString());
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
                    PatchCounts counts = PatchCounts.of(spark, dir);
                    long bytes = PatchCounts.parquetBytes(out.fileSystem(), new org.apache.hadoop.fs.Path(dir));
                    Map<String, Object> timings = new LinkedHashMap<>();
                    timings.put("bytes", bytes);
                    timings.put("seconds", seconds);
                    timings.put("patches-per-second", total / seconds);
                    PatchManifest.write(
                            out.fileSystem(),
                            out.staging(),
                            ArtifactFiles.header(
                                    PatchManifest.KIND,
                                    hash,
                                    BuildInfo.current().describe()),
                            new PatchManifest(
                                    PatchManifest.FILE,
                                    hash,
                                    settings.size(),
                                    settings.observables(),
                                    settings.targetMaps(),
                                    ConfigNames.of(settings.normalization()),
                                    settings.rotate(),
                                    input,
                                    counts.patches(),
                                    counts.perSplit(),
                                    PatchManifest.trainSimulations(counts.perSimulation())),
                            settings.toString(),
                            observed.configHash(),
                            counts.perSimulation(),
                            timings);
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
        for (ObserveManifest.MapFile m : observed.maps()) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(m.path());
            try {
                if (!p.getFileSystem(hadoop).exists(p)) {
                    throw new BadInputException(m.path(), "map file listed in " + observed.file() + " is missing");
                }
            } catch (IOException e) {
                throw new BadInputException(m.path(), "cannot be checked: " + e.getMessage(), e);
            }
        }
        ObserveManifest.MapFile first = observed.maps().get(0);
        try {
            OutputFiles.withScratch("magmap-patches-check-", scratch -> {
                Path local = OutputFiles.localCopy(first.path(), scratch, new OutputFiles.HadoopSettings(Map.of()));
                PatchSource src = MapFileSource.read(
                        local,
                        first.path(),
                        first.runId(),
                        settings.observables().get(0),
                        settings.protonElectronRatio());
                return new PatchSampler(src, settings.augmentation(0, 0), settings.splits());
            });
        } catch (IllegalArgumentException e) {
            throw new BadInputException(first.path(), e.getMessage(), e);
        } catch (IOException e) {
            throw new BadInputException(first.path(), "cannot be read: " + e.getMessage(), e);
        }
    }
}
