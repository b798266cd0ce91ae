package org.magmap.infer;

import java.util.List;
import org.magmap.ops.WireClasses;

/** What infer sends between driver and executors (see {@link WireClasses}). */
public final class InferWireClasses implements WireClasses {
    @Override
    public List<Class<?>> kryo() {
        return List.of(
                InferUnit.class,
                InferInput.class,
                InferSettings.class,
                ModelSpec.class,
                VelocityWindow.class,
                InferWork.BlockSummary.class);
    }

    @Override
    public List<Class<?>> javaSerialized() {
        return List.of(org.magmap.sky.CelestialWcs.class, org.magmap.sky.SpectralAxis.class);
    }
}
