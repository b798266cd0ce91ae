package org.magmap.evaluate;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fills {@link Comparison}s for many groups in one pass over (truth, prediction, baseline) triples: what one
 * partition of an evaluation accumulates before its few summaries go to the driver. Mutable and single-threaded;
 * {@link #result()} builds the immutable records once at the end.
 */
public final class ComparisonAccumulator {
    /** The group of every patch of the split, the one that carries density grids. */
    public static final String ALL = "all";

    /**
     * What to accumulate.
     *
     * @param constant the trivial baseline's prediction (the training mean), for {@link RegressionSums}
     * @param histogramMax upper edge of the deviation histograms, in the target's unit
     * @param bins deviation histogram bins
     * @param densityMin lower edge of the predicted-versus-true grids (both axes)
     * @param densityMax upper edge of those grids
     * @param densityBins cells per axis of those grids
     */
    public record Settings(
            double constant, double histogramMax, int bins, double densityMin, double densityMax, int densityBins)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        public Settings {
            if (!(histogramMax > 0) || bins < 1 || densityBins < 1 || !(densityMax > densityMin)) {
                throw new IllegalArgumentException("histograms need a positive range and at least one bin");
            }
        }
    }

    private final Settings settings;
    private final JointHistogram grid;
    private final Map<String, Slot> slots = new LinkedHashMap<>();

    public ComparisonAccumulator(Settings settings) {
        this.settings = settings;
        this.grid = JointHistogram.empty(settings.densityMin(), settings.densityMax(), settings.densityBins());
    }

    /** Running sums of one estimator (model or baseline) in one group. */
    private final class Sums {
        long n;
        double sumTruth;
        double sumTruthSq;
        double sumSqError;
        double sumSqErrorOfConstant;
        final long[] deviations = new long[settings.bins() + 1]; // last slot: overflow
        final long[] density;
        long outside;

        Sums(boolean withDensity) {
            density = withDensity ? new long[grid.counts().length] : null;
        }

        void add(double truth, double estimate) {
            double e = estimate - truth;
            double c = settings.constant() - truth;
            n++;
            sumTruth += truth;
            sumTruthSq += truth * truth;
            sumSqError += e * e;
            sumSqErrorOfConstant += c * c;
            double sigma = Math.abs(e); // NaN falls into the overflow slot, like DeviationHistogram.add
            deviations[
                    sigma < settings.histogramMax()
                            ? (int) (sigma / settings.histogramMax() * settings.bins())
                            : settings.bins()]++;
            if (density != null) {
                int cell = grid.cellOf(truth, estimate);
                if (cell < 0) {
                    outside++;
                } else {
                    density[cell]++;
                }
            }
        }

        GroupMetrics metrics() {
            return new GroupMetrics(
                    new RegressionSums(n, sumTruth, sumTruthSq, sumSqError, sumSqErrorOfConstant),
                    new DeviationHistogram(
                            settings.histogramMax(),
                            Arrays.copyOf(deviations, settings.bins()),
                            deviations[settings.bins()]));
        }

        JointHistogram density() {
            return density == null
                    ? JointHistogram.none()
                    : new JointHistogram(grid.min(), grid.max(), grid.bins(), density, outside);
        }
    }

    private final class Slot {
        final Sums model;
        final Sums baseline;

        Slot(boolean withDensity) {
            model = new Sums(withDensity);
            baseline = new Sums(withDensity);
        }
    }

    /**
     * Adds one patch to one group.
     *
     * @param group the group's key; {@link #ALL} gets density grids, other groups do not
     * @param baseline the baseline's estimate, NaN where the patch has none (it then counts for the model only)
     */
    public void add(String group, double truth, double prediction, double baseline) {
        Slot s = slots.computeIfAbsent(group, g -> new Slot(g.equals(ALL)));
        s.model.add(truth, prediction);
        if (!Double.isNaN(baseline)) {
            s.baseline.add(truth, baseline);
        }
    }

    /** The groups seen so far, in the order first seen. */
    public Map<String, Comparison> result() {
        Map<String, Comparison> out = new LinkedHashMap<>();
        slots.forEach((k, s) -> out.put(
                k, new Comparison(s.model.metrics(), s.baseline.metrics(), s.model.density(), s.baseline.density())));
        return out;
    }
}
