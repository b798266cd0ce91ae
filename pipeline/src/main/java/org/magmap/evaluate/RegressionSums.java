package org.magmap.evaluate;

import java.io.Serializable;

/**
 * Running sums for regression metrics, mergeable across partitions: the mean squared error, R^2 against the
 * truth's own variance, and the MSE of always predicting a constant (the training mean), so a model can be
 * compared with that trivial baseline. Only five numbers travel, never the predictions.
 */
public record RegressionSums(long n, double sumTruth, double sumTruthSq, double sumSqError, double sumSqErrorOfConstant)
        implements Serializable {
    public static final RegressionSums EMPTY = new RegressionSums(0, 0, 0, 0, 0);

    /** Adds one (truth, prediction) pair; {@code constant} is the baseline prediction (e.g. the training mean). */
    public RegressionSums add(double truth, double prediction, double constant) {
        double e = prediction - truth;
        double c = constant - truth;
        return new RegressionSums(
                n + 1, sumTruth + truth, sumTruthSq + truth * truth, sumSqError + e * e, sumSqErrorOfConstant + c * c);
    }

    public RegressionSums merge(RegressionSums o) {
        return new RegressionSums(
                n + o.n,
                sumTruth + o.sumTruth,
                sumTruthSq + o.sumTruthSq,
                sumSqError + o.sumSqError,
                sumSqErrorOfConstant + o.sumSqErrorOfConstant);
    }

    /** Mean squared error. */
    public double mse() {
        return sumSqError / n;
    }

    /** Coefficient of determination 1 - SSE / SST, SST about the truth's own mean. */
    public double r2() {
        double mean = sumTruth / n;
        double sst = sumTruthSq - n * mean * mean;
        return 1 - sumSqError / sst;
    }

    /** MSE of the constant baseline. */
    public double constantBaselineMse() {
        return sumSqErrorOfConstant / n;
    }
}
