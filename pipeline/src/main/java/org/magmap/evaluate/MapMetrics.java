package org.magmap.evaluate;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Mergeable pixel-level metrics of an image-to-image model, in the units the network is trained in (each target
 * channel normalised, see {@code org.magmap.predict.MapTargets}): per channel the sum of squared errors and the
 * truth's range, which give MSE and PSNR; and for the field orientation, the histogram of the angle between
 * predicted and true psi and the sum of {@code cos 2(psi_pred - psi_true)}, which give the median deviation and
 * the Alignment Measure (docs/science.md section 5). Only these sums travel between executors and the driver.
 *
 * @param pixels pixels counted (per channel)
 * @param sumSqError per channel, sum of squared errors
 * @param truthMin per channel, smallest true value seen
 * @param truthMax per channel, largest true value seen
 * @param psiDeviation histogram of |psi_pred - psi_true| folded to [0, 90] deg
 * @param sumCos2Delta sum over pixels of cos 2(psi_pred - psi_true)
 */
public record MapMetrics(
        long pixels,
        double[] sumSqError,
        double[] truthMin,
        double[] truthMax,
        DeviationHistogram psiDeviation,
        double sumCos2Delta)
        implements Serializable {

    /** Bins of the psi deviation histogram over [0, 90] deg: 0.1 deg resolution for the median. */
    public static final int PSI_BINS = 900;

    /** Largest possible angle between two orientations (180-degree ambiguous). */
    public static final double MAX_PSI_DEVIATION_DEG = 90;

    /** Metrics of nothing, for {@code channels} target channels. */
    public static MapMetrics empty(int channels) {
        double[] min = new double[channels];
        double[] max = new double[channels];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        return new MapMetrics(
                0,
                new double[channels],
                min,
                max,
                new DeviationHistogram(MAX_PSI_DEVIATION_DEG, new long[PSI_BINS], 0),
                0);
    }

    /** A mutable accumulator for one partition; {@link #result()} freezes it. */
    public static final class Accumulator {
        private long pixels;
        private final double[] sse;
        private final double[] min;
        private final double[] max;
        private final long[] psiCounts = new long[PSI_BINS];
        private long psiOverflow;
        private double sumCos;

        public Accumulator(int channels) {
            MapMetrics e = empty(channels);
            sse = e.sumSqError.clone();
            min = e.truthMin.clone();
            max = e.truthMax.clone();
        }

        /**
         * Adds one pixel.
         *
         * @param truth the true value per channel
         * @param prediction the predicted value per channel
         * @param truePsiDeg true field angle, deg
         * @param predictedPsiDeg predicted field angle, deg
         */
        public void add(float[] truth, float[] prediction, double truePsiDeg, double predictedPsiDeg) {
            pixels++;
            for (int c = 0; c < truth.length; c++) {
                double e = prediction[c] - truth[c];
                sse[c] += e * e;
                min[c] = Math.min(min[c], truth[c]);
                max[c] = Math.max(max[c], truth[c]);
            }
            psi(truePsiDeg, predictedPsiDeg);
        }

        /** Adds one pixel's field angles only: for an accumulator of no target channels (a psi-only baseline). */
        public void addPsi(double truePsiDeg, double predictedPsiDeg) {
            if (sse.length != 0) {
                throw new IllegalStateException("this accumulator has " + sse.length + " target channels: use add");
            }
            pixels++;
            psi(truePsiDeg, predictedPsiDeg);
        }

        private void psi(double truePsiDeg, double predictedPsiDeg) {
            double delta = orientationDifferenceDeg(predictedPsiDeg, truePsiDeg);
            if (Double.isFinite(delta)) {
                int bin = (int) (delta / MAX_PSI_DEVIATION_DEG * PSI_BINS);
                if (bin < PSI_BINS) {
                    psiCounts[bin]++;
                } else {
                    psiOverflow++; // exactly 90 deg
                }
                sumCos += Math.cos(Math.toRadians(2 * delta));
            }
        }

        public MapMetrics result() {
            return new MapMetrics(
                    pixels,
                    sse.clone(),
                    min.clone(),
                    max.clone(),
                    new DeviationHistogram(MAX_PSI_DEVIATION_DEG, psiCounts.clone(), psiOverflow),
                    sumCos);
        }
    }

    /**
     * The angle between two orientations (each defined modulo 180 deg), in [0, 90] deg; NaN if either is not
     * finite.
     */
    public static double orientationDifferenceDeg(double aDeg, double bDeg) {
        if (!Double.isFinite(aDeg) || !Double.isFinite(bDeg)) {
            return Double.NaN;
        }
        double d = Math.abs((aDeg - bDeg) % 180.0);
        return d > 90 ? 180 - d : d;
    }

    /** The merge of all of {@code parts} ({@code channels} target channels; none gives the empty metrics). */
    public static MapMetrics sum(int channels, java.util.Collection<MapMetrics> parts) {
        MapMetrics t = empty(channels);
        for (MapMetrics m : parts) {
            t = t.merge(m);
        }
        return t;
    }

    public MapMetrics merge(MapMetrics o) {
        int n = sumSqError.length;
        double[] sse = new double[n];
        double[] min = new double[n];
        double[] max = new double[n];
        for (int c = 0; c < n; c++) {
            sse[c] = sumSqError[c] + o.sumSqError[c];
            min[c] = Math.min(truthMin[c], o.truthMin[c]);
            max[c] = Math.max(truthMax[c], o.truthMax[c]);
        }
        return new MapMetrics(
                pixels + o.pixels, sse, min, max, psiDeviation.merge(o.psiDeviation), sumCos2Delta + o.sumCos2Delta);
    }

    /** Mean squared error of channel {@code c}. */
    public double mse(int c) {
        return sumSqError[c] / pixels;
    }

    /** Mean squared error over all channels (the training loss). */
    public double mse() {
        double s = 0;
        for (double v : sumSqError) {
            s += v;
        }
        return s / (pixels * (double) sumSqError.length);
    }

    /**
     * Peak signal-to-noise ratio of channel {@code c} in dB, {@code 10 log10(R^2 / MSE)} with R the truth's range
     * over the evaluated pixels (the usual image-restoration definition with the data range as peak).
     */
    public double psnr(int c) {
        double range = truthMax[c] - truthMin[c];
        return 10 * Math.log10(range * range / mse(c));
    }

    /** PSNR averaged over the channels, in dB: the checkpoint-selection figure. */
    public double meanPsnr() {
        double s = 0;
        for (int c = 0; c < sumSqError.length; c++) {
            s += psnr(c);
        }
        return s / sumSqError.length;
    }

    /** Median |psi_pred - psi_true| in degrees. */
    public double medianPsiDeviationDeg() {
        return psiDeviation.quantile(0.5);
    }

    /** Alignment Measure of predicted vs true psi, {@code <cos 2(psi_pred - psi_true)>} (docs/science.md section 5). */
    public double alignmentMeasure() {
        return sumCos2Delta / psiDeviation.total();
    }
}
