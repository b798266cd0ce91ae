package org.magmap.evaluate;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A histogram of deviations {@code sigma = |prediction - truth|} (the papers' robustness measure) with fixed
 * bins on [0, max) plus an overflow bin: mergeable across partitions, so medians and quantiles of millions of
 * patches come back as a few hundred counts. Quantiles are read at the bin's upper edge (conservative by at
 * most one bin width).
 */
public record DeviationHistogram(double max, long[] counts, long overflow) implements Serializable {
    /** An empty histogram of {@code bins} bins over [0, max). */
    public static DeviationHistogram empty(double max, int bins) {
        if (!(max > 0) || bins < 1) {
            throw new IllegalArgumentException("a deviation histogram needs max > 0 and at least one bin");
        }
        return new DeviationHistogram(max, new long[bins], 0);
    }

    /** A copy with one more deviation. */
    public DeviationHistogram add(double sigma) {
        long[] c = counts.clone();
        if (sigma >= max || Double.isNaN(sigma)) {
            return new DeviationHistogram(max, c, overflow + 1);
        }
        c[(int) (Math.abs(sigma) / max * c.length)]++;
        return new DeviationHistogram(max, c, overflow);
    }

    public DeviationHistogram merge(DeviationHistogram o) {
        if (o.max != max || o.counts.length != counts.length) {
            throw new IllegalArgumentException("histograms with different bins cannot be merged");
        }
        long[] c = counts.clone();
        for (int i = 0; i < c.length; i++) {
            c[i] += o.counts[i];
        }
        return new DeviationHistogram(max, c, overflow + o.overflow);
    }

    public long total() {
        return Arrays.stream(counts).sum() + overflow;
    }

    /** The q-quantile (0..1), at the upper edge of its bin; +infinity if it falls in the overflow. */
    public double quantile(double q) {
        long target = (long) Math.ceil(q * total());
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= target && target > 0) {
                return (i + 1) * max / counts.length;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeviationHistogram h
                && h.max == max
                && h.overflow == overflow
                && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }
}
