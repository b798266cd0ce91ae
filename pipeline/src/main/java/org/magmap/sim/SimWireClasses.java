package org.magmap.sim;

import java.util.List;
import org.magmap.ops.WireClasses;

/** What the sim package sends between driver and executors (see {@link WireClasses}). */
public final class SimWireClasses implements WireClasses {
    @Override
    public List<Class<?>> kryo() {
        return List.of(TurbulenceSpec.class, CubeStatistics.class, SimulationRunner.Result.class);
    }
}
