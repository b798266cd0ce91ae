package org.magmap.observe;

import java.util.List;
import java.util.stream.IntStream;
import org.magmap.sim.GridShape;

/**
 * Projection along the line of sight of a rotated view, without building the rotated cube: for every map pixel
 * (x', y') and every step z' along the LOS, the view-frame point is mapped back into the cube
 * ({@code r = R^T r'} about the box centre), the fields are sampled there trilinearly, vectors are rotated into
 * the view frame ({@code B' = R B}, {@code v' = R v}), and each {@link Accumulator} adds the sample to its pixel.
 * The view's z' axis is the line of sight; the map has the cube's nx x ny pixels and the LOS has nz steps of one
 * cell. Periodic boxes wrap; in others, points outside the box are empty and contribute nothing.
 *
 * <p>With the identity rotation (or a quarter turn about the LOS) sample points fall on grid points and no
 * interpolation happens. Rows of the map are processed in parallel; an accumulator only ever touches its own
 * pixel, so accumulators need no locking.
 */
public final class LineOfSight {
    private LineOfSight() {}

    /** One sample along a ray, in the view frame. One instance per thread, reused. */
    public static final class Sample {
        /** Mass density, g cm^-3. */
        public double density;
        /** Magnetic field in the view frame, uG (z is along the LOS). */
        public final double[] magnetic = new double[3];
        /** Velocity in the view frame, km/s (z is along the LOS). */
        public final double[] velocity = new double[3];
        /** Local velocity dispersion, km/s (NaN when not supplied). */
        public double localSigmaV = Double.NaN;
        /** Temperature, K (NaN when the cube has none). */
        public double temperature = Double.NaN;
    }

    /** Something built up from samples, pixel by pixel. */
    public interface Accumulator {
        /** Adds one sample to map pixel {@code pixel} (= y * nx + x). */
        void add(int pixel, Sample s);
    }

    /**
     * Projects a cube.
     *
     * @param fields the cube in memory
     * @param toView rotation from the cube frame to the view frame
     * @param localSigmaV local velocity dispersion per cube cell ({@link LocalDispersion}), or null
     * @param accumulators what to build
     */
    public static void project(
            CubeFields fields, Rotation toView, float[] localSigmaV, List<? extends Accumulator> accumulators) {
        GridShape s = fields.shape();
        int nx = s.nx();
        int ny = s.ny();
        int nz = s.nz();
        boolean periodic = fields.meta().periodic();
        Rotation back = toView.inverse();
        double cx = (nx - 1) / 2.0;
        double cy = (ny - 1) / 2.0;
        double cz = (nz - 1) / 2.0;
        boolean identity = toView.isIdentity(1e-12);
        Accumulator[] accs = accumulators.toArray(Accumulator[]::new);
        IntStream.range(0, ny).parallel().forEach(yv -> {
            Sample sample = new Sample();
            double[] bCube = new double[3];
            double[] vCube = new double[3];
            int[] corner = new int[8];
            double[] weight = new double[8];
            for (int xv = 0; xv < nx; xv++) {
                int pixel = yv * nx + xv;
                for (int zv = 0; zv < nz; zv++) {
                    int points;
                    if (identity) {
                        corner[0] = (int) s.index(xv, yv, zv);
                        weight[0] = 1;
                        points = 1;
                    } else {
                        double px = xv - cx;
                        double py = yv - cy;
                        double pz = zv - cz;
                        double x = back.get(0, 0) * px + back.get(0, 1) * py + back.get(0, 2) * pz + cx;
                        double y = back.get(1, 0) * px + back.get(1, 1) * py + back.get(1, 2) * pz + cy;
                        double z = back.get(2, 0) * px + back.get(2, 1) * py + back.get(2, 2) * pz + cz;
                        points = stencil(x, y, z, nx, ny, nz, periodic, corner, weight);
                        if (points == 0) {
                            continue; // outside a non-periodic box: empty
                        }
                    }
                    sample.density = interpolate(fields.density, corner, weight, points);
                    for (int c = 0; c < 3; c++) {
                        bCube[c] = interpolate(fields.magnetic[c], corner, weight, points);
                        vCube[c] = interpolate(fields.velocity[c], corner, weight, points);
                    }
                    rotate(toView, bCube, sample.magnetic, identity);
                    rotate(toView, vCube, sample.velocity, identity);
                    sample.localSigmaV =
                            localSigmaV == null ? Double.NaN : interpolate(localSigmaV, corner, weight, points);
                    sample.temperature = fields.temperature == null
                            ? Double.NaN
                            : interpolate(fields.temperature, corner, weight, points);
                    for (Accumulator a : accs) {
                        a.add(pixel, sample);
                    }
                }
            }
        });
    }

    private static void rotate(Rotation r, double[] in, double[] out, boolean identity) {
        if (identity) {
            System.arraycopy(in, 0, out, 0, 3);
            return;
        }
        for (int i = 0; i < 3; i++) {
            out[i] = r.get(i, 0) * in[0] + r.get(i, 1) * in[1] + r.get(i, 2) * in[2];
        }
    }

    private static double interpolate(float[] f, int[] corner, double[] weight, int points) {
        double v = 0;
        for (int k = 0; k < points; k++) {
            v += weight[k] * f[corner[k]];
        }
        return v;
    }

    /**
     * Trilinear stencil at (x, y, z) in cell-index coordinates: the 8 neighbouring cells and their weights
     * (corners with zero weight dropped, so grid points use one cell). Returns the number of cells, 0 if the
     * point lies outside a non-periodic box.
     */
    static int stencil(
            double x, double y, double z, int nx, int ny, int nz, boolean periodic, int[] corner, double[] weight) {
        // Snap coordinates within rounding of a grid point, so quarter turns sample grid points exactly.
        x = snap(x);
        y = snap(y);
        z = snap(z);
        if (!periodic && (x < 0 || y < 0 || z < 0 || x > nx - 1 || y > ny - 1 || z > nz - 1)) {
            return 0;
        }
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int z0 = (int) Math.floor(z);
        double fx = x - x0;
        double fy = y - y0;
        double fz = z - z0;
        int points = 0;
        for (int dz = 0; dz <= 1; dz++) {
            double wz = dz == 0 ? 1 - fz : fz;
            if (wz == 0) {
                continue;
            }
            int zi = wrap(z0 + dz, nz, periodic);
            for (int dy = 0; dy <= 1; dy++) {
                double wy = dy == 0 ? 1 - fy : fy;
                if (wy == 0) {
                    continue;
                }
                int yi = wrap(y0 + dy, ny, periodic);
                for (int dx = 0; dx <= 1; dx++) {
                    double wx = dx == 0 ? 1 - fx : fx;
                    if (wx == 0) {
                        continue;
                    }
                    int xi = wrap(x0 + dx, nx, periodic);
                    corner[points] = (zi * ny + yi) * nx + xi;
                    weight[points] = wx * wy * wz;
                    points++;
                }
            }
        }
        return points;
    }

    private static double snap(double v) {
        double r = Math.rint(v);
        return Math.abs(v - r) < 1e-9 ? r : v;
    }

    private static int wrap(int i, int n, boolean periodic) {
        if (periodic) {
            return Math.floorMod(i, n);
        }
        return Math.min(i, n - 1); // only reached with zero weight beyond the last cell
    }
}
