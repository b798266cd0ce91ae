package org.magmap.patch;

import java.util.List;
import org.magmap.ops.WireClasses;

/** What the patch package sends between driver and executors (see {@link WireClasses}). */
public final class PatchWireClasses implements WireClasses {
    @Override
    public List<Class<?>> kryo() {
        return List.of(PatchUnit.class, PatchSettings.class);
    }
}
