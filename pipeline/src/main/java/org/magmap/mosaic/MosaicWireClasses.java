package org.magmap.mosaic;

import java.util.List;
import org.magmap.ops.WireClasses;

/** What a mosaic sends between driver and executors (see {@link WireClasses}). */
public final class MosaicWireClasses implements WireClasses {
    @Override
    public List<Class<?>> kryo() {
        return List.of(MosaicUnit.class, MosaicInput.class, MosaicWork.BlockSummary.class);
    }

    @Override
    public List<Class<?>> javaSerialized() {
        return List.of(TargetGrid.class);
    }
}
