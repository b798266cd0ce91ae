package org.magmap.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.magmap.artifact.ModelCard;
import org.magmap.conf.MagmapConfig;
import org.magmap.fits.FitsCards;
import org.magmap.infer.InferInput;
import org.magmap.infer.InferRun;
import org.magmap.infer.InferSettings;
import org.magmap.infer.InferWork;
import org.magmap.infer.ModelSpec;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.OutputFiles;
import org.magmap.spark.SparkSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Tiled inference over survey files: every velocity window of every H I cube (or every 2D synchrotron image,
 * for a model of one) mapped into psi (a position angle east of north), gamma, B, M_A and M_s on the input's
 * own sky coordinates, one FITS file per input and window, plus {@code summary.parquet} with a row per input and
 * window. Committed atomically; an input that fails is named in the summary and the others complete (exit 3).
 */
@Command(
        name = "infer",
        description = "Maps of the magnetic field from survey cubes or images, as FITS on the input's sky grid.",
        footer = {
            "",
            "Example:",
            "  bin/magmap infer --conf 'magmap.infer.inputs=[\"/data/crafts/*.fits\"]' \\",
            "      --conf 'magmap.infer.windows={lvc=[-10,10], ivc=[-60,-30]}'"
        })
public final class InferJob extends SparkJob {
    private static final Logger LOG = LoggerFactory.getLogger(InferJob.class);
    private static final String SUMMARY = "summary.parquet";

    private InferSettings settings;
    private ModelCard card;
    private ModelSpec model;
    private List<String> inputs;
    private String output;
    private String modelDir;
    private boolean overwrite;
    private int partitions;

    @Override
    protected void configure(MagmapConfig config) {
        settings = InferSettings.from(config.section("magmap.infer"));
        String root = config.getString("magmap.output-root");
        output = root + "/" + config.getString("magmap.infer.output-dir");
        modelDir = root + "/" + config.getString("magmap.infer.model-dir");
        overwrite = config.getBoolean("magmap.infer.overwrite");
        partitions = config.getInt("magmap.infer.partitions");
        inputs = config.getStringList("magmap.infer.inputs");
        if (inputs.isEmpty()) {
            throw new BadInputException("magmap.infer.inputs", "lists no files: give FITS files, directories or globs");
        }
        card = ModelCard.read(modelDir);
        model = ModelSpec.of(card);
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of(
                "model = " + modelDir + " (" + card.model() + ", " + card.observables() + ", " + card.patchSize()
                        + " px tiles)",
                "inputs = " + inputs,
                "windows = " + settings.windows(),
                "tiles overlap " + settings.tileOverlap() + " px, blocks of " + settings.blockPixels() + " px"
                        + (settings.dihedralMean() ? ", dihedral mean" : ""),
                "output = " + output);
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        org.magmap.predict.ModelBytes modelBytes;
        List<InferInput> good = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        StringBuilder identity = new StringBuilder();
        try {
            modelBytes =
                    card.modelBytes(card.readCheckedModel(new Path(modelDir).getFileSystem(conf)), settings.engine());
            for (String file : FitsInputs.expand(conf, inputs, "magmap.infer.inputs", null)) {
                FileStatus st = new Path(file).getFileSystem(conf).getFileStatus(new Path(file));
                identity.append(file)
                        .append(' ')
                        .append(st.getLen())
                        .append(' ')
                        .append(st.getModificationTime());
                try {
                    InferInput in = OutputFiles.withScratch(
                            "magmap-infer-check-",
                            scratch -> InferInput.read(
                                    file,
                                    OutputFiles.localCopy(file, scratch, SparkSessions.hadoopSettings(spark)),
                                    model.readsChannelMaps(),
                                    model.tileSize(),
                                    settings.windows()));
                    LOG.info("infer: {}", in.describe());
                    checkConditions(in);
                    good.add(in);
                } catch (BadInputException e) {
                    refused.put(file, e.getMessage());
                    LOG.warn("infer: {}", e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (good.isEmpty()) {
            throw refused.size() == 1
                    ? new BadInputException(refused.keySet().iterator().next(), refusalText(refused))
                    : new BadInputException("magmap.infer.inputs", "no input can be mapped: " + refused.values());
        }
        String hash = ConfigHash.of("magmap-infer-v1\n" + card.configHash() + "\n" + settings + "\n" + identity);
        FitsCards provenance = new FitsCards()
                .add("MODELHSH", card.configHash(), "config hash of the model card")
                .add("CONFHASH", hash, "config hash of this infer run")
                .add("MODEL", card.model(), "network")
                .history("magmap infer " + BuildInfo.current().describe() + ", model " + modelDir);
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("maps", "maps");
        outputs.put("summary", SUMMARY);
        return writeCommitted(spark, output, hash, overwrite, "magmap.infer.overwrite", outputs, (out, outcome) -> {
            long start = System.nanoTime();
            FileSystem fs = out.fileSystem();
            List<InferRun.WindowResult> results =
                    InferRun.run(spark, fs, out.staging(), good, model, modelBytes, settings, partitions, provenance);
            writeSummary(spark, out.staging(), results, refused);
            long tiles =
                    results.stream().mapToLong(InferRun.WindowResult::tiles).sum();
            long failed = results.stream().filter(r -> r.error() != null).count() + refused.size();
            double seconds = (System.nanoTime() - start) / 1e9;
            outcome.line(String.format(
                    Locale.ROOT,
                    "%d map files from %d inputs, %,d tile predictions in %.1f s (%,.0f tiles/s)",
                    results.size() - (failed - refused.size()),
                    good.size(),
                    tiles,
                    seconds,
                    tiles / seconds));
            for (InferRun.WindowResult r : results) {
                if (r.error() == null && r.means().containsKey("B_UG")) {
                    outcome.line(String.format(
                            Locale.ROOT,
                            "%s: mean B %.3g uG%s",
                            r.map(),
                            r.means().get("B_UG"),
                            r.means().containsKey("M_A")
                                    ? String.format(
                                            Locale.ROOT,
                                            ", M_A %.3g, M_s %.3g",
                                            r.means().get("M_A"),
                                            r.means().get("M_S"))
                                    : ""));
                }
            }
            if (failed > 0) {
                outcome.partial(failed + " input window(s) failed; see " + SUMMARY);
                refused.values().forEach(outcome::line);
                results.stream()
                        .filter(r -> r.error() != null)
                        .forEach(r -> outcome.line(r.input() + " window " + r.window() + ": " + r.error()));
            }
        });
    }

    /** Warns of (or, strict, refuses) windows whose conditions the model was not trained on. */
    private void checkConditions(InferInput in) {
        if (model.conditions() == 0) {
            return;
        }
        for (int w = 0; w < in.windows().size(); w++) {
            List<String> outside = in.conditionsOutside(w, settings, model.conditionRanges());
            if (!outside.isEmpty()) {
                String what = "window " + in.windows().get(w).name() + ": " + String.join("; ", outside) + " of "
                        + card.file();
                if (settings.strict()) {
                    throw new BadInputException(in.file(), what + " (magmap.infer.conditions.strict = true)");
                }
                LOG.warn("infer: {}: {}; the maps are extrapolated", in.file(), what);
            }
        }
    }

    private static String refusalText(Map<String, String> refused) {
        String file = refused.keySet().iterator().next();
        String m = refused.get(file);
        // The reader names the file as it opened it: with its scheme (file:/x) or without (/x).
        for (String name : List.of(file, new Path(file).toUri().getPath())) {
            if (m.startsWith(name + ": ")) {
                return m.substring(name.length() + 2);
            }
        }
        return m;
    }

    private void writeSummary(
            SparkSession spark, Path staging, List<InferRun.WindowResult> results, Map<String, String> refused) {
        List<String> maps = InferWork.maps(model, settings, null);
        StructType schema = new StructType()
                .add("input", DataTypes.StringType)
                .add("window", DataTypes.StringType)
                .add("map_file", DataTypes.StringType)
                .add("status", DataTypes.StringType)
                .add("error", DataTypes.StringType)
                .add("tiles", DataTypes.LongType)
                .add("tiles_too_blank", DataTypes.LongType);
        for (String m : maps) {
            schema = schema.add("mean_" + m.toLowerCase(Locale.ROOT), DataTypes.DoubleType);
        }
        List<Row> rows = new ArrayList<>();
        for (InferRun.WindowResult r : results) {
            List<Object> v =
                    new ArrayList<>(List.of(r.input(), r.window(), r.map(), r.error() == null ? "ok" : "failed"));
            v.add(r.error());
            v.add(r.tiles());
            v.add(r.skipped());
            maps.forEach(m -> v.add(r.means().get(m)));
            rows.add(RowFactory.create(v.toArray()));
        }
        refused.forEach((file, why) -> {
            List<Object> v = new ArrayList<>(List.of(file, "", "", "refused"));
            v.add(why);
            v.add(0L);
            v.add(0L);
            maps.forEach(m -> v.add(null));
            rows.add(RowFactory.create(v.toArray()));
        });
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(new Path(staging, SUMMARY).toString());
    }
}
