package org.magmap.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nom.tam.fits.Header;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImageReader;
import org.magmap.ops.OutputFiles;
import org.magmap.predict.ModelRunner;
import org.magmap.spark.SparkSessions;
import org.magmap.spark.TaskCores;
import org.magmap.spark.TaskProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One distributed inference over checked inputs: every (input, window, block) is a task that reads its own
 * block and writes a block file; then each input's window is assembled into its FITS file on the driver, slab
 * by slab, and the block files are removed. An input whose blocks failed gets no file and its reason.
 */
public final class InferRun {
    private static final Logger LOG = LoggerFactory.getLogger(InferRun.class);

    private InferRun() {}

    /**
     * One input's window as it ended.
     *
     * @param map the output file, relative to the output directory ("" when it failed)
     * @param tiles the map's tiles
     * @param skipped tiles too blank to predict
     * @param predictions tile predictions made (a tile reaching into several blocks is predicted in each)
     * @param means per map of {@link InferWork#maps}, the mean of its finite pixels
     * @param error null, or why it failed
     */
    public record WindowResult(
            String input,
            String window,
            String map,
            long tiles,
            long skipped,
            long predictions,
            Map<String, Double> means,
            String error) {}

    /** The blocks directory of an input's window inside the staging output. */
    private static String blocksDir(org.apache.hadoop.fs.Path staging, int input, int window) {
        return new org.apache.hadoop.fs.Path(staging, "_blocks/" + input + "-" + window).toString();
    }

    /**
     * Runs every window of every input into {@code staging}.
     *
     * @param modelBytes the network as its engine's bytes (checked on the driver)
     * @param provenance cards for every output's primary header (config and card hashes)
     */
    public static List<WindowResult> run(
            SparkSession spark,
            FileSystem fs,
            org.apache.hadoop.fs.Path staging,
            List<InferInput> inputs,
            ModelSpec model,
            org.magmap.predict.ModelBytes modelBytes,
            InferSettings settings,
            int partitions,
            FitsCards provenance)
            throws IOException {
        List<InferUnit> units = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            InferInput in = inputs.get(i);
            TileGrid grid = new TileGrid(in.nx(), in.ny(), model.tileSize(), settings.tileOverlap());
            for (int w = 0; w < in.windows().size(); w++) {
                for (int[] b : InferOutput.blocks(in.nx(), in.ny(), settings.blockPixels())) {
                    int vgt = in.spectral() != null && model.imageToImage() ? settings.vgtBlockPixels() : 0;
                    units.add(new InferUnit(i, w, b, InferOutput.region(b, grid, vgt, in.nx(), in.ny())));
                }
            }
        }
        // The blocks' parent directory: tasks make their window's directory in it, never the staging directory.
        OutputFiles.mkdirs(fs, new org.apache.hadoop.fs.Path(staging, "_blocks"), "the infer staging directory");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<org.magmap.predict.ModelBytes> bytes = jsc.broadcast(modelBytes);
        OutputFiles.HadoopSettings hadoop = SparkSessions.hadoopSettings(spark);
        List<InferInput> in = List.copyOf(inputs);
        InferSettings s = settings;
        String stagingDir = staging.toString();
        List<InferWork.BlockSummary> blocks;
        try (TaskProgress p = TaskProgress.start(spark, "infer", "blocks", units.size(), LOG)) {
            blocks = jsc.parallelize(units, partitions > 0 ? Math.min(partitions, units.size()) : units.size())
                    .mapPartitions((Iterator<InferUnit> it) -> {
                        ModelRunner runner = runner(bytes.value(), s.dihedralMean(), TaskCores.current());
                        List<InferWork.BlockSummary> out = new ArrayList<>();
                        while (it.hasNext()) {
                            InferUnit u = it.next();
                            String dir = blocksDir(new org.apache.hadoop.fs.Path(stagingDir), u.input(), u.window());
                            out.add(InferWork.run(u, in.get(u.input()), model, runner, s, dir, hadoop));
                        }
                        return out.iterator();
                    })
                    .collect(); // one small record per block
        }
        bytes.destroy();
        List<WindowResult> results = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            InferInput input = inputs.get(i);
            Header header = header(input, hadoop);
            for (int w = 0; w < input.windows().size(); w++) {
                int ii = i;
                int ww = w;
                List<InferWork.BlockSummary> mine = blocks.stream()
                        .filter(b -> b.input() == ii && b.window() == ww)
                        .toList();
                String error = mine.stream()
                        .map(InferWork.BlockSummary::error)
                        .filter(java.util.Objects::nonNull)
                        .findFirst()
                        .orElse(null);
                long tiles =
                        mine.stream().mapToLong(InferWork.BlockSummary::tiles).sum();
                long skipped =
                        mine.stream().mapToLong(InferWork.BlockSummary::skipped).sum();
                long predictions = mine.stream()
                        .mapToLong(InferWork.BlockSummary::predictions)
                        .sum();
                Map<String, Double> means = new LinkedHashMap<>();
                String name = "";
                List<String> maps = InferWork.maps(model, settings, input);
                if (error == null) {
                    for (int q = 0; q < maps.size(); q++) {
                        double sum = 0;
                        long n = 0;
                        for (InferWork.BlockSummary b : mine) {
                            sum += b.sums()[q];
                            n += b.counts()[q];
                        }
                        means.put(maps.get(q), n > 0 ? sum / n : Double.NaN);
                    }
                    name = "maps/" + InferOutput.fileName(input, w);
                    String blocksDir = blocksDir(staging, i, w);
                    String mapsDir = new org.apache.hadoop.fs.Path(staging, "maps").toString();
                    String fileName = InferOutput.fileName(input, w);
                    FitsCards cards = windowCards(provenance, input, w);
                    OutputFiles.withScratch("magmap-infer-out-", scratch -> {
                        Path local = scratch.resolve(fileName);
                        InferOutput.write(local, fs, blocksDir, input, model, s, header, cards);
                        OutputFiles.publish(local, mapsDir, hadoop);
                        return null;
                    });
                    LOG.info(
                            "infer: {} window {}: {} tiles ({} too blank) -> {}",
                            input.file(),
                            input.windows().get(w).name(),
                            tiles,
                            skipped,
                            name);
                } else {
                    LOG.warn(
                            "infer: {} window {} FAILED: {}",
                            input.file(),
                            input.windows().get(w).name(),
                            error);
                }
                results.add(new WindowResult(
                        input.file(), input.windows().get(w).name(), name, tiles, skipped, predictions, means, error));
            }
        }
        fs.delete(new org.apache.hadoop.fs.Path(staging, "_blocks"), true);
        return results;
    }

    /** The model's runner; with the dihedral mean, its mean and spread over the eight turns of each tile. */
    private static ModelRunner runner(org.magmap.predict.ModelBytes bytes, boolean dihedralMean, int threads) {
        ModelRunner one = bytes.runner(threads);
        return dihedralMean ? new org.magmap.predict.DihedralSpreadRunner(one) : one;
    }

    private static Header header(InferInput input, OutputFiles.HadoopSettings hadoop) throws IOException {
        return OutputFiles.withScratch("magmap-infer-header-", scratch -> {
            try (FitsImageReader r = FitsImageReader.open(OutputFiles.localCopy(input.file(), scratch, hadoop))) {
                return r.header(input.hdu());
            }
        });
    }

    private static FitsCards windowCards(FitsCards provenance, InferInput in, int w) {
        FitsCards c = provenance.copy();
        VelocityWindow win = in.windows().get(w);
        c.add("INFILE", new org.apache.hadoop.fs.Path(in.file()).getName(), "input file");
        c.add("WINDOW", win.name(), "velocity window (image: a 2D input)");
        if (in.spectral() != null) {
            c.add("VLOKMS", win.lowKmPerS(), "window lower edge, km/s");
            c.add("VHIKMS", win.highKmPerS(), "window upper edge, km/s");
            c.add("SPECAXIS", in.spectral().type(), "input spectral axis");
        }
        c.add(
                "PSICONV",
                "PSI_DEG: position angle east of north (IAU), " + in.wcs().frame() + " frame",
                null);
        c.history("input " + in.file());
        return c;
    }
}
