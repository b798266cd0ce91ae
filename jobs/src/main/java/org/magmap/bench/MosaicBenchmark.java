package org.magmap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.magmap.mosaic.SyntheticSurvey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code mosaic} job end to end on synthetic surveys of growing area: k x k overlapping cubes' maps (as infer
 * writes them, here the sky's truth, so the network's cost is left out) co-added on the sky's grid. Prints wall
 * time, target pixels per second and the heap's peak per size, how time grew against area, and from the largest
 * size's rate an estimate for a CRAFTS-sized run on a cluster.
 */
@Command(
        name = "mosaic",
        mixinStandardHelpOptions = true,
        description = "mosaic job wall time and pixels/s on synthetic surveys of k x k overlapping cubes.",
        footer = {"", "Example:", "  bin/magmap-bench mosaic --cubes-per-side 4,8,16"})
final class MosaicBenchmark implements Callable<Integer> {
    @Option(
            names = "--cubes-per-side",
            split = ",",
            description = "Survey sizes k (k x k cubes), default ${DEFAULT-VALUE}.")
    List<Integer> sizes = List.of(4, 8, 16);

    @Option(names = "--cube-pixels", description = "Each cube's side, default ${DEFAULT-VALUE}.")
    int cubePixels = 256;

    @Option(names = "--overlap", description = "Pixels neighbouring cubes share, default ${DEFAULT-VALUE}.")
    int overlap = 32;

    @Option(names = "--master", description = "Spark master, default ${DEFAULT-VALUE}.")
    String master = "local[2]";

    @Option(names = "--cores", description = "Cores behind --master, for the per-core rate; default ${DEFAULT-VALUE}.")
    int cores = 2;

    @Option(names = "--work", description = "Working directory, default: a new temporary one, deleted after.")
    Path work;

    @Override
    public Integer call() throws Exception {
        return Bench.inWorkDirectory(work, "magmap-bench-mosaic-", this::measure);
    }

    private int measure(Path root) throws IOException {
        System.out.println("observing a small simulated suite for the survey's sky (not timed) ...");
        check(run(
                root,
                "simulate",
                "magmap.simulate.grid-size=64",
                "magmap.simulate.snapshots=1",
                "magmap.simulate.b0-microgauss=[3]",
                "magmap.simulate.sigma-v-km-per-s=[2.5]"));
        check(run(root, "observe", "magmap.observe.inclinations-deg=[90]"));
        Path mapFile;
        try (Stream<Path> maps = Files.list(root.resolve("observe/maps"))) {
            mapFile = maps.sorted().findFirst().orElseThrow();
        }
        int step = cubePixels - overlap;
        System.out.println("a warm-up mosaic of 2 x 2 cubes (not timed) ...");
        SyntheticSurvey warm = new SyntheticSurvey(step + cubePixels, cubePixels, step, 150.0, 30.0, 1.0 / 60);
        warm.writeTruthMaps(mapFile, root.resolve("maps-warm-up"), "lvc");
        check(run(
                root,
                "mosaic",
                "magmap.mosaic.output-dir=mosaic-warm-up",
                "magmap.mosaic.inputs=[\"" + root.resolve("maps-warm-up") + "\"]"));
        System.out.println("magmap mosaic benchmark - " + Bench.machine() + ", " + master + ", cubes of " + cubePixels
                + " px overlapping by " + overlap + " px, 1 arcmin pixels, TAN sky grid, 5 maps + COVERAGE each");
        System.out.printf(
                Locale.ROOT,
                "%8s %11s %12s %10s %14s %14s%n",
                "cubes",
                "sky",
                "sky pixels",
                "wall",
                "pixels/s",
                "peak heap");
        double previousWall = 0;
        long previousPixels = 0;
        double rate = 0;
        for (int k : sizes.stream().sorted().toList()) {
            int sky = step * (k - 1) + cubePixels;
            SyntheticSurvey survey = new SyntheticSurvey(sky, cubePixels, step, 150.0, 30.0, 1.0 / 60);
            Path maps = root.resolve("maps-" + k);
            survey.writeTruthMaps(mapFile, maps, "lvc");
            Bench.resetPeaks();
            long t0 = System.nanoTime();
            int code = run(
                    root,
                    "mosaic",
                    "magmap.mosaic.output-dir=mosaic-" + k,
                    "magmap.mosaic.inputs=[\"" + maps + "\"]",
                    "magmap.mosaic.grid.projection=TAN",
                    "magmap.mosaic.grid.center=[150.0, 30.0]",
                    "magmap.mosaic.grid.size=[" + sky + ", " + sky + "]",
                    "magmap.mosaic.grid.pixel-arcmin=1.0");
            double wall = (System.nanoTime() - t0) / 1e9;
            if (code != 0) {
                System.out.println("mosaic exited with status " + code + "; see the log above");
                return code;
            }
            long pixels = (long) sky * sky;
            rate = pixels / wall;
            System.out.printf(
                    Locale.ROOT,
                    "%5dx%-2d %6d^2 px %12s %9.1fs %14s %10.0f MiB%n",
                    k,
                    k,
                    sky,
                    String.format(Locale.ROOT, "%,d", pixels),
                    wall,
                    String.format(Locale.ROOT, "%,.0f", rate),
                    Bench.peakHeapMib());
            if (previousPixels > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "%8s %11s %12s %9.1fx   (area grew %.1fx)%n",
                        "growth",
                        "",
                        "",
                        wall / previousWall,
                        (double) pixels / previousPixels);
            }
            previousWall = wall;
            previousPixels = pixels;
            org.magmap.ops.OutputFiles.deleteLocalTree(maps);
            org.magmap.ops.OutputFiles.deleteLocalTree(root.resolve("mosaic-" + k));
        }
        // CRAFTS: about 20,000 square degrees at 1 arcmin pixels, 30 velocity windows, on 100 cores.
        double craftsPixels = 20_000.0 * 3600 * 30;
        double perCore = rate / cores;
        System.out.printf(
                Locale.ROOT,
                "scaling estimate: %.0f pixels/s per core at the largest size; a CRAFTS-sized run (20,000 deg^2 at"
                        + " 1 arcmin, 30 windows: %.2g target pixels) on 100 cores takes about %.0f min of co-adding%n",
                perCore,
                craftsPixels,
                craftsPixels / (perCore * 100) / 60);
        System.out.printf(Locale.ROOT, "peak RSS of this JVM: %.0f MiB%n", Bench.peakRssMib());
        return 0;
    }

    private static void check(int code) {
        if (code != 0) {
            throw new IllegalStateException("a job making the benchmark's sky exited with status " + code);
        }
    }

    private int run(Path root, String job, String... confs) {
        return Bench.runJob(master, root, job, confs);
    }
}
