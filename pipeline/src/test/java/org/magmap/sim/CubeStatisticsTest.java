package org.magmap.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CubeStatisticsTest {
    private static final int N = 16;

    private static Cube cube(FieldFn bx, FieldFn by, FieldFn bz, double rho, double vx) {
        GridShape g = GridShape.cube(N);
        Map<Field, float[]> d = new EnumMap<>(Field.class);
        for (Field f : EnumSet.range(Field.DENSITY, Field.B_Z)) {
            d.put(f, new float[(int) g.cells()]);
        }
        for (int z = 0; z < N; z++) {
            for (int y = 0; y < N; y++) {
                for (int x = 0; x < N; x++) {
                    int i = (int) g.index(x, y, z);
                    d.get(Field.DENSITY)[i] = (float) rho;
                    d.get(Field.VELOCITY_X)[i] = (float) (x % 2 == 0 ? vx : -vx);
                    d.get(Field.B_X)[i] = (float) bx.at(x, y, z);
                    d.get(Field.B_Y)[i] = (float) by.at(x, y, z);
                    d.get(Field.B_Z)[i] = (float) bz.at(x, y, z);
                }
            }
        }
        CubeMeta meta = new CubeMeta(
                "analytic",
                "test",
                g,
                1.0,
                true,
                0,
                Double.NaN,
                d.keySet(),
                Double.NaN,
                null,
                2.0,
                Double.NaN,
                rho,
                Map.of());
        return new Cube(meta, d);
    }

    interface FieldFn {
        double at(int x, int y, int z);
    }

    private static double wave(int i) {
        return Math.sin(2 * Math.PI * i / N);
    }

    @Test
    void aSolenoidalFieldHasRoundingLevelDivergence() throws Exception {
        // B = (sin 2pi y/N, sin 2pi z/N, sin 2pi x/N): each component is constant along its own axis.
        CubeStatistics s =
                CubeStatistics.measure(cube((x, y, z) -> wave(y), (x, y, z) -> wave(z), (x, y, z) -> wave(x), 1, 1));
        assertEquals(0, s.maxDivergenceRelative(), 1e-6);
    }

    @Test
    void aCompressiveFieldHasTheAnalyticDivergence() throws Exception {
        // B = (sin 2pi x/N, 0, 0): centred difference = sin(2pi/N) cos(2pi x/N); its max over its rms is sqrt(2).
        CubeStatistics s = CubeStatistics.measure(cube((x, y, z) -> wave(x), (x, y, z) -> 0, (x, y, z) -> 0, 1, 1));
        assertEquals(Math.sqrt(2), s.maxDivergenceRelative(), 1e-5);
    }

    @Test
    void machNumbersFollowTheirDefinitions() throws Exception {
        double rho = 7.0e-24;
        double b0 = 3.0; // uG, uniform along x
        double vx = 2.0; // km/s, alternating sign: <v> = 0, sigma_v = 2
        CubeStatistics s = CubeStatistics.measure(cube((x, y, z) -> b0, (x, y, z) -> 0, (x, y, z) -> 0, rho, vx));
        double vA = 3e-6 / Math.sqrt(4 * Math.PI * rho) / 1e5; // v_A = B / sqrt(4 pi rho), cgs -> km/s
        assertEquals(2.0, s.sigmaVKmPerS(), 1e-6);
        assertEquals(2.0 / vA, s.alfvenMach(), 1e-6 * (2.0 / vA));
        assertEquals(1.0, s.sonicMach(), 1e-6, "c_s = 2 km/s in the metadata");
        assertEquals(0, s.deltaBRmsMicrogauss(), 1e-6);
        assertEquals(0, s.lnDensityVariance(), 1e-9);
        assertEquals(rho, s.meanDensityGPerCm3(), rho * 1e-6);
    }
}
