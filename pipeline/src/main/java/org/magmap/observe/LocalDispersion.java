package org.magmap.observe;

import java.util.stream.IntStream;
import org.magmap.sim.GridShape;

/**
 * The local velocity dispersion sigma_v around each cell: the standard deviation of each velocity component
 * over a cube of side {@code boxCells} centred on the cell, combined over the three components
 * ({@code sqrt(var_x + var_y + var_z)}, i.e. sqrt(3) times the rms component dispersion; SCIENCE.md section 1,
 * default box 16 cells).
 *
 * <p>Box means by separable running sums: O(cells) per moment whatever the box size. Periodic boxes wrap; others
 * shrink the box at the edges.
 */
public final class LocalDispersion {
    private LocalDispersion() {}

    /** sigma_v per cell, in the velocity unit of the inputs. */
    public static float[] compute(float[][] velocity, GridShape shape, int boxCells, boolean periodic) {
        if (boxCells < 1) {
            throw new IllegalArgumentException("box size must be at least 1 cell, got " + boxCells);
        }
        int n = (int) shape.cells();
        double[] variance = new double[n];
        for (float[] comp : velocity) {
            double[] mean = boxMean(toDouble(comp, false), shape, boxCells, periodic);
            double[] meanSq = boxMean(toDouble(comp, true), shape, boxCells, periodic);
            for (int i = 0; i < n; i++) {
                variance[i] += Math.max(0, meanSq[i] - mean[i] * mean[i]);
            }
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.sqrt(variance[i]);
        }
        return out;
    }

    private static double[] toDouble(float[] a, boolean square) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = square ? (double) a[i] * a[i] : a[i];
        }
        return d;
    }

    /** Mean over a box of side {@code box} centred on each cell, one axis at a time. */
    static double[] boxMean(double[] field, GridShape s, int box, boolean periodic) {
        double[] a = field;
        a = alongAxis(a, s, box, periodic, 0);
        a = alongAxis(a, s, box, periodic, 1);
        a = alongAxis(a, s, box, periodic, 2);
        return a;
    }

    private static double[] alongAxis(double[] in, GridShape s, int box, boolean periodic, int axis) {
        int nx = s.nx();
        int ny = s.ny();
        int nz = s.nz();
        int len = axis == 0 ? nx : axis == 1 ? ny : nz;
        int stride = axis == 0 ? 1 : axis == 1 ? nx : nx * ny;
        int lines = nx * ny * nz / len;
        double[] out = new double[in.length];
        int lo = -(box / 2);
        int hi = lo + box - 1; // box cells: lo..hi around the centre (even boxes lean one cell left)
        IntStream.range(0, lines).parallel().forEach(line -> {
            int base;
            if (axis == 0) {
                base = line * nx;
            } else if (axis == 1) {
                base = (line / nx) * nx * ny + (line % nx);
            } else {
                base = line;
            }
            double[] prefix = new double[len + 1];
            for (int i = 0; i < len; i++) {
                prefix[i + 1] = prefix[i] + in[base + i * stride];
            }
            for (int i = 0; i < len; i++) {
                double sum;
                int count;
                if (periodic) {
                    // Sum over i+lo .. i+hi with wrap: whole turns plus a remainder.
                    sum = rangeSumPeriodic(prefix, len, i + lo, i + hi);
                    count = box;
                } else {
                    int a = Math.max(0, i + lo);
                    int b = Math.min(len - 1, i + hi);
                    sum = prefix[b + 1] - prefix[a];
                    count = b - a + 1;
                }
                out[base + i * stride] = sum / count;
            }
        });
        return out;
    }

    private static double rangeSumPeriodic(double[] prefix, int len, int from, int to) {
        double sum = 0;
        int start = from;
        while (start <= to) {
            int wrapped = Math.floorMod(start, len);
            int run = Math.min(to - start + 1, len - wrapped);
            sum += prefix[wrapped + run] - prefix[wrapped];
            start += run;
        }
        return sum;
    }
}
