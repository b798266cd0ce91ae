package org.magmap.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.magmap.conf.MagmapConfig;
import org.magmap.fits.FitsCards;
import org.magmap.mosaic.HealpixTarget;
import org.magmap.mosaic.MosaicInput;
import org.magmap.mosaic.MosaicRun;
import org.magmap.mosaic.MosaicSettings;
import org.magmap.mosaic.SkyTarget;
import org.magmap.mosaic.TargetGrid;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.OutputFiles;
import org.magmap.sky.SkyFrames;
import org.magmap.spark.SparkSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Survey mosaics: {@code infer}'s per-cube maps co-added onto one target sky grid, one FITS per velocity window
 * ({@code maps/<name>__<window>.fits}: the maps, COVERAGE and N_INPUTS), plus {@code summary.parquet} with a row
 * per window. Every input is checked from its headers before any work; committed atomically.
 */
@Command(
        name = "mosaic",
        description = "Co-adds infer's per-cube maps onto one sky grid (CAR, TAN, ..., equatorial or galactic).",
        footer = {
            "",
            "Example:",
            "  bin/magmap mosaic --conf 'magmap.mosaic.inputs=[\"out/infer\"]' \\",
            "      --conf magmap.mosaic.grid.frame=galactic --conf magmap.mosaic.grid.pixel-arcmin=1.0"
        })
public final class MosaicJob extends SparkJob {
    private static final Logger LOG = LoggerFactory.getLogger(MosaicJob.class);
    private static final String SUMMARY = "summary.parquet";

    private MosaicSettings settings;
    private List<String> inputs;
    private String output;
    private String name;
    private boolean overwrite;
    private int partitions;

    @Override
    protected void configure(MagmapConfig config) {
        settings = MosaicSettings.from(config.section("magmap.mosaic"));
        output = config.getString("magmap.output-root") + "/" + config.getString("magmap.mosaic.output-dir");
        overwrite = config.getBoolean("magmap.mosaic.overwrite");
        partitions = config.getInt("magmap.mosaic.partitions");
        name = config.getString("magmap.mosaic.name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new BadInputException("magmap.mosaic.name", "'" + name + "' is not a file name stem");
        }
        inputs = config.getStringList("magmap.mosaic.inputs");
        if (inputs.isEmpty()) {
            throw new BadInputException(
                    "magmap.mosaic.inputs", "lists no maps: give infer outputs, FITS map files, directories or globs");
        }
    }

    @Override
    protected List<String> settingsSummary() {
        String grid;
        if (settings.healpix()) {
            grid = "HEALPix NSIDE " + settings.healpixNside() + " " + settings.healpixOrdering() + ", "
                    + settings.frame();
        } else {
            grid = settings.frame() + " " + settings.projection()
                    + (settings.center().isEmpty() ? ", centred on the inputs" : ", centre " + settings.center())
                    + (settings.size().isEmpty()
                            ? ", sized to cover them"
                            : ", " + settings.size().get(0) + " x "
                                    + settings.size().get(1))
                    + (settings.pixelArcmin() > 0
                            ? ", " + settings.pixelArcmin() + " arcmin"
                            : ", the finest input pixel");
        }
        return List.of(
                "inputs = " + inputs,
                "target = " + grid,
                "feather " + settings.featherPixels() + " input px, blocks of " + settings.blockPixels() + " px",
                "output = " + output);
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        Map<String, List<MosaicInput>> windows = new TreeMap<>();
        List<MosaicInput> all = new ArrayList<>();
        StringBuilder identity = new StringBuilder();
        try {
            for (String file : FitsInputs.expand(conf, inputs, "magmap.mosaic.inputs", "maps")) {
                FileStatus st = new Path(file).getFileSystem(conf).getFileStatus(new Path(file));
                identity.append(file)
                        .append(' ')
                        .append(st.getLen())
                        .append(' ')
                        .append(st.getModificationTime())
                        .append('\n');
                MosaicInput in = OutputFiles.withScratch(
                        "magmap-mosaic-check-",
                        scratch -> MosaicInput.read(
                                file, OutputFiles.localCopy(file, scratch, SparkSessions.hadoopSettings(spark))));
                try {
                    SkyFrames.Frame.of(in.wcs().frame());
                } catch (IllegalArgumentException e) {
                    throw new BadInputException(
                            file,
                            "its maps are in the " + in.wcs().frame() + " frame and the target is " + settings.frame()
                                    + ": " + e.getMessage());
                }
                LOG.info("mosaic: {}", in.describe());
                all.add(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (all.isEmpty()) {
            throw new BadInputException("magmap.mosaic.inputs", "no .fits file in " + inputs);
        }
        SkyTarget target = settings.healpix()
                ? new HealpixTarget(settings.healpixNside(), settings.healpixOrdering(), settings.frame())
                : TargetGrid.of(settings, all);
        LOG.info("mosaic: target {}", target.describe());
        List<int[]> blocks = target.blocks();
        boolean[] anyInput = new boolean[blocks.size()];
        List<String> missing = new ArrayList<>();
        for (MosaicInput in : all) {
            boolean[] reached = target.reached(in, blocks);
            boolean some = false;
            for (int k = 0; k < reached.length; k++) {
                some |= reached[k];
                anyInput[k] |= reached[k];
            }
            if (!some) {
                missing.add(in.file());
                LOG.warn("mosaic: {} does not reach the target; left out", in.file());
            } else {
                windows.computeIfAbsent(in.window(), w -> new ArrayList<>()).add(in);
            }
        }
        if (windows.isEmpty()) {
            throw new BadInputException("magmap.mosaic.grid", "no input reaches the target " + target.describe());
        }
        if (target instanceof HealpixTarget h) {
            long reachedBlocks = 0;
            for (boolean r : anyInput) {
                reachedBlocks += r ? 1 : 0;
            }
            long pixels = reachedBlocks * h.pixelsPerBlock();
            if (pixels > settings.maxPixels()) {
                throw new BadInputException(
                        "magmap.mosaic.grid.healpix.nside",
                        String.format(
                                Locale.ROOT,
                                "the inputs reach about %,d pixels at NSIDE %d, more than magmap.mosaic.max-pixels"
                                        + " = %,d",
                                pixels,
                                h.nside(),
                                settings.maxPixels()));
            }
        }
        String hash = ConfigHash.of(
                "magmap-mosaic-v1\n" + settings + "\n" + target.describe() + "\n" + name + "\n" + identity);
        FitsCards provenance = new FitsCards()
                .add("CONFHASH", hash, "config hash of this mosaic run")
                .history("magmap mosaic " + BuildInfo.current().describe());
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("maps", "maps");
        outputs.put("summary", SUMMARY);
        return writeCommitted(spark, output, hash, overwrite, "magmap.mosaic.overwrite", outputs, (out, outcome) -> {
            long start = System.nanoTime();
            FileSystem fs = out.fileSystem();
            List<MosaicRun.WindowResult> results =
                    MosaicRun.run(spark, fs, out.staging(), target, windows, settings, partitions, name, provenance);
            writeSummary(spark, out.staging(), results);
            double seconds = (System.nanoTime() - start) / 1e9;
            long failed = results.stream().filter(r -> r.error() != null).count();
            outcome.line(String.format(
                    Locale.ROOT,
                    "%d window mosaics from %d inputs on %s in %.1f s (%,.0f covered target pixels/s)",
                    results.size() - failed,
                    all.size() - missing.size(),
                    target.describe(),
                    seconds,
                    results.stream().mapToLong(MosaicRun.WindowResult::covered).sum() / seconds));
            for (MosaicRun.WindowResult r : results) {
                if (r.error() == null) {
                    outcome.line(String.format(
                            Locale.ROOT,
                            "%s: %d inputs, %,d pixels covered",
                            r.map(),
                            r.inputs().size(),
                            r.covered()));
                }
            }
            if (!missing.isEmpty()) {
                outcome.line(missing.size() + " input(s) off the target, left out: " + missing);
            }
            if (failed > 0) {
                outcome.partial(failed + " window(s) failed; see " + SUMMARY);
                results.stream()
                        .filter(r -> r.error() != null)
                        .forEach(r -> outcome.line("window " + r.window() + ": " + r.error()));
            }
        });
    }

    private static void writeSummary(SparkSession spark, Path staging, List<MosaicRun.WindowResult> results) {
        Set<String> maps = new LinkedHashSet<>();
        results.forEach(r -> maps.addAll(r.maps()));
        StructType schema = new StructType()
                .add("window", DataTypes.StringType)
                .add("map_file", DataTypes.StringType)
                .add("status", DataTypes.StringType)
                .add("error", DataTypes.StringType)
                .add("inputs", DataTypes.IntegerType)
                .add("input_files", DataTypes.createArrayType(DataTypes.StringType))
                .add("covered_pixels", DataTypes.LongType);
        for (String m : maps) {
            schema = schema.add("mean_" + m.toLowerCase(Locale.ROOT), DataTypes.DoubleType);
        }
        List<Row> rows = new ArrayList<>();
        for (MosaicRun.WindowResult r : results) {
            List<Object> v = new ArrayList<>(List.of(r.window(), r.map(), r.error() == null ? "ok" : "failed"));
            v.add(r.error());
            v.add(r.inputs().size());
            v.add(r.inputs()); // Spark converts a java.util.List for an array column
            v.add(r.covered());
            maps.forEach(m -> v.add(r.means().get(m)));
            rows.add(RowFactory.create(v.toArray()));
        }
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(new Path(staging, SUMMARY).toString());
    }
}
