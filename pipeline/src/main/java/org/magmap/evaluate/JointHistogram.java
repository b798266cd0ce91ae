package org.magmap.evaluate;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A 2-D histogram of (truth, estimate) pairs on a square grid over [min, max) in both axes, plus a count of pairs
 * outside it: the data of a predicted-versus-true density plot, mergeable across partitions, so a plot of
 * millions of patches needs {@code bins^2} counts on the driver and never the predictions themselves.
 *
 * @param counts {@code bins * bins} counts, truth bin fastest: {@code counts[estimateBin * bins + truthBin]}
 * @param outside pairs with either value outside [min, max) or not finite
 */
public record JointHistogram(double min, double max, int bins, long[] counts, long outside) implements Serializable {
    private static final long serialVersionUID = 1L;

    public JointHistogram {
        if (bins < 0 || counts.length != bins * bins) {
            throw new IllegalArgumentException("a joint histogram of " + bins + " bins needs " + bins + "^2 counts");
        }
        if (bins > 0 && !(max > min)) {
            throw new IllegalArgumentException("a joint histogram needs max > min, got [" + min + ", " + max + ")");
        }
    }

    /** An empty histogram of {@code bins} x {@code bins} cells over [min, max). */
    public static JointHistogram empty(double min, double max, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("a joint histogram needs at least one bin");
        }
        return new JointHistogram(min, max, bins, new long[bins * bins], 0);
    }

    /** No histogram at all (for groups that do not need one): merges with itself only. */
    public static JointHistogram none() {
        return new JointHistogram(0, 0, 0, new long[0], 0);
    }

    /** The cell of a value along one axis, or -1 outside [min, max) (NaN included). */
    private int bin(double v) {
        if (!(v >= min && v < max)) {
            return -1;
        }
        return Math.min(bins - 1, (int) ((v - min) / (max - min) * bins));
    }

    /**
     * The index into {@link #counts} of a pair, or -1 if it falls outside the grid: lets a partition fill a plain
     * {@code long[]} and build the record once at the end.
     */
    public int cellOf(double truth, double estimate) {
        int t = bin(truth);
        int e = bin(estimate);
        return t < 0 || e < 0 ? -1 : e * bins + t;
    }

    /** A histogram with one more pair. */
    public JointHistogram add(double truth, double estimate) {
        if (bins == 0) {
            return this;
        }
        int cell = cellOf(truth, estimate);
        if (cell < 0) {
            return new JointHistogram(min, max, bins, counts, outside + 1);
        }
        long[] c = counts.clone();
        c[cell]++;
        return new JointHistogram(min, max, bins, c, outside);
    }

    public JointHistogram merge(JointHistogram o) {
        if (o.bins != bins || o.min != min || o.max != max) {
            throw new IllegalArgumentException("joint histograms on different grids cannot be merged");
        }
        long[] c = counts.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += o.counts[i];
        }
        return new JointHistogram(min, max, bins, c, outside + o.outside);
    }

    /** Pairs counted, inside the grid or not. */
    public long total() {
        return Arrays.stream(counts).sum() + outside;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JointHistogram h
                && h.min == min
                && h.max == max
                && h.bins == bins
                && h.outside == outside
                && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }
}
