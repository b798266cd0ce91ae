package org.magmap.predict;

import java.util.List;
import org.magmap.ops.WireClasses;

/** What the predict package sends between driver and executors (see {@link WireClasses}). */
public final class PredictWireClasses implements WireClasses {
    @Override
    public List<Class<?>> kryo() {
        return List.of(MapTargets.class, ModelBytes.class, Engine.class, byte[].class);
    }
}
