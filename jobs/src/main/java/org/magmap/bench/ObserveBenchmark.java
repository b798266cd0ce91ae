package org.magmap.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.magmap.observe.CubeFields;
import org.magmap.observe.CubeFieldsAccess;
import org.magmap.observe.LineOfSight;
import org.magmap.observe.LocalDispersion;
import org.magmap.observe.PpvCube;
import org.magmap.observe.SynchrotronMap;
import org.magmap.observe.TruthMaps;
import org.magmap.observe.View;
import org.magmap.sim.Mhd;
import org.magmap.sim.SyntheticTurbulence;
import org.magmap.sim.TurbulenceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Time to make the synchrotron map and a 64-channel H I PPV cube from cubes of each size, in the face-on view
 * (no resampling) and an inclined one (trilinear resampling along rotated rays), and how the time grows with
 * size (a projection visits every cell once: ideal growth is the ratio of cell counts).
 */
@Command(
        name = "observe",
        mixinStandardHelpOptions = true,
        description = "Time synchrotron maps and 64-channel PPV cubes from cubes of the given sizes.",
        footer = {"", "Example:", "  bin/magmap-bench observe --sizes 128,256"})
final class ObserveBenchmark implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", description = "Grid sizes, default ${DEFAULT-VALUE}.")
    List<Integer> sizes = List.of(128, 256);

    @Option(names = "--channels", description = "PPV channels, default ${DEFAULT-VALUE}.")
    int channels = 64;

    @Option(
            names = "--repeats",
            description = "Timed repeats per figure (the median is shown), default ${DEFAULT-VALUE}.")
    int repeats = 3;

    @Override
    public Integer call() throws Exception {
        System.out.println("magmap observe benchmark - " + Bench.machine());
        System.out.printf(
                Locale.ROOT,
                "%8s %12s %14s %14s %14s %14s%n",
                "grid",
                "dispersion",
                "sync i90",
                "sync i60",
                "PPV64 i90",
                "PPV64+truth i60");
        double[] previous = null;
        int previousN = 0;
        for (int n : sizes.stream().sorted().toList()) {
            TurbulenceSpec spec = new TurbulenceSpec(
                    "bench", n, 100, 3, 2.5, 5, 3, Mhd.MASS_PER_HYDROGEN_DEFAULT, 90, 0, 2, 4, 0.5, 1, 0, 0);
            CubeFields fields = CubeFields.read(new SyntheticTurbulence(spec));
            int pixels = n * n;
            double step = spec.cellSizePc();
            double[] t = new double[5];
            float[][] sigma = new float[1][];
            t[0] = median(() ->
                    sigma[0] = LocalDispersion.compute(CubeFieldsAccess.velocity(fields), fields.shape(), 16, true));
            t[1] = median(() -> LineOfSight.project(
                    fields,
                    View.of(90, 0).rotationFor(spec.meanFieldDirection()),
                    null,
                    List.of(new SynchrotronMap(pixels, 3, true, 1.4, step))));
            t[2] = median(() -> LineOfSight.project(
                    fields,
                    View.of(60, 0).rotationFor(spec.meanFieldDirection()),
                    null,
                    List.of(new SynchrotronMap(pixels, 3, true, 1.4, step))));
            t[3] = median(() -> LineOfSight.project(
                    fields,
                    View.of(90, 0).rotationFor(spec.meanFieldDirection()),
                    null,
                    List.of(new PpvCube(pixels, channels, -16, 32.0 / channels, 1.4, step, 5))));
            t[4] = median(() -> LineOfSight.project(
                    fields,
                    View.of(60, 0).rotationFor(spec.meanFieldDirection()),
                    sigma[0],
                    List.of(
                            new PpvCube(pixels, channels, -16, 32.0 / channels, 1.4, step, 5),
                            new TruthMaps(pixels, 5))));
            System.out.printf(
                    Locale.ROOT, "%7d^3 %11.2fs %13.2fs %13.2fs %13.2fs %13.2fs%n", n, t[0], t[1], t[2], t[3], t[4]);
            if (previous != null) {
                double cells = Math.pow((double) n / previousN, 3);
                System.out.printf(
                        Locale.ROOT,
                        "%8s %11.1fx %13.1fx %13.1fx %13.1fx %13.1fx   (cells grew %.0fx)%n",
                        "growth",
                        t[0] / previous[0],
                        t[1] / previous[1],
                        t[2] / previous[2],
                        t[3] / previous[3],
                        t[4] / previous[4],
                        cells);
            }
            previous = t;
            previousN = n;
        }
        return 0;
    }

    private double median(Runnable r) {
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.run();
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        java.util.Arrays.sort(s);
        return s[repeats / 2];
    }
}
