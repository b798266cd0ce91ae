package org.magmap.mosaic;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.magmap.conf.ConfigException;

/**
 * How {@code mosaic} builds its target grid and co-adds onto it.
 *
 * @param frame the target frame: "equatorial" or "galactic"
 * @param projection the target projection code (CAR, TAN, SIN, ZEA, ARC, STG, MER, SFL, AIT)
 * @param center the grid centre [lon, lat] in the target frame, degrees; empty: fitted to the inputs
 * @param pixelArcmin the pixel size; 0: the finest input pixel
 * @param size the grid [nx, ny]; empty: fitted to cover the inputs (about the given centre, if one is)
 * @param featherPixels each input's weight rises as sin^2 over this many of its pixels from its edge (0: no
 *     feathering)
 * @param blockPixels side of the target blocks that are the units of work
 * @param maxPixels a target grid with more pixels than this is refused before any work
 * @param healpixNside a HEALPix target at this NSIDE instead of a WCS grid (0: a WCS grid)
 * @param healpixOrdering its ORDERING, RING or NESTED
 */
public record MosaicSettings(
        String frame,
        String projection,
        List<Double> center,
        double pixelArcmin,
        List<Integer> size,
        double featherPixels,
        int blockPixels,
        long maxPixels,
        long healpixNside,
        String healpixOrdering)
        implements Serializable {
    public MosaicSettings {
        frame = frame.toLowerCase(Locale.ROOT);
        projection = projection.toUpperCase(Locale.ROOT);
        center = List.copyOf(center);
        size = List.copyOf(size);
        if (!frame.equals("equatorial") && !frame.equals("galactic")) {
            throw new IllegalArgumentException("grid.frame must be equatorial or galactic, got '" + frame + "'");
        }
        if (!List.of("CAR", "TAN", "SIN", "ZEA", "ARC", "STG", "MER", "SFL", "AIT")
                .contains(projection)) {
            throw new IllegalArgumentException("grid.projection must be one of CAR, TAN, SIN, ZEA, ARC, STG, MER, SFL,"
                    + " AIT, got '" + projection + "'");
        }
        if (!center.isEmpty()
                && (center.size() != 2 || !(Math.abs(center.get(1)) <= 90) || !Double.isFinite(center.get(0)))) {
            throw new IllegalArgumentException(
                    "grid.center must be [] (fitted) or [longitude, latitude] in degrees, got " + center);
        }
        if (!(pixelArcmin >= 0) || !Double.isFinite(pixelArcmin)) {
            throw new IllegalArgumentException("grid.pixel-arcmin must be 0 (the finest input's) or positive");
        }
        if (!size.isEmpty() && (size.size() != 2 || size.get(0) < 1 || size.get(1) < 1)) {
            throw new IllegalArgumentException("grid.size must be [] (fitted) or [nx, ny] positive, got " + size);
        }
        if (center.isEmpty() && !size.isEmpty()) {
            throw new IllegalArgumentException("grid.size " + size + " needs a grid.center (or both [], fitted)");
        }
        if (!(featherPixels >= 0)) {
            throw new IllegalArgumentException("feather-pixels must not be negative, got " + featherPixels);
        }
        if (blockPixels < 16) {
            throw new IllegalArgumentException("block-pixels must be at least 16, got " + blockPixels);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max-pixels must be positive, got " + maxPixels);
        }
    }

    /** Whether the target is a HEALPix map rather than a WCS grid. */
    public boolean healpix() {
        return healpixNside > 0;
    }

    /** Whether the grid is fitted to the inputs rather than given. */
    public boolean fitted() {
        return size.isEmpty();
    }

    /** Reads the {@code magmap.mosaic} section, naming the key at fault. */
    public static MosaicSettings from(Config c) {
        try {
            return new MosaicSettings(
                    c.getString("grid.frame"),
                    c.getString("grid.projection"),
                    c.getDoubleList("grid.center"),
                    c.getDouble("grid.pixel-arcmin"),
                    c.getIntList("grid.size"),
                    c.getDouble("feather-pixels"),
                    c.getInt("block-pixels"),
                    c.getLong("max-pixels"),
                    c.getLong("grid.healpix.nside"),
                    c.getString("grid.healpix.ordering"));
        } catch (com.typesafe.config.ConfigException | IllegalArgumentException e) {
            throw new ConfigException("magmap.mosaic: " + e.getMessage(), e);
        }
    }
}
