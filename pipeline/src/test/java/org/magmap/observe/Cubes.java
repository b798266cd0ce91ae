package org.magmap.observe;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import org.magmap.sim.Cube;
import org.magmap.sim.CubeMeta;
import org.magmap.sim.Field;
import org.magmap.sim.GridShape;

/** Hand-made cubes with analytic answers. */
final class Cubes {
    private Cubes() {}

    /** Uniform density rho, field b (uG), velocity v (km/s); cell size 1 pc; sound speed cs. */
    static Cube uniform(int n, double rho, double[] b, double[] v, boolean periodic, double cs) {
        GridShape g = GridShape.cube(n);
        Map<Field, float[]> d = new EnumMap<>(Field.class);
        int cells = (int) g.cells();
        d.put(Field.DENSITY, filled(cells, rho));
        for (int c = 0; c < 3; c++) {
            d.put(Field.velocity()[c], filled(cells, v[c]));
            d.put(Field.magnetic()[c], filled(cells, b[c]));
        }
        CubeMeta meta = new CubeMeta(
                "uniform",
                "test",
                g,
                1.0,
                periodic,
                0,
                Double.NaN,
                EnumSet.range(Field.DENSITY, Field.B_Z),
                Math.sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]),
                unit(b),
                cs,
                0,
                rho,
                Map.of());
        return new Cube(meta, d);
    }

    static float[] filled(int n, double v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, (float) v);
        return a;
    }

    static double[] unit(double[] b) {
        double n = Math.sqrt(b[0] * b[0] + b[1] * b[1] + b[2] * b[2]);
        return n == 0 ? new double[] {1, 0, 0} : new double[] {b[0] / n, b[1] / n, b[2] / n};
    }
}
