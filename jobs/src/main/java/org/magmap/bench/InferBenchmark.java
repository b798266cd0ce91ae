package org.magmap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImageWriter;
import org.magmap.infer.TileGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code infer} job end to end on synthetic H I cubes of growing area: each cube is written as FITS (a TAN
 * sky grid, a radio-velocity axis in km/s, 32-bit floats), then mapped in two velocity windows on Spark, and the
 * wall time, tiles per second and the heap's peak are printed per size. Throughput does not depend on the
 * network's weights, so the model is a ResNet of the chosen architecture trained for one epoch on a tiny suite
 * (or any train output given with {@code --model}).
 */
@Command(
        name = "infer",
        mixinStandardHelpOptions = true,
        description = "infer job wall time and tiles/s on synthetic cubes of the given sizes, two windows each.",
        footer = {
            "",
            "Examples:",
            "  MAGMAP_DRIVER_MEMORY=2g bin/magmap-bench infer --sizes 1024,2048",
            "  bin/magmap-bench infer --sizes 512 --base-channels 32 --residual-blocks 6"
        })
final class InferBenchmark implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", description = "Cube sides in pixels, default ${DEFAULT-VALUE}.")
    List<Integer> sizes = List.of(1024, 2048);

    @Option(names = "--channels", description = "Spectral channels (2 km/s each), default ${DEFAULT-VALUE}.")
    int channels = 64;

    @Option(names = "--master", description = "Spark master, default ${DEFAULT-VALUE}.")
    String master = "local[2]";

    @Option(names = "--block-pixels", description = "magmap.infer.block-pixels, default ${DEFAULT-VALUE}.")
    int blockPixels = 256;

    @Option(names = "--base-channels", description = "ResNet width when training one, default ${DEFAULT-VALUE}.")
    int baseChannels = 8;

    @Option(names = "--residual-blocks", description = "ResNet depth when training one, default ${DEFAULT-VALUE}.")
    int residualBlocks = 2;

    @Option(
            names = "--model",
            description = "A train output directory under --work to run instead of training a small ResNet.")
    String model;

    @Option(names = "--work", description = "Working directory, default: a new temporary one, deleted after.")
    Path work;

    @Override
    public Integer call() throws Exception {
        return Bench.inWorkDirectory(work, "magmap-bench-infer-", this::measure);
    }

    private int measure(Path root) throws IOException {
        if (model != null && work == null) {
            throw new picocli.CommandLine.ParameterException(
                    new picocli.CommandLine(this), "--model names a train output under --work: give --work too");
        }
        String modelDir = model == null ? trainSmallResNet(root) : model;
        System.out.println("magmap infer benchmark - " + Bench.machine() + ", " + master + ", " + channels
                + " channels, windows lvc [-10, 10] and ivc [-60, -30] km/s, blocks of " + blockPixels
                + " px, model " + modelDir);
        System.out.printf(
                Locale.ROOT,
                "%10s %12s %10s %10s %10s %10s %14s%n",
                "cube",
                "cube bytes",
                "tiles",
                "wall",
                "tiles/s",
                "write",
                "peak heap");
        double previousWall = 0;
        long previousPixels = 0;
        for (int n : sizes.stream().sorted().toList()) {
            Path cube = root.resolve("cube-" + n + ".fits");
            long w0 = System.nanoTime();
            writeCube(cube, n, channels);
            double writeSeconds = (System.nanoTime() - w0) / 1e9;
            long tiles = 2 * new TileGrid(n, n, 32, 16).tileCount();
            Bench.resetPeaks();
            long t0 = System.nanoTime();
            int code = run(
                    root,
                    "infer",
                    "magmap.infer.output-dir=infer-" + n,
                    "magmap.infer.model-dir=" + modelDir,
                    "magmap.infer.inputs=[\"" + cube + "\"]",
                    "magmap.infer.windows={lvc=[-10.0, 10.0], ivc=[-60.0, -30.0]}",
                    "magmap.infer.block-pixels=" + blockPixels);
            double wall = (System.nanoTime() - t0) / 1e9;
            if (code != 0) {
                System.out.println("infer exited with status " + code + " on " + cube + "; see the log above");
                return code;
            }
            System.out.printf(
                    Locale.ROOT,
                    "%5d^2x%-3d %12s %10d %9.1fs %10.1f %9.1fs %11.0f MiB%n",
                    n,
                    channels,
                    String.format(Locale.ROOT, "%,d", Files.size(cube)),
                    tiles,
                    wall,
                    tiles / wall,
                    writeSeconds,
                    Bench.peakHeapMib());
            if (previousPixels > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "%10s %12s %10s %9.1fx   (area grew %.1fx)%n",
                        "growth",
                        "",
                        "",
                        wall / previousWall,
                        (double) n * n / previousPixels);
            }
            previousWall = wall;
            previousPixels = (long) n * n;
            Files.delete(cube);
        }
        System.out.printf(Locale.ROOT, "peak RSS of this JVM: %.0f MiB%n", Bench.peakRssMib());
        return 0;
    }

    /** One epoch of a ResNet on a tiny simulated suite: a model of the right shape, fast to make. */
    private String trainSmallResNet(Path root) {
        System.out.println("training a " + baseChannels + "-channel, " + residualBlocks
                + "-block ResNet for one epoch on a small suite (not timed) ...");
        check(run(
                root,
                "simulate",
                "magmap.simulate.grid-size=64",
                "magmap.simulate.snapshots=2",
                "magmap.simulate.b0-microgauss=[1, 5]",
                "magmap.simulate.sigma-v-km-per-s=[2.5]"));
        check(run(root, "observe", "magmap.observe.inclinations-deg=[90]"));
        check(run(
                root,
                "make-patches",
                "magmap.make-patches.patches-per-map=32",
                "magmap.make-patches.observables=[HI_CH00]",
                "magmap.make-patches.target-maps=true"));
        check(run(
                root,
                "train",
                "magmap.train.output-dir=train-bench",
                "magmap.train.model=cresnet",
                "magmap.train.observables=[HI_CH00]",
                "magmap.train.cresnet.base-channels=" + baseChannels,
                "magmap.train.cresnet.residual-blocks=" + residualBlocks,
                "magmap.train.max-train-patches=32",
                "magmap.train.max-validation-patches=16",
                "magmap.train.max-metrics-patches=16",
                "magmap.train.epochs=1"));
        return "train-bench";
    }

    private static void check(int code) {
        if (code != 0) {
            throw new IllegalStateException("a job making the benchmark's model exited with status " + code);
        }
    }

    private int run(Path root, String job, String... confs) {
        return Bench.runJob(master, root, job, confs);
    }

    /**
     * An H I-like cube: a Gaussian line (10 km/s dispersion) whose brightness and centre velocity vary smoothly
     * over the sky, plus 0.05 K of Gaussian noise, written plane by plane (the cube is never in memory).
     */
    static void writeCube(Path file, int n, int channels) throws IOException {
        FitsCards cards = new FitsCards()
                .add("CTYPE1", "RA---TAN", null)
                .add("CTYPE2", "DEC--TAN", null)
                .add("CTYPE3", "VRAD", null)
                .add("CRPIX1", n / 2.0 + 0.5, null)
                .add("CRPIX2", n / 2.0 + 0.5, null)
                .add("CRPIX3", 1.0, null)
                .add("CRVAL1", 150.0, null)
                .add("CRVAL2", 30.0, null)
                .add("CRVAL3", -63.0, null)
                .add("CDELT1", -1.0 / 60, "1 arcmin pixels, east to the left")
                .add("CDELT2", 1.0 / 60, null)
                .add("CDELT3", 2.0, null)
                .add("CUNIT1", "deg", null)
                .add("CUNIT2", "deg", null)
                .add("CUNIT3", "km/s", null)
                .add("BUNIT", "K", null)
                .add("BMAJ", 2.9 / 60, "FAST's beam at 1.4 GHz")
                .add("BMIN", 2.9 / 60, null);
        float[] amplitude = new float[n * n];
        float[] centre = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double u = 2 * Math.PI * x / 300.0;
                double v = 2 * Math.PI * y / 420.0;
                amplitude[y * n + x] = (float) (3 + Math.sin(u) * Math.cos(v) + 0.5 * Math.sin(3.1 * u + 1.7 * v));
                centre[y * n + x] = (float) (-20 + 15 * Math.sin(0.7 * u - 0.4 * v));
            }
        }
        float[] plane = new float[n * n];
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.writeEmptyPrimary(new FitsCards().add("OBJECT", "magmap infer benchmark cube", null));
            w.beginImage("CUBE", new int[] {n, n, channels}, cards);
            for (int k = 0; k < channels; k++) {
                double velocity = -63 + 2.0 * k;
                SplittableRandom noise = new SplittableRandom(k);
                for (int p = 0; p < plane.length; p++) {
                    double d = (velocity - centre[p]) / 10;
                    plane[p] = (float) (amplitude[p] * Math.exp(-0.5 * d * d) + 0.05 * noise.nextGaussian());
                }
                w.write(plane);
            }
            w.endImage();
        }
    }
}
