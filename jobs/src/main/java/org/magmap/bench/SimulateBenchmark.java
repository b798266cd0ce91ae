package org.magmap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.magmap.sim.CubeReader;
import org.magmap.sim.CubeStatistics;
import org.magmap.sim.FitsCubeStore;
import org.magmap.sim.Mhd;
import org.magmap.sim.SyntheticTurbulence;
import org.magmap.sim.TurbulenceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Time and memory to generate a synthetic cube and write it as FITS, then to measure it back from disk, for
 * each grid size. Peak RSS is the whole process's high-water mark, so sizes run in increasing order.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Generate + write synthetic MHD cubes of the given sizes; print seconds and peak memory.",
        footer = {
            "",
            "Example:",
            "  bin/magmap-bench simulate --sizes 128,256",
            "  MAGMAP_DRIVER_MEMORY=12g bin/magmap-bench simulate --sizes 512"
        })
final class SimulateBenchmark implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", description = "Grid sizes (cells per side), default ${DEFAULT-VALUE}.")
    List<Integer> sizes = List.of(128, 256);

    @Option(names = "--dir", description = "Where to write the cubes (deleted afterwards); default: a temp directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("magmap-bench-simulate");
        System.out.println("magmap simulate benchmark - " + Bench.machine());
        System.out.printf(
                Locale.ROOT,
                "%8s %14s %12s %10s %14s %14s%n",
                "grid",
                "generate+write",
                "measure",
                "file",
                "peak heap",
                "peak RSS");
        try {
            for (int n : sizes.stream().sorted().toList()) {
                TurbulenceSpec spec = new TurbulenceSpec(
                        "bench-" + n, n, 100, 3, 2.5, 5, 3, Mhd.MASS_PER_HYDROGEN_DEFAULT, 90, 0, 2, 4, 0.5, 1, 0, 0);
                Path file = work.resolve(spec.runId() + ".fits");
                System.gc();
                Bench.resetPeaks();
                long t0 = System.nanoTime();
                FitsCubeStore.write(file, new SyntheticTurbulence(spec));
                double write = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                CubeStatistics stats;
                try (CubeReader r = FitsCubeStore.open(file)) {
                    stats = CubeStatistics.measure(r);
                }
                double measure = (System.nanoTime() - t1) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "%7d^3 %13.1fs %11.1fs %7.0f MiB %10.0f MiB %10.0f MiB   (M_A %.2f, M_s %.2f)%n",
                        n,
                        write,
                        measure,
                        Files.size(file) / 1048576.0,
                        Bench.peakHeapMib(),
                        Bench.peakRssMib(),
                        stats.alfvenMach(),
                        stats.sonicMach());
                Files.delete(file);
            }
        } finally {
            if (dir == null) {
                org.magmap.ops.OutputFiles.deleteLocalTree(work);
            }
        }
        return 0;
    }
}
