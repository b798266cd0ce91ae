package org.magmap.batch;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The conditioning vector of the image-to-image model (docs/science.md section 4: observational conditions that
 * modulate the features by FiLM): H I channel width in km/s, beam FWHM in pixels and the noise ratio, read from
 * the patch row. A synchrotron patch has no channel width (NaN in the row); it conditions as 0.
 */
public final class Conditions {
    private Conditions() {}

    /** Patch columns of the conditioning vector, in order. */
    public static final List<String> COLUMNS = List.of("channel_width_km_s", "beam_fwhm_px", "noise_ratio");

    /** Units of {@link #COLUMNS}. */
    public static final List<String> UNITS = List.of("km/s", "pixel", "sigma / map mean");

    /** Fills {@code out[offset ...]} from the row's fields {@code first ...} (in {@link #COLUMNS} order). */
    public static void read(Row row, int first, float[] out, int offset) {
        for (int i = 0; i < COLUMNS.size(); i++) {
            double v = row.isNullAt(first + i) ? Double.NaN : row.getDouble(first + i);
            out[offset + i] = Double.isFinite(v) ? (float) v : 0f;
        }
    }
}
