package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, through the real entry point: every stage runs and leaves its outputs. */
class QuickstartIT {
    @TempDir
    Path dir;

    @Test
    void everyStageRunsAndWritesItsOutputs() throws Exception {
        int code = new Magmap()
                .execute(
                        "quickstart",
                        "--conf",
                        "spark.ui.enabled=false",
                        "--conf",
                        "magmap.quickstart.output-root=" + dir);
        assertEquals(0, code);
        Path manifest = dir.resolve("simulate/manifest.json");
        assertTrue(Files.isRegularFile(manifest), "simulate stage output");
        try (var cubes = Files.list(dir.resolve("simulate/cubes"))) {
            assertEquals(10, cubes.count(), "3 x 3 parameter grid + the unseen run, one snapshot each");
        }
        try (var maps = Files.list(dir.resolve("observe/maps"))) {
            assertEquals(30, maps.count(), "10 cubes x 3 view angles (90, 60, 30 deg)");
        }
    }
}
