package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.fits.MapFiles;

/** The real observe entry point on local Spark, on cubes the real simulate job wrote. */
class ObserveIT {
    @TempDir
    Path dir;

    private int run(String job, String... confs) {
        return JobRuns.run(dir, job, confs);
    }

    @BeforeEach
    void simulateTwoCubes() {
        assertEquals(
                0,
                run(
                        "simulate",
                        "magmap.simulate.grid-size=32",
                        "magmap.simulate.snapshots=1",
                        "magmap.simulate.b0-microgauss=[5]",
                        "magmap.simulate.sigma-v-km-per-s=[1.25, 2.5]",
                        "magmap.simulate.extra-runs=[]"));
    }

    @Test
    void writesOneMapFilePerCubeAndViewWithUnitsScaleAndProvenance() throws Exception {
        assertEquals(
                0,
                run(
                        "observe",
                        "magmap.observe.inclinations-deg=[90, 60]",
                        "magmap.observe.hi.channel-centres-km-per-s=[-1, 1]",
                        "magmap.observe.effects.noise-ratio=0.1"));
        Path out = dir.resolve("observe");
        JsonNode manifest =
                new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
        assertEquals(4, manifest.get("maps").size(), "2 cubes x 2 views");
        Path file = out.resolve("maps/b5-s1.25-seed1-snap0__i60-pa0.fits");
        assertTrue(Files.isRegularFile(file));
        List<String> names =
                MapFiles.read(file).stream().map(MapFiles.Image::extname).toList();
        assertEquals(
                List.of(
                        "SYNC",
                        "HI_CH00",
                        "HI_CH01",
                        "NHI",
                        "SYNC_OBS",
                        "HI_CH00_OBS",
                        "HI_CH01_OBS",
                        "B_UG",
                        "M_A",
                        "M_S",
                        "GAMMA_DEG",
                        "PSI_DEG",
                        "SIGMA_GAS",
                        "VGT_PSI_DEG"),
                names);
        // Read the headers with plain nom-tam: units, pixel scale (100 pc / 32 cells) and provenance.
        try (Fits fits = new Fits(file.toFile())) {
            Header primary = fits.readHDU().getHeader();
            assertEquals(60.0, primary.getDoubleValue("INCLDEG"), 0.0);
            assertEquals("b5-s1.25-seed1-snap0", primary.getStringValue("RUNID"));
            // The synchrotron calibration for the equipartition baseline: defaults 1.4 GHz, 2.6e-13 CRE per
            // thermal electron, p = 3; the path is the box depth, 32 cells of 100/32 pc. The factor, from Python:
            // c2(1) * f * 2 * Ep^2 * (nu / 2c1)^-1 * 1e-12 * 3.0856775814913673e18 = 2.4401073555759632e-25.
            assertEquals(1.4e9, primary.getDoubleValue("SYNCFREQ"), 0.0);
            assertEquals(100.0, primary.getDoubleValue("LOSPC"), 1e-9);
            assertEquals(2.4401073555759632e-25, primary.getDoubleValue("SYNCCAL"), 1e-12 * 2.44e-25);
            Header sync = fits.readHDU().getHeader();
            assertEquals("SYNC", sync.getStringValue("EXTNAME"));
            assertEquals(100.0 / 32, sync.getDoubleValue("CDELT1"), 1e-12);
            assertEquals("pc", sync.getStringValue("CUNIT1"));
            assertEquals(32, sync.getIntValue("NAXIS1"));
        }
        // Truth gamma for the 60-degree view of a sub-Alfvenic cube clusters near 60.
        float[] gamma = MapFiles.read(file).stream()
                .filter(i -> i.extname().equals("GAMMA_DEG"))
                .findFirst()
                .orElseThrow()
                .data();
        double mean = 0;
        for (float g : gamma) {
            mean += g / gamma.length;
        }
        assertEquals(60, mean, 10, "mean inclination of a M_A ~ 0.25 cube seen at 60 deg");

        assertEquals(
                0,
                run(
                        "observe",
                        "magmap.observe.inclinations-deg=[90, 60]",
                        "magmap.observe.hi.channel-centres-km-per-s=[-1, 1]",
                        "magmap.observe.effects.noise-ratio=0.1"),
                "an identical rerun is a no-op");
    }

    @Test
    void aMissingCubeFailsBeforeAnyWorkWithItsName() {
        Path missing = dir.resolve("nope.fits");
        String err = JobRuns.refused(dir, "observe", "magmap.observe.cubes=[\"" + missing + "\"]");
        assertTrue(err.contains(missing.toString()) && err.contains("not found"), err);
        assertFalse(Files.exists(dir.resolve("observe")));
    }
}
