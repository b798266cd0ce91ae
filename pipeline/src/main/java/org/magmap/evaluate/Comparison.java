package org.magmap.evaluate;

import java.io.Serializable;

/**
 * A model and a classical baseline measured on one group of patches (a simulation, a view, a noise level, or all
 * of a split): regression sums and deviation histograms of each, and, where asked for, the (truth, estimate)
 * density grids of a predicted-versus-true plot. The baseline's metrics cover only the patches that have a
 * baseline value (the equipartition field exists for calibrated synchrotron inputs only).
 *
 * @param model the model's metrics over every patch of the group
 * @param baseline the baseline's metrics over the patches with a baseline value (n = 0: none had one)
 * @param modelDensity truth versus model prediction ({@link JointHistogram#none()} where not asked for)
 * @param baselineDensity truth versus baseline
 */
public record Comparison(
        GroupMetrics model, GroupMetrics baseline, JointHistogram modelDensity, JointHistogram baselineDensity)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public Comparison merge(Comparison o) {
        return new Comparison(
                model.merge(o.model),
                baseline.merge(o.baseline),
                modelDensity.merge(o.modelDensity),
                baselineDensity.merge(o.baselineDensity));
    }
}
