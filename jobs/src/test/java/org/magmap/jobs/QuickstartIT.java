package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
            assertEquals(20, cubes.count(), "3 x 3 parameter grid + the unseen run, two snapshots each");
        }
        try (var maps = Files.list(dir.resolve("observe/maps"))) {
            assertEquals(60, maps.count(), "20 cubes x 3 view angles (90, 60, 30 deg)");
        }
        com.fasterxml.jackson.databind.JsonNode patches = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("patches/manifest.json").toFile());
        assertEquals(60 * 100, patches.get("patches").asLong(), "100 patches per map");
        assertEquals(3, patches.get("per-split").size(), "train, validation (snapshot 1) and test (the unseen run)");
        com.fasterxml.jackson.databind.JsonNode card = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("train/card.json").toFile());
        assertEquals("b_ug", card.get("target").get("column").asText());
        assertTrue(card.get("metrics").get("test").get("mse").asDouble() >= 0);
        assertTrue(Files.isRegularFile(dir.resolve("train/model.zip")));
        List<String> table = Files.readAllLines(dir.resolve("evaluate/mse-per-simulation.csv"));
        assertEquals("split,simulation," + org.magmap.evaluate.CnnTables.TABLE_COLUMNS, table.get(0));
        assertEquals(
                table.get(0).split(",").length,
                table.get(1).split(",", -1).length,
                "as many values per row as the header names");
        assertEquals(1 + 2 + 9, table.size(), "header, the unseen run's 2 snapshots (test), 9 validation snapshots");
        // infer maps the survey-like image made from the unseen run's synchrotron map, on its sky grid
        try (var maps = Files.list(dir.resolve("infer/maps"))) {
            Path map = maps.findFirst().orElseThrow();
            assertTrue(map.getFileName().toString().matches("unseen-.*__i90-pa0__image\\.fits"), map.toString());
            List<String> names = org.magmap.fits.MapFiles.read(map).stream()
                    .map(org.magmap.fits.MapFiles.Image::extname)
                    .toList();
            assertEquals(List.of("B_UG", "COVERAGE", "WINDOW"), names);
        }
        // mosaic turns that map onto a galactic grid fitted around it
        Path mosaic = dir.resolve("mosaic/maps/mosaic__image.fits");
        assertTrue(Files.isRegularFile(mosaic), "mosaic stage output");
        List<org.magmap.fits.MapFiles.Image> images = org.magmap.fits.MapFiles.read(mosaic);
        assertEquals(
                List.of("B_UG", "WINDOW", "COVERAGE", "N_INPUTS"),
                images.stream().map(org.magmap.fits.MapFiles.Image::extname).toList());
        try (nom.tam.fits.Fits f = new nom.tam.fits.Fits(mosaic.toFile())) {
            assertEquals("GLON-CAR", f.getHDU(1).getHeader().getStringValue("CTYPE1"), "galactic target grid");
        }
    }
}
