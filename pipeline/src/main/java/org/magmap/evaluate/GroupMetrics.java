package org.magmap.evaluate;

import java.io.Serializable;

/** Regression sums and the deviation histogram of one group of patches (a simulation, a view, a noise level). */
public record GroupMetrics(RegressionSums sums, DeviationHistogram deviations) implements Serializable {
    public GroupMetrics merge(GroupMetrics o) {
        return new GroupMetrics(sums.merge(o.sums), deviations.merge(o.deviations));
    }
}
