package org.magmap.nightly;

import java.util.List;
import org.magmap.ops.WireClasses;

/** What nightly sends between driver and executors (see {@link WireClasses}). */
public final class NightlyWireClasses implements WireClasses {
    @Override
    public List<Class<?>> kryo() {
        return List.of(InputFile.class);
    }
}
