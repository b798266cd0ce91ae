package org.magmap.sim;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One synthetic run, start to finish, on whichever machine executes it: generate, write the FITS cube, and
 * measure the written cube (so the statistics describe the stored product, read back from disk).
 */
public final class SimulationRunner {
    private SimulationRunner() {}

    /**
     * What one run produced.
     *
     * @param runId the run
     * @param fileName the cube's file name
     * @param bytes the file's size
     * @param seconds wall time of generation + write + measurement
     * @param measured statistics of the written cube
     * @param spec the parameters
     */
    public record Result(
            String runId, String fileName, long bytes, double seconds, CubeStatistics measured, TurbulenceSpec spec)
            implements Serializable {}

    /** The file name a run's cube gets. */
    public static String fileName(String runId) {
        return runId + ".fits";
    }

    /** Generates {@code spec} into {@code directory}/{runId}.fits (written atomically) and measures it. */
    public static Result run(TurbulenceSpec spec, Path directory) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(directory);
        Path file = directory.resolve(fileName(spec.runId()));
        FitsCubeStore.write(file, new SyntheticTurbulence(spec));
        CubeStatistics stats;
        try (CubeReader written = FitsCubeStore.open(file)) {
            stats = CubeStatistics.measure(written);
        }
        return new Result(
                spec.runId(),
                file.getFileName().toString(),
                Files.size(file),
                (System.nanoTime() - start) / 1e9,
                stats,
                spec);
    }
}
