package org.magmap.observe;

import java.util.stream.IntStream;
import org.magmap.sim.GridShape;

/**
 * The local velocity dispersion sigma_v around each cell: the standard deviation of each velocity component
 * over a cube of side {@code boxCells} centred on the cell, combined over the three components
 * ({@code sqrt(var_x + var_y + var_z)}, i.e. sqrt(3) times the rms component dispersion; docs/science.md section 1,
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
        // float arrays (running sums per line in double): at 512^3 each array is 512 MiB, so peak extra memory
        // stays near four fields rather than the nine a double-precision version would need.
        float[] variance = new float[n];
        for (float[] comp : velocity) {
            float[] mean = boxMean(comp, shape, boxCells, periodic);
            float[] squares = new float[n];
            for (int i = 0; i < n; i++) {
                squares[i] = comp[i] * comp[i];
            }
            float[] meanSq = boxMean(squares, shape, boxCells, periodic);
            squares = null;
            for (int i = 0; i < n; i++) {
                double m = mean[i];
                variance[i] += (float) Math.max(0, meanSq[i] - m * m);
            }
        }
        for (int i = 0; i < n; i++) {
            variance[i] = (float) Math.sqrt(variance[i]);
        }
        return variance;
    }

    /** Mean over a box of side {@code box} centred on each cell, one axis at a time. */
    static float[] boxMean(float[] field, GridShape s, int box, boolean periodic) {
        float[] a = field;
        a = alongAxis(a, s, box, periodic, 0);
        a = alongAxis(a, s, box, periodic, 1);
        a = alongAxis(a, s, box, periodic, 2);
        return a;
    }

    private static float[] alongAxis(float[] in, GridShape s, int box, boolean periodic, int axis) {
        int nx = s.nx();
        int ny = s.ny();
        int nz = s.nz();
        int len = axis == 0 ? nx : axis == 1 ? ny : nz;
        int stride = axis == 0 ? 1 : axis == 1 ? nx : nx * ny;
        int lines = nx * ny * nz / len;
        float[] out = new float[in.length];
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
                out[base + i * stride] = (float) (sum / count);
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
