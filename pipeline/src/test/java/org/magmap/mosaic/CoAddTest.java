package org.magmap.mosaic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.magmap.fits.FitsCards;
import org.magmap.ops.BadInputException;
import org.magmap.sky.CelestialWcs;

/**
 * The co-addition's arithmetic on hand-made numbers (no Spark, no files): weighted means, orientations across the
 * 0/180 wrap, error propagation, blanks, feathering and resampling between pixel centres; and the target grid
 * fitted to its inputs.
 */
class CoAddTest {
    /** One target pixel sitting on input pixel (x, y), with a frame turn. */
    private static CoAdd.Sampling at(double x, double y, double turn) {
        return new CoAdd.Sampling(new double[] {x}, new double[] {y}, new double[] {turn}, new int[] {0, 2, 0, 2});
    }

    private static float[] four(float v) {
        return new float[] {v, v, v, v};
    }

    @Test
    void aPixelIsTheWeightedMeanAndAnOrientationTheMeanOfItsDoubledAngles() {
        CoAdd sum = new CoAdd(1, List.of("B_UG", "PSI_DEG", "B_UG_ERR"));
        // Weights 1 and 3; B 2 and 6; psi 170 and 10 deg (20 deg apart across the wrap); errors 0.4 and 0.2.
        sum.add(at(0, 0, 0), 2, 2, four(1), List.of(four(2), four(170), four(0.4f)), 0);
        sum.add(at(0, 0, 0), 2, 2, four(3), List.of(four(6), four(10), four(0.2f)), 0);
        float[][] r = sum.result();
        assertEquals((1 * 2 + 3 * 6) / 4.0, r[0][0], 1e-6);
        // atan2 of sum w sin 2psi over sum w cos 2psi, halved: the doubled angles -20 and 20 deg weighted 1:3.
        double s = Math.sin(Math.toRadians(-20)) + 3 * Math.sin(Math.toRadians(20));
        double c = Math.cos(Math.toRadians(-20)) + 3 * Math.cos(Math.toRadians(20));
        assertEquals(Math.toDegrees(0.5 * Math.atan2(s, c)), r[1][0], 1e-5);
        assertEquals(Math.sqrt(1 * 0.16 + 9 * 0.04) / 4, r[2][0], 1e-6);
        assertEquals(4, r[3][0], 1e-6, "COVERAGE is the sum of weights");
        assertEquals(2, r[4][0], "N_INPUTS");
    }

    @Test
    void anAngleIsTurnedIntoTheTargetFrameBeforeAveraging() {
        CoAdd sum = new CoAdd(1, List.of("PSI_DEG"));
        sum.add(at(0, 0, 50), 2, 2, null, List.of(four(150)), 0);
        assertEquals(20, sum.result()[0][0], 1e-4, "150 + 50 = 200, an orientation of 20");
    }

    @Test
    void blanksAndZeroCoverageAreLeftOutAndNothingIsBlank() {
        CoAdd sum = new CoAdd(1, List.of("B_UG"));
        sum.add(at(0, 0, 0), 2, 2, four(0), List.of(four(100)), 0);
        float[][] none = sum.result();
        assertTrue(Float.isNaN(none[0][0]));
        assertEquals(0, none[2][0]);
        sum.add(at(0, 0, 0), 2, 2, four(1), List.of(four(Float.NaN)), 0);
        sum.add(at(0, 0, 0), 2, 2, four(1), List.of(four(5)), 0);
        assertEquals(5, sum.result()[0][0], 1e-6);
        assertEquals(2, sum.result()[2][0], "both inputs had weight; one had a value");
    }

    @Test
    void resamplingIsBilinearBetweenCentresAndExactOnThem() {
        float[] ramp = {0, 10, 20, 30}; // v = 10 x + 20 y on a 2 x 2 region
        CoAdd on = new CoAdd(1, List.of("B_UG"));
        on.add(at(1, 1, 0), 2, 2, null, List.of(ramp), 0);
        assertEquals(30, on.result()[0][0], 0);
        CoAdd between = new CoAdd(1, List.of("B_UG"));
        between.add(at(0.25, 0.5, 0), 2, 2, null, List.of(ramp), 0);
        assertEquals(10 * 0.25 + 20 * 0.5, between.result()[0][0], 1e-5);
    }

    @Test
    void theFeatherRisesAsSineSquaredFromTheEdge() {
        assertEquals(1, CoAdd.feather(0, 0, 100, 100, 0), "no feathering");
        assertEquals(Math.pow(Math.sin(Math.PI / 2 * 0.5 / 10), 2), CoAdd.feather(0, 50, 100, 100, 10), 1e-12);
        assertEquals(0.5, CoAdd.feather(4.5, 50, 100, 100, 10), 1e-12, "halfway in: sin^2(pi/4)");
        assertEquals(1, CoAdd.feather(50, 50, 100, 100, 10), 1e-12);
        assertEquals(CoAdd.feather(3, 50, 100, 100, 10), CoAdd.feather(96, 50, 100, 100, 10), 1e-12, "symmetric");
    }

    private static MosaicInput input(double ra, double dec, int n, double pixelDeg) {
        FitsCards c = new FitsCards()
                .add("WCSAXES", 2L, null)
                .add("CTYPE1", "RA---SIN", null)
                .add("CTYPE2", "DEC--SIN", null)
                .add("CRPIX1", (n + 1) / 2.0, null)
                .add("CRPIX2", (n + 1) / 2.0, null)
                .add("CRVAL1", ra, null)
                .add("CRVAL2", dec, null)
                .add("CDELT1", -pixelDeg, null)
                .add("CDELT2", pixelDeg, null);
        CelestialWcs wcs = CelestialWcs.of(c.toHeader(), "test");
        return new MosaicInput("in-" + ra, "lvc", n, n, wcs, List.of("B_UG"), List.of(1), -1);
    }

    @Test
    void aFittedGridCoversEveryInputAndKeepsParallelsAsRows() {
        List<MosaicInput> ins = List.of(input(10, 20, 100, 0.02), input(12, 21, 100, 0.02), input(359, 19, 50, 0.03));
        MosaicSettings s =
                new MosaicSettings("galactic", "CAR", List.of(), 0, List.of(), 16, 64, 100_000_000, 0, "RING");
        TargetGrid g = TargetGrid.of(s, ins);
        assertEquals(0.02, g.pixelDeg(), 1e-12, "the finest input pixel");
        for (MosaicInput in : ins) {
            for (double[] p : g.outline(in)) {
                assertTrue(
                        p[0] >= -0.5 && p[0] <= g.nx() - 0.5 && p[1] >= -0.5 && p[1] <= g.ny() - 0.5,
                        in.file() + " reaches " + p[0] + ", " + p[1] + " outside " + g.describe());
            }
        }
        // Plate carree about the equator: one latitude per row, one longitude per column.
        double[] a = g.wcs().pixelToWorld(0, 7);
        double[] b = g.wcs().pixelToWorld(g.nx() - 1, 7);
        double[] c = g.wcs().pixelToWorld(0, g.ny() - 1);
        assertEquals(a[1], b[1], 1e-9);
        assertEquals(a[0], c[0], 1e-9);
        // A grid a typo made huge is refused before any work, naming the key.
        MosaicSettings huge = new MosaicSettings(
                "equatorial", "TAN", List.of(10.0, 20.0), 0.01, List.of(900000, 900000), 16, 64, 1000, 0, "RING");
        BadInputException e = assertThrows(BadInputException.class, () -> TargetGrid.of(huge, ins));
        assertTrue(
                e.getMessage().contains("magmap.mosaic.grid") && e.getMessage().contains("max-pixels"), e.getMessage());
    }
}
