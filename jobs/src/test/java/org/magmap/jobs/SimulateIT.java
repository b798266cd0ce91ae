package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.sim.CubeReader;
import org.magmap.sim.Field;
import org.magmap.sim.FitsCubeStore;

/** The real simulate entry point on local Spark, writing into a temporary directory. */
class SimulateIT {
    @TempDir
    Path dir;

    private static int simulate(Path root, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "simulate",
                "--conf",
                "spark.master=local[2]",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "magmap.output-root=" + root,
                "--conf",
                "magmap.simulate.grid-size=24",
                "--conf",
                "magmap.simulate.snapshots=1",
                "--conf",
                "magmap.simulate.b0-microgauss=[1, 5]",
                "--conf",
                "magmap.simulate.sigma-v-km-per-s=[1.25, 2.5]",
                "--conf",
                "magmap.simulate.extra-runs=[]"));
        for (String e : extra) {
            args.add("--conf");
            args.add(e);
        }
        return new Magmap().execute(args.toArray(String[]::new));
    }

    @Test
    void writesOneCubePerRunAndAManifestWhoseMeasuredMachNumbersMatchTheRequest() throws Exception {
        assertEquals(0, simulate(dir));
        Path out = dir.resolve("simulate");
        JsonNode manifest =
                new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals(4, manifest.get("runs").size());
        for (JsonNode run : manifest.get("runs")) {
            Path cube = out.resolve(run.get("file").asText());
            assertTrue(Files.isRegularFile(cube), cube.toString());
            try (CubeReader r = FitsCubeStore.open(cube)) {
                assertEquals(24, r.meta().shape().nx());
                assertEquals(run.get("run-id").asText(), r.meta().runId());
            }
            // Requested Mach numbers from the parameters, computed here from the definitions:
            double b0 = run.get("parameters").get("b0-microgauss").asDouble();
            double sigma = run.get("parameters").get("sigma-v-km-per-s").asDouble();
            double rho = 3 * 1.4 * 1.6735575e-24;
            double alfvenMach = sigma / (b0 * 1e-6 / Math.sqrt(4 * Math.PI * rho) / 1e5);
            assertEquals(alfvenMach, run.get("measured").get("alfvenMach").asDouble(), 0.1 * alfvenMach);
            assertEquals(sigma / 5.0, run.get("measured").get("sonicMach").asDouble(), 0.1 * sigma / 5.0);
            assertTrue(run.get("measured").get("maxDivergenceRelative").asDouble() < 1e-4);
        }
        try (var s = Files.list(dir)) {
            assertEquals(
                    List.of("simulate"), s.map(p -> p.getFileName().toString()).toList(), "no staging left behind");
        }
    }

    @Test
    void anIdenticalRerunIsANoOpAndAChangedOneIsRefusedUnlessOverwriting() throws Exception {
        assertEquals(0, simulate(dir));
        Path manifest = dir.resolve("simulate/manifest.json");
        String before = Files.readString(manifest);

        assertEquals(0, simulate(dir));
        assertEquals(before, Files.readString(manifest), "identical config: nothing rewritten");

        assertEquals(Magmap.EXIT_BAD_INPUT, simulate(dir, "magmap.simulate.seed=2"));
        assertEquals(before, Files.readString(manifest), "refused: the old output is untouched");

        assertEquals(0, simulate(dir, "magmap.simulate.seed=2", "magmap.simulate.overwrite=true"));
        assertFalse(before.equals(Files.readString(manifest)));
    }

    @Test
    void oneAndFourPartitionsGiveIdenticalCubes() throws Exception {
        Path one = dir.resolve("one");
        Path four = dir.resolve("four");
        assertEquals(0, simulate(one, "magmap.simulate.partitions=1"));
        assertEquals(0, simulate(four, "magmap.simulate.partitions=4"));
        try (var files = Files.list(one.resolve("simulate/cubes"))) {
            List<Path> cubes = files.sorted().toList();
            assertEquals(4, cubes.size());
            for (Path a : cubes) {
                Path b = four.resolve("simulate/cubes").resolve(a.getFileName());
                try (CubeReader ra = FitsCubeStore.open(a);
                        CubeReader rb = FitsCubeStore.open(b)) {
                    for (Field f : ra.meta().fields()) {
                        float[] x = ra.readField(f);
                        float[] y = rb.readField(f);
                        assertArrayEquals(x, y, a.getFileName() + " " + f.key());
                    }
                }
            }
        }
    }
}
