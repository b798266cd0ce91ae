package org.magmap.mosaic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.magmap.fits.FitsCards;
import org.magmap.ops.BlockFiles;
import org.magmap.ops.OutputFiles;
import org.magmap.spark.SparkSessions;
import org.magmap.spark.TaskProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One distributed mosaic: the target grid cut into blocks; each (window, block) that some input's footprint
 * reaches is a task that reads those inputs' parts under it and writes a block file; then each window's FITS
 * is assembled on the driver slab by slab and the block files are removed. Only headers are read on the driver.
 */
public final class MosaicRun {
    private static final Logger LOG = LoggerFactory.getLogger(MosaicRun.class);

    private MosaicRun() {}

    /**
     * One window's mosaic as it ended.
     *
     * @param map the output file, relative to the output directory ("" when it failed)
     * @param inputs the window's input files
     * @param maps the co-added maps
     * @param covered target pixels some input reached
     * @param means per co-added map, the mean of its finite pixels
     * @param error null, or why it failed
     */
    public record WindowResult(
            String window,
            String map,
            List<String> inputs,
            List<String> maps,
            long covered,
            Map<String, Double> means,
            String error) {}

    /** The maps every input of a window has, in the first input's order. */
    public static List<String> commonMaps(List<MosaicInput> inputs) {
        List<String> maps = new ArrayList<>(inputs.get(0).maps());
        for (MosaicInput in : inputs) {
            maps.retainAll(in.maps());
        }
        return maps;
    }

    /** The window's output file name ({@code .healpix.fits} for a HEALPix map). */
    public static String fileName(String name, String window, SkyTarget target) {
        return name + "__" + window + (target instanceof HealpixTarget ? ".healpix.fits" : ".fits");
    }

    /**
     * Runs every window into {@code staging}.
     *
     * @param windows each window's inputs (checked on the driver)
     * @param name the output files' stem
     * @param provenance cards for every output's primary header
     */
    public static List<WindowResult> run(
            SparkSession spark,
            FileSystem fs,
            org.apache.hadoop.fs.Path staging,
            SkyTarget target,
            Map<String, List<MosaicInput>> windows,
            MosaicSettings settings,
            int partitions,
            String name,
            FitsCards provenance)
            throws IOException {
        List<String> windowNames = new ArrayList<>(windows.keySet());
        List<List<MosaicInput>> inputs = new ArrayList<>(windows.values());
        List<List<String>> maps = new ArrayList<>();
        List<MosaicUnit> units = new ArrayList<>();
        List<int[]> blocks = target.blocks();
        for (int w = 0; w < inputs.size(); w++) {
            List<MosaicInput> mine = inputs.get(w);
            maps.add(commonMaps(mine));
            List<boolean[]> reached =
                    mine.stream().map(in -> target.reached(in, blocks)).toList();
            for (int k = 0; k < blocks.size(); k++) {
                int[] b = blocks.get(k);
                List<Integer> reach = new ArrayList<>();
                for (int i = 0; i < mine.size(); i++) {
                    if (reached.get(i)[k]) {
                        reach.add(i);
                    }
                }
                if (!reach.isEmpty()) {
                    units.add(new MosaicUnit(
                            w, b, reach.stream().mapToInt(Integer::intValue).toArray()));
                }
            }
        }
        LOG.info(
                "mosaic: {} windows, {} of {} blocks reached by an input",
                windowNames.size(),
                units.size(),
                (long) blocks.size() * windowNames.size());
        OutputFiles.mkdirs(fs, new org.apache.hadoop.fs.Path(staging, "_blocks"), "the mosaic staging directory");
        OutputFiles.HadoopSettings hadoop = SparkSessions.hadoopSettings(spark);
        String stagingDir = staging.toString();
        double feather = settings.featherPixels();
        List<MosaicWork.BlockSummary> done = List.of();
        if (!units.isEmpty()) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            try (TaskProgress p = TaskProgress.start(spark, "mosaic", "blocks", units.size(), LOG)) {
                done = jsc.parallelize(units, partitions > 0 ? Math.min(partitions, units.size()) : units.size())
                        .mapPartitions((Iterator<MosaicUnit> it) -> {
                            List<MosaicWork.BlockSummary> out = new ArrayList<>();
                            while (it.hasNext()) {
                                MosaicUnit u = it.next();
                                String dir = blocksDir(new org.apache.hadoop.fs.Path(stagingDir), u.window());
                                out.add(MosaicWork.run(
                                        u, target, inputs.get(u.window()), maps.get(u.window()), feather, dir, hadoop));
                            }
                            return out.iterator();
                        })
                        .collect(); // one small record per block
            }
        }
        List<WindowResult> results = new ArrayList<>();
        for (int w = 0; w < windowNames.size(); w++) {
            int ww = w;
            List<MosaicWork.BlockSummary> mine =
                    done.stream().filter(b -> b.window() == ww).toList();
            String error = mine.stream()
                    .map(MosaicWork.BlockSummary::error)
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .orElse(null);
            List<String> files = inputs.get(w).stream().map(MosaicInput::file).toList();
            String window = windowNames.get(w);
            if (error != null) {
                LOG.warn("mosaic: window {} FAILED: {}", window, error);
                results.add(new WindowResult(window, "", files, maps.get(w), 0, Map.of(), error));
                continue;
            }
            Map<String, Double> means = new LinkedHashMap<>();
            long covered =
                    mine.stream().mapToLong(MosaicWork.BlockSummary::covered).sum();
            for (int q = 0; q < maps.get(w).size(); q++) {
                double sum = 0;
                long n = 0;
                for (MosaicWork.BlockSummary b : mine) {
                    sum += b.sums()[q];
                    n += b.counts()[q];
                }
                means.put(maps.get(w).get(q), n > 0 ? sum / n : Double.NaN);
            }
            Map<String, Long> written = new LinkedHashMap<>();
            mine.forEach(b -> written.put(BlockFiles.fileName(b.block()), b.covered()));
            String fileName = fileName(name, window, target);
            String mapsDir = new org.apache.hadoop.fs.Path(staging, "maps").toString();
            String blocksDir = blocksDir(staging, w);
            FitsCards cards = provenance
                    .copy()
                    .add("WINDOW", window, "velocity window of the inputs")
                    .add("NINPUTS", (long) files.size(), "input maps co-added")
                    .add("FEATHER", feather, "input pixels over which each input's weight rises from its edge")
                    .add("PSICONV", "PSI_DEG: position angle east of north (IAU), " + target.frame() + " frame", null);
            files.forEach(f -> cards.history("input " + f));
            List<String> coAdded = maps.get(w);
            OutputFiles.withScratch("magmap-mosaic-out-", scratch -> {
                Path local = scratch.resolve(fileName);
                if (target instanceof TargetGrid grid) {
                    MosaicOutput.write(local, fs, blocksDir, written.keySet(), grid, coAdded, cards);
                } else {
                    MosaicOutput.writeHealpix(local, fs, blocksDir, written, (HealpixTarget) target, coAdded, cards);
                }
                OutputFiles.publish(local, mapsDir, hadoop);
                return null;
            });
            LOG.info(
                    "mosaic: window {}: {} inputs, {} pixels covered -> maps/{}",
                    window,
                    files.size(),
                    covered,
                    fileName);
            results.add(new WindowResult(window, "maps/" + fileName, files, coAdded, covered, means, null));
        }
        fs.delete(new org.apache.hadoop.fs.Path(staging, "_blocks"), true);
        return results;
    }

    private static String blocksDir(org.apache.hadoop.fs.Path staging, int window) {
        return new org.apache.hadoop.fs.Path(staging, "_blocks/" + window).toString();
    }
}
