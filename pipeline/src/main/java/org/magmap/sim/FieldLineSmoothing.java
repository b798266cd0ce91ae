package org.magmap.sim;

import java.util.stream.IntStream;

/**
 * Smooths scalar fields along the local magnetic field lines of a periodic cube: each cell's value becomes a
 * Gaussian-weighted mean of the values met along the field line through it, traced both ways (line integral
 * convolution; Cabral & Leedom 1993, SIGGRAPH '93, 263).
 *
 * <p>Why: in MHD turbulence eddies are elongated along the <em>local</em> field (Goldreich & Sridhar 1995;
 * Lazarian & Vishniac 1999), so density and velocity structures trace the field lines. That alignment is what
 * the velocity gradient technique and the H I paper's network read. A superposition of Fourier modes only
 * carries anisotropy about the mean field; smoothing its gas fields along the actual field lines adds the local
 * imprint. Structures shorter than the smoothing length along the field are washed out, those across it kept.
 *
 * <p>The lines are traced on the field's orientation, not its sign (a field line followed through a reversal
 * keeps going the same way), with the midpoint rule and a step of one cell; values are read by trilinear
 * interpolation. Each output cell depends only on the inputs, so the result does not depend on the thread count.
 * Arrays are x-fastest, z-slowest (see {@link GridShape#index}).
 */
public final class FieldLineSmoothing {
    /** Half-length of the traced line in units of the Gaussian's sigma: weights beyond carry under 1.1 %. */
    private static final double HALF_LENGTH_SIGMAS = 3;

    private FieldLineSmoothing() {}

    /**
     * The fields smoothed along the lines of {@code (bx, by, bz)}.
     *
     * @param n cells per side of the periodic cube
     * @param sigmaCells the Gaussian's standard deviation in arc length, in cells (0 returns copies)
     * @param fields scalar fields of n^3 cells, not modified
     * @return one new array per field
     */
    public static float[][] smooth(int n, float[] bx, float[] by, float[] bz, double sigmaCells, float[]... fields) {
        long cells = (long) n * n * n;
        if (cells > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a " + n + "^3 cube does not fit one Java array");
        }
        for (float[] a : new float[][] {bx, by, bz}) {
            requireLength(a, cells, "field component");
        }
        for (float[] f : fields) {
            requireLength(f, cells, "field to smooth");
        }
        if (!(sigmaCells >= 0) || Double.isInfinite(sigmaCells)) {
            throw new IllegalArgumentException(
                    "smoothing length must be a finite number >= 0 cells, got " + sigmaCells);
        }
        float[][] out = new float[fields.length][];
        if (sigmaCells == 0) {
            for (int f = 0; f < fields.length; f++) {
                out[f] = fields[f].clone();
            }
            return out;
        }
        for (int f = 0; f < fields.length; f++) {
            out[f] = new float[(int) cells];
        }
        int steps = (int) Math.ceil(HALF_LENGTH_SIGMAS * sigmaCells);
        double[] weight = new double[steps + 1];
        for (int s = 0; s <= steps; s++) {
            weight[s] = StrictMath.exp(-0.5 * (s / sigmaCells) * (s / sigmaCells));
        }
        IntStream.range(0, n).parallel().forEach(z -> {
            Lattice lattice = new Lattice(n); // scratch arrays: one per task
            double[] sums = new double[fields.length];
            double[] direction = new double[3];
            double[] position = new double[3];
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int cell = (z * n + y) * n + x;
                    double total = weight[0];
                    for (int f = 0; f < fields.length; f++) {
                        sums[f] = weight[0] * fields[f][cell];
                    }
                    for (int sense = -1; sense <= 1; sense += 2) {
                        position[0] = x;
                        position[1] = y;
                        position[2] = z;
                        // The first step's orientation: the field at the cell, turned to this sense.
                        lattice.orientation(bx, by, bz, position, null, direction);
                        if (direction[0] == 0 && direction[1] == 0 && direction[2] == 0) {
                            break; // a null point: no line to follow
                        }
                        for (int d = 0; d < 3; d++) {
                            direction[d] *= sense;
                        }
                        for (int s = 1; s <= steps; s++) {
                            if (!lattice.step(bx, by, bz, position, direction)) {
                                break;
                            }
                            total += weight[s];
                            for (int f = 0; f < fields.length; f++) {
                                sums[f] += weight[s] * lattice.interpolate(fields[f], position);
                            }
                        }
                    }
                    for (int f = 0; f < fields.length; f++) {
                        out[f][cell] = (float) (sums[f] / total);
                    }
                }
            }
        });
        return out;
    }

    private static void requireLength(float[] a, long cells, String what) {
        if (a.length != cells) {
            throw new IllegalArgumentException(what + " has " + a.length + " cells, the cube " + cells);
        }
    }

    /** Trilinear reads and midpoint steps on a periodic lattice; holds scratch arrays, so one per thread. */
    private static final class Lattice {
        private final int n;
        private final double[] mid = new double[3];
        private final double[] midDirection = new double[3];
        private final double[] weights = new double[3];
        private final int[] lower = new int[3];
        private final int[] upper = new int[3];

        Lattice(int n) {
            this.n = n;
        }

        /**
         * One midpoint step of one cell along the field's orientation, continuing {@code direction}; moves
         * {@code position} and updates {@code direction}. False at a null point.
         */
        boolean step(float[] bx, float[] by, float[] bz, double[] position, double[] direction) {
            orientation(bx, by, bz, position, direction, direction);
            if (direction[0] == 0 && direction[1] == 0 && direction[2] == 0) {
                return false;
            }
            for (int d = 0; d < 3; d++) {
                mid[d] = position[d] + 0.5 * direction[d];
            }
            orientation(bx, by, bz, mid, direction, midDirection);
            if (midDirection[0] == 0 && midDirection[1] == 0 && midDirection[2] == 0) {
                return false;
            }
            for (int d = 0; d < 3; d++) {
                position[d] += midDirection[d];
                direction[d] = midDirection[d];
            }
            return true;
        }

        /**
         * The unit field direction at {@code p}, signed to agree with {@code previous} (when given); zero where
         * the field vanishes. {@code out} may be {@code previous}.
         */
        void orientation(float[] bx, float[] by, float[] bz, double[] p, double[] previous, double[] out) {
            corners(p);
            double vx = read(bx);
            double vy = read(by);
            double vz = read(bz);
            double norm = Math.sqrt(vx * vx + vy * vy + vz * vz);
            if (!(norm > 0)) {
                out[0] = out[1] = out[2] = 0;
                return;
            }
            if (previous != null && vx * previous[0] + vy * previous[1] + vz * previous[2] < 0) {
                norm = -norm;
            }
            out[0] = vx / norm;
            out[1] = vy / norm;
            out[2] = vz / norm;
        }

        double interpolate(float[] field, double[] p) {
            corners(p);
            return read(field);
        }

        private void corners(double[] p) {
            for (int d = 0; d < 3; d++) {
                double floor = Math.floor(p[d]);
                weights[d] = p[d] - floor;
                int i = Math.floorMod((long) floor, n);
                lower[d] = i;
                upper[d] = i + 1 == n ? 0 : i + 1;
            }
        }

        private double read(float[] f) {
            int x0 = lower[0], x1 = upper[0];
            int y0 = lower[1] * n, y1 = upper[1] * n;
            int z0 = lower[2] * n * n, z1 = upper[2] * n * n;
            double wx = weights[0], wy = weights[1], wz = weights[2];
            double c00 = f[z0 + y0 + x0] + wx * (f[z0 + y0 + x1] - f[z0 + y0 + x0]);
            double c10 = f[z0 + y1 + x0] + wx * (f[z0 + y1 + x1] - f[z0 + y1 + x0]);
            double c01 = f[z1 + y0 + x0] + wx * (f[z1 + y0 + x1] - f[z1 + y0 + x0]);
            double c11 = f[z1 + y1 + x0] + wx * (f[z1 + y1 + x1] - f[z1 + y1 + x0]);
            double c0 = c00 + wy * (c10 - c00);
            double c1 = c01 + wy * (c11 - c01);
            return c0 + wz * (c1 - c0);
        }
    }
}
