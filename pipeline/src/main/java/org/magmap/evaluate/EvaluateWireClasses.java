package org.magmap.evaluate;

import java.util.List;
import org.magmap.ops.WireClasses;

/** What the evaluate package sends between driver and executors (see {@link WireClasses}). */
public final class EvaluateWireClasses implements WireClasses {
    @Override
    public List<Class<?>> kryo() {
        return List.of(
                RegressionSums.class,
                DeviationHistogram.class,
                GroupMetrics.class,
                MapMetrics.class,
                JointHistogram.class,
                Comparison.class,
                ComparisonAccumulator.Settings.class);
    }
}
