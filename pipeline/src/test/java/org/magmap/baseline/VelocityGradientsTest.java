package org.magmap.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VelocityGradientsTest {
    private static final int N = 64;
    private static final VelocityGradients.Settings BLOCKS_32 = VelocityGradients.Settings.defaults();

    /** Parallel stripes {@code mean + amp sin(2 pi (x cos a + y sin a) / 8)}: the gradient runs along a. */
    private static float[] stripes(int nx, int ny, double angleDeg, double mean, double amp) {
        double c = Math.cos(Math.toRadians(angleDeg));
        double s = Math.sin(Math.toRadians(angleDeg));
        float[] m = new float[nx * ny];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                m[y * nx + x] = (float) (mean + amp * Math.sin(2 * Math.PI * (x * c + y * s) / 8.0));
            }
        }
        return m;
    }

    private static void assertOrientation(double expectedDeg, double actualDeg, double toleranceDeg) {
        assertFalse(Double.isNaN(actualDeg), "orientation is NaN, expected " + expectedDeg);
        assertTrue(actualDeg >= 0 && actualDeg < 180, "not folded into [0, 180): " + actualDeg);
        double diff = org.magmap.observe.Angles.signedOrientationDifferenceDeg(actualDeg, expectedDeg);
        assertTrue(Math.abs(diff) <= toleranceDeg, "expected " + expectedDeg + " got " + actualDeg);
    }

    private static double blockSum(float[] map, int nx, int x0, int y0, int size) {
        double sum = 0;
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                sum += map[y * nx + x];
            }
        }
        return sum;
    }

    /**
     * Where the Sobel kernel points on the stripes of {@link #stripes}: for a plane wave of wavenumbers (kx, ky)
     * its x response is the central difference sin(kx) times the [1 2 1]/4 smoothing (1 + cos ky)/2 along y, and
     * alike for y, so tan(theta) = sin(ky)(1 + cos kx) / (sin(kx)(1 + cos ky)), a little off the true angle.
     */
    private static double sobelDirectionDeg(double angleDeg) {
        double k = 2 * Math.PI / 8.0;
        double kx = k * Math.cos(Math.toRadians(angleDeg));
        double ky = k * Math.sin(Math.toRadians(angleDeg));
        double gx = Math.sin(kx) * (1 + Math.cos(ky));
        double gy = Math.sin(ky) * (1 + Math.cos(kx));
        return Math.toDegrees(Math.atan2(gy, gx));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 30, 45, 100, 163})
    void stripesGiveTheFieldPerpendicularToTheirGradient(double angleDeg) {
        VelocityGradients.Result r =
                VelocityGradients.fieldOrientation(new float[][] {stripes(N, N, angleDeg, 2, 1)}, N, N, BLOCKS_32);
        assertEquals(2, r.nBlocksX());
        assertEquals(2, r.nBlocksY());
        // Within 1 deg of the truth; the residual is the kernel's own anisotropy at a period of 8 px (at 30 deg it
        // points at 29.36 deg), which the block estimate follows to 0.35 deg (the rest: border pixels).
        for (float psiB : r.blockFieldDeg()) {
            assertOrientation(angleDeg + 90, psiB, 1.0);
            assertOrientation(sobelDirectionDeg(angleDeg) + 90, psiB, 0.35);
        }
        for (float psiB : r.pixelFieldDeg()) {
            assertOrientation(angleDeg + 90, psiB, 1.0);
        }
    }

    @Test
    void sobelOnALinearRampIsTheAnalyticGradient() {
        // I = 3x - 2y + 5: dI/dx = 3, dI/dy = -2 everywhere; all values are small integers, exact in float
        int nx = 7;
        int ny = 5;
        float[] ramp = new float[nx * ny];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                ramp[y * nx + x] = 3 * x - 2 * y + 5;
            }
        }
        VelocityGradients.SobelGradient g = VelocityGradients.sobel(ramp, nx, ny);
        for (int y = 1; y < ny - 1; y++) {
            for (int x = 1; x < nx - 1; x++) {
                assertEquals(3.0, g.dIdx()[y * nx + x], 0.0, "x=" + x + " y=" + y);
                assertEquals(-2.0, g.dIdy()[y * nx + x], 0.0, "x=" + x + " y=" + y);
            }
        }
        // half-sample reflection at the border: across it the difference is one-sided at half weight, (3)/2
        assertEquals(1.5, g.dIdx()[2 * nx], 0.0);
        assertEquals(1.5, g.dIdx()[2 * nx + nx - 1], 0.0);
        assertEquals(-1.0, g.dIdy()[3], 0.0);
        // along the border the derivative is still exact
        assertEquals(3.0, g.dIdx()[3], 0.0);
        // orientation of (3, -2): atan2(-2, 3) = -33.69 deg -> 146.31 deg
        assertEquals(180 + Math.toDegrees(Math.atan2(-2, 3)), g.orientationDeg()[2 * nx + 3], 1e-4);
        assertEquals(Math.hypot(3, -2), g.amplitude()[2 * nx + 3], 1e-6);
    }

    @Test
    void theBrighterChannelWinsAndPseudoStokesCombinesAsExpected() {
        // gradients at 0 deg (channel weight ~2 per pixel) and at 90 deg (~1 per pixel): Q = 2 - 1 > 0, U = 0,
        // so psi_gradient = 0 and psi_B = 90
        float[] horizontal = stripes(N, N, 0, 2, 1);
        float[] vertical = stripes(N, N, 90, 1, 0.5);
        VelocityGradients.Result r =
                VelocityGradients.fieldOrientation(new float[][] {horizontal, vertical}, N, N, BLOCKS_32);
        for (float psiB : r.blockFieldDeg()) {
            assertOrientation(90, psiB, 1e-3);
        }
        VelocityGradients.Result swapped = VelocityGradients.fieldOrientation(
                new float[][] {stripes(N, N, 0, 1, 0.5), stripes(N, N, 90, 2, 1)}, N, N, BLOCKS_32);
        for (float psiB : swapped.blockFieldDeg()) {
            assertOrientation(0, psiB, 1e-3);
        }

        // 30 deg with weight ~3 and 60 deg with weight ~1: the expectation is computed here from each channel's
        // own VGT angle and block sum with the pseudo-Stokes formula (near 36.9 deg for exact angles)
        float[] a = stripes(N, N, 30, 3, 1);
        float[] b = stripes(N, N, 60, 1, 0.5);
        double psiA = VelocityGradients.fieldOrientation(new float[][] {a}, N, N, BLOCKS_32)
                        .blockFieldDeg()[0]
                - 90;
        double psiBb = VelocityGradients.fieldOrientation(new float[][] {b}, N, N, BLOCKS_32)
                        .blockFieldDeg()[0]
                - 90;
        double wA = blockSum(a, N, 0, 0, 32);
        double wB = blockSum(b, N, 0, 0, 32);
        double q = wA * Math.cos(Math.toRadians(2 * psiA)) + wB * Math.cos(Math.toRadians(2 * psiBb));
        double u = wA * Math.sin(Math.toRadians(2 * psiA)) + wB * Math.sin(Math.toRadians(2 * psiBb));
        double expectedGradient = 0.5 * Math.toDegrees(Math.atan2(u, q));
        double combined = VelocityGradients.fieldOrientation(new float[][] {a, b}, N, N, BLOCKS_32)
                .blockFieldDeg()[0];
        assertOrientation(expectedGradient + 90, combined, 1e-3);
        assertOrientation(36.9 + 90, combined, 1.0);
    }

    @Test
    void equalWeightsAtRightAnglesCancelToNaN() {
        // same values transposed: equal block sums, gradients at exactly 0 and 90 deg
        VelocityGradients.Result r = VelocityGradients.fieldOrientation(
                new float[][] {stripes(N, N, 0, 2, 1), stripes(N, N, 90, 2, 1)}, N, N, BLOCKS_32);
        for (float psiB : r.blockFieldDeg()) {
            assertTrue(Float.isNaN(psiB), "expected cancellation, got " + psiB);
        }
        assertTrue(Double.isNaN(VelocityGradients.pseudoStokesOrientationDeg(0, 0, 0)));
        assertEquals(45.0, VelocityGradients.pseudoStokesOrientationDeg(0, 1, 1), 1e-12);
    }

    @Test
    void nanPixelsAreSkippedAndEmptyBlocksAreNaN() {
        float[] map = stripes(N, N, 30, 2, 1);
        // a 5x5 hole inside block (0, 0): the rest of the block still gives the stripes' orientation
        for (int y = 10; y < 15; y++) {
            for (int x = 10; x < 15; x++) {
                map[y * N + x] = Float.NaN;
            }
        }
        // block (1, 1) entirely missing
        for (int y = 32; y < 64; y++) {
            for (int x = 32; x < 64; x++) {
                map[y * N + x] = Float.NaN;
            }
        }
        VelocityGradients.SobelGradient g = VelocityGradients.sobel(map, N, N);
        assertTrue(Float.isNaN(g.dIdx()[9 * N + 9]), "a NaN neighbour makes the gradient NaN");
        assertFalse(Float.isNaN(g.dIdx()[8 * N + 8]));

        VelocityGradients.Result r = VelocityGradients.fieldOrientation(new float[][] {map}, N, N, BLOCKS_32);
        assertOrientation(120, r.blockFieldDeg()[0], 1.0);
        assertOrientation(120, r.blockFieldDeg()[1], 1.0);
        assertOrientation(120, r.blockFieldDeg()[2], 1.0);
        assertTrue(Float.isNaN(r.blockFieldDeg()[3]));
        assertTrue(Float.isNaN(r.pixelFieldDeg()[40 * N + 40]));
        assertEquals(r.blockFieldDeg()[0], r.pixelFieldDeg()[12 * N + 12], 0.0);
    }

    @Test
    void partialBlocksAtTheEdgeAreSkipped() {
        int nx = 70;
        int ny = 40;
        VelocityGradients.Result r =
                VelocityGradients.fieldOrientation(new float[][] {stripes(nx, ny, 45, 2, 1)}, nx, ny, BLOCKS_32);
        assertEquals(2, r.nBlocksX());
        assertEquals(1, r.nBlocksY());
        assertEquals(2, r.blockFieldDeg().length);
        assertEquals(nx * ny, r.pixelFieldDeg().length);
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                float v = r.pixelFieldDeg()[y * nx + x];
                if (x < 64 && y < 32) {
                    assertEquals(r.blockFieldDeg()[x / 32], v, 0.0);
                } else {
                    assertTrue(Float.isNaN(v), "outside full blocks at x=" + x + " y=" + y);
                }
            }
        }
        // a map smaller than one block has no blocks and an all-NaN pixel map
        VelocityGradients.Result tiny =
                VelocityGradients.fieldOrientation(new float[][] {new float[20 * 20]}, 20, 20, BLOCKS_32);
        assertEquals(0, tiny.blockFieldDeg().length);
        assertTrue(Float.isNaN(tiny.pixelFieldDeg()[0]));
    }

    @Test
    void overlappingBlocksAssignEachPixelTheNearestCoveringBlock() {
        VelocityGradients.Settings s = new VelocityGradients.Settings(32, 16, 36, false);
        // 64 px, blocks of 32 every 16 px: origins 0, 16, 32; centres 15.5, 31.5, 47.5
        assertEquals(3, s.blocksAlong(64));
        int[] block = VelocityGradients.nearestCoveringBlock(64, 3, s);
        assertEquals(0, block[0]);
        assertEquals(0, block[23]); // 23 is 7.5 from centre 15.5 and 8.5 from 31.5
        assertEquals(1, block[24]); // 8.5 vs 7.5
        assertEquals(1, block[39]);
        assertEquals(2, block[40]);
        assertEquals(2, block[63]);
        // a stride larger than the block leaves gaps
        VelocityGradients.Settings sparse = new VelocityGradients.Settings(8, 12, 36, false);
        int[] gaps = VelocityGradients.nearestCoveringBlock(30, sparse.blocksAlong(30), sparse);
        assertEquals(0, gaps[7]);
        assertEquals(-1, gaps[8]);
        assertEquals(1, gaps[12]);
        assertEquals(-1, gaps[29]); // third block would need pixels 24..31

        VelocityGradients.Result r =
                VelocityGradients.fieldOrientation(new float[][] {stripes(N, N, 100, 2, 1)}, N, N, s);
        assertEquals(9, r.blockFieldDeg().length);
        for (float psiB : r.blockFieldDeg()) {
            assertOrientation(10, psiB, 1.0);
        }
    }

    @Test
    void histogramPeakHandlesTheWrapAndWeights() {
        // a peak straddling 0/180: 178, 179, 1, 2 deg with equal weights average to 0
        double[] wrap = {178, 179, 1, 2, 90};
        double[] ones = {1, 1, 1, 1, 1};
        assertOrientation(0, VelocityGradients.peakOrientationDeg(wrap, ones, 5, 36), 1e-9);
        // a peak narrower than a bin is not quantized to the bin centre
        double[] narrow = {31.2, 31.2, 31.2, 31.2, 31.2, 31.2, 31.2, 140};
        assertEquals(31.2, VelocityGradients.peakOrientationDeg(narrow, ones8(), 8, 36), 1e-9);
        // a broad symmetric peak around 88 deg (offsets -12..12 weighted 1, 2, 3, 2, 1): the mode comes back
        double[] broad = {76, 82, 82, 88, 88, 88, 94, 94, 100, 20};
        double[] w = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        assertEquals(88, VelocityGradients.peakOrientationDeg(broad, w, 10, 36), 1e-9);
        // counts vs amplitude weights: ten weak pixels at 20 deg, four strong ones at 120 deg
        double[] mixed = new double[14];
        double[] amplitude = new double[14];
        for (int i = 0; i < 14; i++) {
            mixed[i] = i < 10 ? 20 : 120;
            amplitude[i] = i < 10 ? 1 : 10;
        }
        double[] counts = new double[14];
        Arrays.fill(counts, 1);
        assertEquals(20, VelocityGradients.peakOrientationDeg(mixed, counts, 14, 36), 1e-9);
        assertEquals(120, VelocityGradients.peakOrientationDeg(mixed, amplitude, 14, 36), 1e-9);
        assertTrue(Double.isNaN(VelocityGradients.peakOrientationDeg(new double[0], new double[0], 0, 36)));
    }

    private static double[] ones8() {
        double[] o = new double[8];
        Arrays.fill(o, 1);
        return o;
    }

    @Test
    void amplitudeWeightingIsASetting() {
        VelocityGradients.Settings weighted = new VelocityGradients.Settings(32, 32, 36, true);
        VelocityGradients.Result r =
                VelocityGradients.fieldOrientation(new float[][] {stripes(N, N, 45, 2, 1)}, N, N, weighted);
        for (float psiB : r.blockFieldDeg()) {
            assertOrientation(135, psiB, 1.0);
        }
    }

    @Test
    void rejectsBadSettingsAndSizes() {
        assertThrows(IllegalArgumentException.class, () -> new VelocityGradients.Settings(1, 1, 36, false));
        assertThrows(IllegalArgumentException.class, () -> new VelocityGradients.Settings(32, 0, 36, false));
        assertThrows(IllegalArgumentException.class, () -> new VelocityGradients.Settings(32, 32, 2, false));
        assertThrows(IllegalArgumentException.class, () -> VelocityGradients.sobel(new float[10], 3, 3));
    }
}
