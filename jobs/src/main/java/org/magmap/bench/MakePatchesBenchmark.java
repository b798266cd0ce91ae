package org.magmap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.magmap.jobs.Magmap;
import org.magmap.observe.CubeFields;
import org.magmap.observe.LineOfSight;
import org.magmap.observe.SynchrotronMap;
import org.magmap.observe.View;
import org.magmap.patch.Normalization;
import org.magmap.patch.PatchGeometry;
import org.magmap.sim.Mhd;
import org.magmap.sim.SyntheticTurbulence;
import org.magmap.sim.TurbulenceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Two figures. (1) The augmentation kernel alone on one core, the work of the numpy peer
 * ({@code ../shared/bench/patches_numpy.py}): random centre, bilinear rotation by a random angle, noise of
 * 0.2 x mean |patch|, zero mean / unit variance. (2) The real make-patches job on {@code local[2]}, from a
 * synthetic 256^3 suite through simulate and observe: patches/s, per core, bytes per patch on disk, and the
 * process's peak memory.
 */
@Command(
        name = "make-patches",
        mixinStandardHelpOptions = true,
        description = "Patch augmentation on one core, then the make-patches job end to end on local[2].",
        footer = {"", "Example:", "  bin/magmap-bench make-patches --patches 500000 --grid 256"})
final class MakePatchesBenchmark implements Callable<Integer> {
    @Option(names = "--patches", description = "Patches the job makes, default ${DEFAULT-VALUE}.")
    long patches = 500_000;

    @Option(
            names = "--kernel-patches",
            description = "Patches for the one-core kernel figure, default ${DEFAULT-VALUE}.")
    int kernelPatches = 100_000;

    @Option(names = "--grid", description = "Cells per side of the suite's cubes, default ${DEFAULT-VALUE}.")
    int grid = 256;

    @Option(names = "--dir", description = "Working directory (deleted afterwards); default a temp directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        System.out.println("magmap make-patches benchmark - " + Bench.machine());
        kernel();
        job();
        return 0;
    }

    private void kernel() throws Exception {
        int n = 256;
        TurbulenceSpec spec =
                new TurbulenceSpec("k", n, 100, 3, 2.5, 5, 3, Mhd.MASS_PER_HYDROGEN_DEFAULT, 90, 0, 2, 4, 0.5, 1, 0, 0);
        CubeFields fields = CubeFields.read(new SyntheticTurbulence(spec));
        SynchrotronMap sync = new SynchrotronMap(n * n, 3, true, 1.4, spec.cellSizePc());
        LineOfSight.project(
                fields, View.of(90, 0).rotationFor(spec.meanFieldDirection()), null, java.util.List.of(sync));
        float[] map = sync.map();
        double margin = PatchGeometry.footprintRadius(32);
        float[] out = new float[32 * 32];
        for (int round = 0; round < 2; round++) { // the first round warms the JIT up
            SplittableRandom rng = new SplittableRandom(1);
            long t0 = System.nanoTime();
            double check = 0;
            for (int i = 0; i < kernelPatches; i++) {
                double cx = margin + rng.nextDouble() * (n - 1 - 2 * margin);
                double cy = margin + rng.nextDouble() * (n - 1 - 2 * margin);
                PatchGeometry.sample(map, n, n, cx, cy, 360 * rng.nextDouble(), 32, out);
                double meanAbs = 0;
                for (float v : out) {
                    meanAbs += Math.abs(v);
                }
                double sigma = 0.2 * meanAbs / out.length;
                for (int k = 0; k < out.length; k++) {
                    out[k] += (float) (sigma * rng.nextGaussian());
                }
                Normalization.ZSCORE.apply(out);
                check += out[0];
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (round == 1) {
                System.out.printf(
                        Locale.ROOT,
                        "kernel, one thread: %,d patches in %.2f s = %,.0f patches/s (checksum %.3f)%n",
                        kernelPatches,
                        s,
                        kernelPatches / s,
                        check);
            }
        }
    }

    private void job() throws Exception {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("magmap-bench-patches");
        try {
            String root = work.toString();
            long t0 = System.nanoTime();
            // 3 cubes, face-on: 3 map files
            run(
                    "simulate",
                    "magmap.output-root=" + root,
                    "magmap.simulate.grid-size=" + grid,
                    "magmap.simulate.snapshots=1",
                    "magmap.simulate.b0-microgauss=[1, 3, 5]",
                    "magmap.simulate.sigma-v-km-per-s=[2.5]",
                    "magmap.simulate.extra-runs=[]");
            run("observe", "magmap.output-root=" + root, "magmap.observe.inclinations-deg=[90]");
            double setup = (System.nanoTime() - t0) / 1e9;
            long perMap = (patches + 2) / 3;
            Bench.resetPeaks();
            run(
                    "make-patches",
                    "magmap.output-root=" + root,
                    "magmap.make-patches.patches-per-map=" + perMap,
                    "magmap.make-patches.patches-per-task=20000",
                    "magmap.make-patches.target-maps=false",
                    "magmap.make-patches.noise-ratios=[0.2]",
                    "magmap.make-patches.splits.validation-simulations=[]");
            JsonNode m = new ObjectMapper()
                    .readTree(work.resolve("patches/manifest.json").toFile());
            double seconds = m.get("seconds").asDouble();
            long made = m.get("patches").asLong();
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf(
                    Locale.ROOT,
                    "job (local[*], %d cores), %d^3 suite (set-up %.0f s): %,d patches in %.1f s = %,.0f patches/s,"
                            + " %,.0f per core, %,.0f bytes/patch on disk, peak RSS %.0f MiB, peak heap %.0f MiB%n",
                    cores,
                    grid,
                    setup,
                    made,
                    seconds,
                    made / seconds,
                    made / seconds / cores,
                    m.get("bytes").asDouble() / made,
                    Bench.peakRssMib(),
                    Bench.peakHeapMib());
        } finally {
            if (dir == null) {
                org.magmap.ops.OutputFiles.deleteLocalTree(work);
            }
        }
    }

    private static void run(String job, String... confs) {
        java.util.List<String> args =
                new java.util.ArrayList<>(java.util.List.of(job, "--conf", "spark.ui.enabled=false"));
        for (String c : confs) {
            args.add("--conf");
            args.add(c);
        }
        int code = new Magmap().execute(args.toArray(String[]::new));
        if (code != 0) {
            throw new IllegalStateException(job + " failed with status " + code);
        }
    }
}
