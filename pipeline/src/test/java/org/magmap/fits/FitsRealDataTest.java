package org.magmap.fits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.magmap.conf.RepoPaths;

/**
 * Reads the real instrument files in {@code data-samples/real/} and compares with the reference table in
 * {@code data-samples/README.md}, which was computed independently with numpy (BSCALE/BZERO/BLANK applied, NaN ignored).
 */
class FitsRealDataTest {

    static Stream<Arguments> referenceTable() {
        // Shapes are NAXIS1, NAXIS2, ...: data-samples/README.md lists them the other way round (axis 3, 2, 1).
        return Stream.of(
                Arguments.of("ngc6946.fits", new int[] {100, 100, 101}, 1, -0.04120457, 0.1569314, 1547.084939),
                Arguments.of("example_cube.fits", new int[] {3, 4, 7, 1}, 0, -0.01408793, 0.01936739, 0.2842229869),
                Arguments.of("equatorial_3d.fits", new int[] {7, 5, 4}, 0, 0.3183303, 2.101487, 76.74557851),
                Arguments.of("1904-66_SIN.fits", new int[] {192, 192}, 14837, -0.6353615, 13.45992, 635.6082706),
                Arguments.of("galactic_2d.fits", new int[] {43, 43}, 0, 2.728511e-06, 0.0002662723, 0.03889070164),
                Arguments.of(
                        "lofar_GRB201006A_cutout.fits",
                        new int[] {256, 256},
                        0,
                        -0.07493259013,
                        0.4677213132,
                        -13.2456027887),
                Arguments.of(
                        "magpis_G10.5.fits", new int[] {300, 300}, 0, -0.001457981882, 0.1150606647, 125.151078635),
                Arguments.of(
                        "nvas_W51_22GHz.fits",
                        new int[] {114, 124, 1, 1},
                        2827,
                        -0.1551007479,
                        2.86841321,
                        252.094514617),
                Arguments.of(
                        "wsrt_WEIN069.fits",
                        new int[] {134, 70, 83},
                        0,
                        -0.001709300443,
                        0.008580674417,
                        3.45484402822));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referenceTable")
    void matchesTheReferenceTable(String name, int[] shape, int blanks, double min, double max, double sum)
            throws IOException {
        try (FitsImageReader fits = FitsImageReader.open(file(name))) {
            FitsImage image = fits.image(0);
            assertArrayEquals(shape, image.shape(), "NAXISn in FITS order");
            float[] v = image.readAll();
            assertEquals(image.size(), v.length);
            int nan = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double total = 0;
            for (float x : v) {
                if (Float.isNaN(x)) {
                    nan++;
                    continue;
                }
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
                total += x;
            }
            assertEquals(blanks, nan, "blank/NaN voxels");
            // data-samples/README.md gives min and max to 7 significant digits; floats carry about 7
            assertEquals(min, lo, 1e-6 * Math.abs(min), "min");
            assertEquals(max, hi, 1e-6 * Math.abs(max), "max");
            assertEquals(sum, total, 1e-6 * Math.abs(sum), "sum");
        }
    }

    @Test
    void planesOfNgc6946EqualTheSamePlanesOfAFullRead() throws IOException {
        try (FitsImageReader fits = FitsImageReader.open(file("ngc6946.fits"))) {
            FitsImage cube = fits.image(0);
            assertEquals(2, cube.planeAxis(), "velocity axis (NAXIS3) is the plane axis");
            float[] all = cube.readAll();
            int plane = 100 * 100;
            float[] planes = cube.readPlanes(40, 10);
            assertArrayEquals(Arrays.copyOfRange(all, 40 * plane, 50 * plane), planes);
        }
    }

    @Test
    void aCornerTileOfNgc6946EqualsTheSameCellsOfAFullRead() throws IOException {
        try (FitsImageReader fits = FitsImageReader.open(file("ngc6946.fits"))) {
            FitsImage cube = fits.image(0);
            float[] all = cube.readAll();
            int[] corner = {10, 20, 30};
            int[] size = {5, 7, 3};
            float[] tile = cube.readTile(corner, size);
            int i = 0;
            for (int z = 0; z < size[2]; z++) {
                for (int y = 0; y < size[1]; y++) {
                    for (int x = 0; x < size[0]; x++) {
                        int full = ((corner[2] + z) * 100 + corner[1] + y) * 100 + corner[0] + x;
                        assertEquals(all[full], tile[i++]);
                    }
                }
            }
        }
    }

    @Test
    void aDegenerateFourthAxisIsSkippedWhenReadingPlanes() throws IOException {
        try (FitsImageReader fits = FitsImageReader.open(file("example_cube.fits"))) {
            FitsImage cube = fits.image(0);
            // NAXIS4 = 1 (a blank-named STOKES-like axis): planes run along NAXIS3 = 7
            assertEquals(2, cube.planeAxis());
            assertEquals(7, cube.planeCount());
            assertEquals(12, cube.planeSize());
            assertArrayEquals(new int[] {3, 4, 7}, cube.effectiveShape());
            float[] all = cube.readAll();
            assertArrayEquals(Arrays.copyOfRange(all, 2 * 12, 5 * 12), cube.readPlanes(2, 3));
            // a 3-axis tile of the 4-axis image reads the degenerate axis at index 0
            assertArrayEquals(
                    Arrays.copyOfRange(all, 6 * 12, 7 * 12), cube.readTile(new int[] {0, 0, 6}, new int[] {3, 4, 1}));
        }
    }

    private static Path file(String name) {
        return RepoPaths.realData().resolve(name);
    }
}
