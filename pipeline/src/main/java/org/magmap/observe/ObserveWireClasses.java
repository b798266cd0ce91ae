package org.magmap.observe;

import java.util.List;
import org.magmap.ops.WireClasses;

/** What the observe package sends between driver and executors (see {@link WireClasses}). */
public final class ObserveWireClasses implements WireClasses {
    @Override
    public List<Class<?>> kryo() {
        return List.of(ObserveSettings.class, ObserveWork.CubeTask.class, ObserveWork.ViewResult.class);
    }
}
