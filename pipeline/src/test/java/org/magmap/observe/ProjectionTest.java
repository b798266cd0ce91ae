package org.magmap.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.magmap.sim.Cube;
import org.magmap.sim.SyntheticTurbulence;
import org.magmap.sim.TurbulenceSpec;

class ProjectionTest {
    private static final double M_H = 1.6735575e-24;

    /**
     * Cluster paper eq. 8 for a uniform field B along x seen at inclination gamma: B_perp = B sin(gamma) and,
     * with p = 3, I = n B_perp^2 L in every pixel (L = N cells of 1 pc through the periodic box).
     */
    @ParameterizedTest
    @ValueSource(doubles = {90, 60, 30, 0})
    void aUniformFieldGivesTheAnalyticSynchrotronMap(double gamma) throws Exception {
        int n = 12;
        double rho = 3 * 1.4 * M_H;
        double b = 5.0;
        Cube cube = Cubes.uniform(n, rho, new double[] {b, 0, 0}, new double[] {0, 0, 0}, true, 5);
        CubeFields fields = CubeFields.read(cube);
        SynchrotronMap sync = new SynchrotronMap(n * n, 3, true, 1.4, 1.0);
        TruthMaps truth = new TruthMaps(n * n, 5);
        View view = View.of(gamma, 0);
        LineOfSight.project(fields, view.rotationFor(cube.meta().meanFieldDirection()), null, List.of(sync, truth));
        double bPerp = b * Math.sin(Math.toRadians(gamma));
        double expected = 3.0 * bPerp * bPerp * n; // n_H = 3 cm^-3, L = 12 pc
        for (float v : sync.map()) {
            assertEquals(expected, v, 1e-4 * Math.max(1, expected));
        }
        for (float g : truth.inclinationDeg()) {
            assertEquals(gamma, g, 1e-3, "gamma map");
        }
        for (float f : truth.fieldMicrogauss()) {
            assertEquals(b, f, 1e-5);
        }
        if (gamma > 0) {
            for (float psi : truth.psiDeg()) {
                assertEquals(0, Angles.orientationDifferenceDeg(psi, 0), 1e-3, "psi along the projected field");
            }
        }
    }

    @Test
    void electronsUniformOrFollowingGasAndOtherSpectralIndices() throws Exception {
        int n = 8;
        double rho = 2 * 1.4 * M_H; // n_H = 2
        Cube cube = Cubes.uniform(n, rho, new double[] {0, 3, 4}, new double[] {0, 0, 0}, true, 5);
        SynchrotronMap uniformElectrons = new SynchrotronMap(n * n, 4, false, 1.4, 0.5);
        LineOfSight.project(CubeFields.read(cube), Rotation.identity(), null, List.of(uniformElectrons));
        // B_perp = |(0, 3)| = 3 uG in the identity view; exponent (p+1)/2 = 2.5; n_e = 1; L = 8 * 0.5 pc
        assertEquals(Math.pow(3, 2.5) * 4, uniformElectrons.map()[0], 1e-3);
    }

    /** Summing the PPV cube over velocity gives the column density back (optically thin, flux conserved). */
    @Test
    void thePpvCubeIntegratesToTheColumnDensity() throws Exception {
        TurbulenceSpec spec = new TurbulenceSpec("ppv", 16, 100, 3, 2.5, 5, 3, 1.4, 90, 0, 2, 4, 0.5, 3, 0, 0);
        Cube cube = new SyntheticTurbulence(spec).toCube();
        int pixels = 16 * 16;
        // channels cover -60..60 km/s: far beyond sigma_v + 8 c_s
        PpvCube ppv = new PpvCube(pixels, 240, -60, 0.5, 1.4, spec.cellSizePc(), 5);
        LineOfSight.project(
                CubeFields.read(cube), View.of(60, 20).rotationFor(spec.meanFieldDirection()), null, List.of(ppv));
        float[] t = ppv.cube();
        float[] column = ppv.columnDensity();
        for (int p = 0; p < pixels; p++) {
            double integral = 0;
            for (int k = 0; k < 240; k++) {
                integral += t[k * pixels + p] * 0.5;
            }
            assertEquals(column[p], integral * 1.8224e18, 1e-5 * column[p], "pixel " + p);
        }
    }

    /** One emitting cell: its line lands in the channel holding its velocity, with a Gaussian spread. */
    @Test
    void aSingleCellPutsItsEmissionInTheRightChannelWithTheGaussianSpread() throws Exception {
        int n = 8;
        Cube cube = Cubes.uniform(n, 0, new double[] {1, 0, 0}, new double[] {0, 0, 0}, false, 0.8);
        int cell = (int) cube.meta().shape().index(3, 5, 4);
        double rho = 1.4 * M_H * 10; // n_H = 10 cm^-3
        double u = 3.3; // km/s along the LOS
        cube.field(org.magmap.sim.Field.DENSITY)[cell] = (float) rho;
        cube.field(org.magmap.sim.Field.VELOCITY_Z)[cell] = (float) u;
        int channels = 40;
        double first = -10;
        double width = 0.5;
        PpvCube ppv = new PpvCube(n * n, channels, first, width, 1.4, 1.0, 0.8);
        LineOfSight.project(CubeFields.read(cube), Rotation.identity(), null, List.of(ppv));
        float[] t = ppv.cube();
        int pixel = 5 * n + 3;
        double columnCm2 = 10 * 3.0856775814913673e18; // n dz
        int peak = -1;
        double peakValue = -1;
        for (int k = 0; k < channels; k++) {
            double lo = first + k * width;
            // Gaussian fraction in [lo, lo + width] from Java's own erfc-free route: Simpson's rule on the pdf
            double fraction = simpson(
                    x -> Math.exp(-0.5 * Math.pow((x - u) / 0.8, 2)) / (0.8 * Math.sqrt(2 * Math.PI)), lo, lo + width);
            double expectedK = columnCm2 / 1.8224e18 * fraction / width;
            assertEquals(
                    expectedK, t[k * n * n + pixel], 1e-5 * columnCm2 / 1.8224e18 + 1e-6 * expectedK, "channel " + k);
            if (t[k * n * n + pixel] > peakValue) {
                peakValue = t[k * n * n + pixel];
                peak = k;
            }
        }
        assertEquals((int) Math.floor((u - first) / width), peak, "the channel containing v = 3.3 km/s");
        for (int k = 0; k < channels; k++) {
            assertEquals(0, t[k * n * n + pixel + 1], 0.0, "neighbouring pixels stay empty");
        }
    }

    private static double simpson(java.util.function.DoubleUnaryOperator f, double a, double b) {
        int m = 2000;
        double h = (b - a) / m;
        double s = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < m; i++) {
            s += (i % 2 == 1 ? 4 : 2) * f.applyAsDouble(a + i * h);
        }
        return s * h / 3;
    }

    /** Rotating the view a quarter turn about the LOS rotates every map a quarter turn and adds 90 deg to psi. */
    @Test
    void aQuarterTurnAboutTheLineOfSightRotatesEveryMapAndAddsNinetyToPsi() throws Exception {
        int n = 16;
        TurbulenceSpec spec = new TurbulenceSpec("rot", n, 100, 2, 2.5, 5, 3, 1.4, 70, 25, 2, 4, 0.5, 9, 0, 0);
        Cube cube = new SyntheticTurbulence(spec).toCube();
        CubeFields fields = CubeFields.read(cube);
        float[] sigma = LocalDispersion.compute(fields.velocity, fields.shape(), 4, true);
        Projected a = project(fields, sigma, View.of(60, 10));
        Projected b = project(fields, sigma, View.of(60, 100));
        assertMapsClose(Maps.quarterTurns(a.sync, n, 1), b.sync, "synchrotron");
        assertMapsClose(Maps.quarterTurns(a.field, n, 1), b.field, "B");
        assertMapsClose(Maps.quarterTurns(a.gamma, n, 1), b.gamma, "gamma");
        assertMapsClose(Maps.quarterTurns(a.alfvenMach, n, 1), b.alfvenMach, "M_A");
        assertMapsClose(Maps.quarterTurns(a.channel, n, 1), b.channel, "channel map");
        float[] turnedPsi = Maps.quarterTurns(a.psi, n, 1);
        for (int i = 0; i < turnedPsi.length; i++) {
            assertEquals(0, Angles.orientationDifferenceDeg(turnedPsi[i] + 90, b.psi[i]), 1e-2, "psi at " + i);
        }
    }

    private record Projected(
            float[] sync, float[] field, float[] gamma, float[] alfvenMach, float[] psi, float[] channel) {}

    private static Projected project(CubeFields fields, float[] sigma, View view) {
        int pixels = fields.shape().planeSize();
        SynchrotronMap sync = new SynchrotronMap(pixels, 3, true, 1.4, 1);
        TruthMaps truth = new TruthMaps(pixels, 5);
        ChannelMaps channels = new ChannelMaps(pixels, List.of(new ChannelMaps.Window(0.5, 2)), 1.4, 1, 5);
        LineOfSight.project(
                fields, view.rotationFor(fields.meta().meanFieldDirection()), sigma, List.of(sync, truth, channels));
        return new Projected(
                sync.map(),
                truth.fieldMicrogauss(),
                truth.inclinationDeg(),
                truth.alfvenMach(),
                truth.psiDeg(),
                channels.map(0));
    }

    private static void assertMapsClose(float[] expected, float[] actual, String what) {
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * scale, what + " at " + i);
        }
        assertTrue(scale > 0, what + " is not empty");
    }

    @Test
    void localDispersionMatchesABruteForceBox() {
        int n = 6;
        float[][] v = new float[3][n * n * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        for (float[] c : v) {
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) r.nextGaussian();
            }
        }
        org.magmap.sim.GridShape g = org.magmap.sim.GridShape.cube(n);
        for (boolean periodic : new boolean[] {true, false}) {
            float[] fast = LocalDispersion.compute(v, g, 3, periodic);
            for (int z = 0; z < n; z++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        double var = 0;
                        for (float[] c : v) {
                            double s = 0;
                            double s2 = 0;
                            int count = 0;
                            for (int dz = -1; dz <= 1; dz++) {
                                for (int dy = -1; dy <= 1; dy++) {
                                    for (int dx = -1; dx <= 1; dx++) {
                                        int xx = x + dx;
                                        int yy = y + dy;
                                        int zz = z + dz;
                                        if (!periodic
                                                && (xx < 0 || yy < 0 || zz < 0 || xx >= n || yy >= n || zz >= n)) {
                                            continue;
                                        }
                                        double val = c[
                                                (int) g.index(
                                                        Math.floorMod(xx, n),
                                                        Math.floorMod(yy, n),
                                                        Math.floorMod(zz, n))];
                                        s += val;
                                        s2 += val * val;
                                        count++;
                                    }
                                }
                            }
                            var += s2 / count - (s / count) * (s / count);
                        }
                        assertEquals(
                                Math.sqrt(var),
                                fast[(int) g.index(x, y, z)],
                                1e-5,
                                periodic + " " + x + "," + y + "," + z);
                    }
                }
            }
        }
    }
}
