package org.magmap.infer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.magmap.conf.ConfigException;

/**
 * What {@code infer} does with each input: the velocity windows it integrates, how it tiles and blends, and the
 * observing conditions it tells a conditioned model when the file does not say.
 *
 * @param windows named windows and thin channels, in the order given
 * @param tileOverlap pixels shared by neighbouring tiles
 * @param blockPixels side of the blocks of the map that are the units of work
 * @param maxBlankTileFraction a tile blanker than this is not predicted
 * @param dihedralMean predict each tile as the mean over its eight rotations and mirrors
 * @param beamFwhmPixels the beam to condition on; negative: from BMAJ/BMIN and the pixel size (0 if absent)
 * @param noiseRatio the noise level to condition on (sigma / map mean)
 * @param strict refuse an input whose conditions are outside the model's training range (else warn)
 * @param vgtBlockPixels block size of the VGT beside the network's psi on H I windows (0: no VGT)
 * @param engine what runs the network on the executors ({@link org.magmap.predict.Engine})
 */
public record InferSettings(
        List<VelocityWindow> windows,
        int tileOverlap,
        int blockPixels,
        double maxBlankTileFraction,
        boolean dihedralMean,
        double beamFwhmPixels,
        double noiseRatio,
        boolean strict,
        int vgtBlockPixels,
        org.magmap.predict.Engine engine)
        implements Serializable {
    public InferSettings {
        windows = List.copyOf(windows);
        if (blockPixels < 16) {
            throw new IllegalArgumentException("block-pixels must be at least 16, got " + blockPixels);
        }
        if (!(maxBlankTileFraction >= 0 && maxBlankTileFraction <= 1)) {
            throw new IllegalArgumentException(
                    "max-blank-tile-fraction must be in [0, 1], got " + maxBlankTileFraction);
        }
        if (vgtBlockPixels != 0 && vgtBlockPixels < 4) {
            throw new IllegalArgumentException("vgt-block-pixels must be 0 (off) or at least 4, got " + vgtBlockPixels);
        }
        if (noiseRatio < 0) {
            throw new IllegalArgumentException("noise-ratio must not be negative, got " + noiseRatio);
        }
        long names = windows.stream().map(VelocityWindow::name).distinct().count();
        if (names != windows.size()) {
            throw new IllegalArgumentException("two velocity windows share a name");
        }
    }

    /** Reads the {@code magmap.infer} section, naming the key at fault. */
    public static InferSettings from(Config c) {
        try {
            List<VelocityWindow> windows = new ArrayList<>();
            Config named = c.getConfig("windows");
            List<Map.Entry<String, ConfigValue>> entries =
                    new ArrayList<>(named.root().entrySet());
            entries.sort((a, b) -> Integer.compare(
                    a.getValue().origin().lineNumber(), b.getValue().origin().lineNumber()));
            for (Map.Entry<String, ConfigValue> e : entries) {
                List<Double> range = named.getDoubleList(e.getKey());
                if (range.size() != 2) {
                    throw new IllegalArgumentException(
                            "windows." + e.getKey() + " must be [low, high] in km/s, got " + range);
                }
                windows.add(new VelocityWindow(e.getKey(), range.get(0), range.get(1)));
            }
            double from = c.getDouble("thin-channels.from-km-per-s");
            double to = c.getDouble("thin-channels.to-km-per-s");
            double width = c.getDouble("thin-channels.width-km-per-s");
            if (to > from) {
                if (!(width > 0)) {
                    throw new IllegalArgumentException("thin-channels.width-km-per-s must be positive");
                }
                for (double lo = from; lo + width <= to + 1e-9; lo += width) {
                    windows.add(new VelocityWindow(VelocityWindow.thinName(lo + width / 2), lo, lo + width));
                }
            }
            return new InferSettings(
                    windows,
                    c.getInt("tile-overlap"),
                    c.getInt("block-pixels"),
                    c.getDouble("max-blank-tile-fraction"),
                    c.getBoolean("dihedral-mean"),
                    c.getDouble("conditions.beam-fwhm-pixels"),
                    c.getDouble("conditions.noise-ratio"),
                    c.getBoolean("conditions.strict"),
                    c.getInt("vgt-block-pixels"),
                    org.magmap.predict.Engine.parse(c.getString("engine")));
        } catch (com.typesafe.config.ConfigException | IllegalArgumentException e) {
            throw new ConfigException("magmap.infer: " + e.getMessage(), e);
        }
    }
}
