package org.magmap.baseline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.magmap.observe.Angles;
import org.magmap.observe.MapProduct;

/** Baselines computed from one observation's maps, as extra maps beside them. */
public final class ObservationBaselines {
    private ObservationBaselines() {}

    /**
     * The VGT field orientation (Lazarian &amp; Yuen 2018) from the observation's clean thin channel maps
     * ({@code HI_CHnn}): pseudo-Stokes over the channels, +90 deg. Empty if there are no channel maps or
     * {@code blockSize} is 0.
     */
    public static Optional<MapProduct> vgt(Map<String, MapProduct> maps, int blockSize) {
        List<float[]> channels = new ArrayList<>();
        int[] shape = null;
        for (MapProduct m : maps.values()) {
            if (m.name().matches("HI_CH\\d+")) {
                channels.add(m.data());
                shape = m.shape();
            }
        }
        if (blockSize <= 0 || channels.isEmpty()) {
            return Optional.empty();
        }
        int nx = shape[0];
        int ny = shape[1];
        int block = Math.min(blockSize, Math.min(nx, ny));
        VelocityGradients.Result r = VelocityGradients.fieldOrientation(
                channels.toArray(float[][]::new), nx, ny, VelocityGradients.Settings.of(block));
        return Optional.of(new MapProduct(
                "VGT_PSI_DEG",
                "deg",
                "VGT baseline field angle (blocks of " + block + " px, pseudo-Stokes over channels, +90 deg); "
                        + Angles.PSI_CONVENTION,
                shape,
                r.pixelFieldDeg(),
                false));
    }
}
