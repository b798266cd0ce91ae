package org.magmap.predict;

import java.io.Serializable;
import java.util.List;

/**
 * The target maps of the image-to-image model and how each is scaled for training. The six maps of the H I paper
 * (docs/science.md section 4): the field orientation as (cos 2psi, sin 2psi) (docs/science.md section 3: angles are learned
 * as the double-angle pair and converted back with psi = 0.5 atan2(s, c)), the inclination gamma, |B|, M_A and
 * M_s. The MSE loss adds the channels, so each is brought to a comparable spread: {@code (x - offset) / scale}
 * with offset and scale the training patches' mean and standard deviation (cos and sin are already in [-1, 1]
 * and keep offset 0, scale 1). The model card stores offsets and scales so predictions convert back.
 *
 * @param columns Parquet target-map columns, in network output channel order
 * @param units physical unit per column
 * @param offsets subtracted before scaling, per column
 * @param scales divisor, per column (positive)
 */
public record MapTargets(List<String> columns, List<String> units, double[] offsets, double[] scales)
        implements Serializable {

    /** The map columns in output order: cos 2psi, sin 2psi, gamma, B, M_A, M_s. */
    public static final List<String> COLUMNS =
            List.of("t_cos2psi", "t_sin2psi", "t_gamma_deg", "t_b_ug", "t_m_a", "t_m_s");

    /** Units of {@link #COLUMNS}. */
    public static final List<String> UNITS = List.of("", "", "deg", "uG", "", "");

    /** The patch-mean scalar columns whose training statistics scale gamma, B, M_A and M_s. */
    public static final List<String> SCALE_COLUMNS = List.of("gamma_deg", "b_ug", "m_a", "m_s");

    /** Channel of cos 2psi and of sin 2psi. */
    public static final int COS2PSI = 0;

    public static final int SIN2PSI = 1;

    public MapTargets {
        columns = List.copyOf(columns);
        units = List.copyOf(units);
        if (columns.size() != units.size() || offsets.length != columns.size() || scales.length != columns.size()) {
            throw new IllegalArgumentException("one unit, offset and scale per target column");
        }
        for (double s : scales) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("target scales must be positive, got " + s);
            }
        }
        offsets = offsets.clone();
        scales = scales.clone();
    }

    /**
     * The six maps, gamma, B, M_A and M_s scaled by the given training means and standard deviations (in the
     * order of {@link #SCALE_COLUMNS}). A standard deviation of zero (one simulation only) falls back to the mean's
     * magnitude, or 1.
     */
    public static MapTargets fromTrainingStatistics(double[] means, double[] stds) {
        double[] offsets = new double[COLUMNS.size()];
        double[] scales = {1, 1, 1, 1, 1, 1};
        for (int i = 0; i < SCALE_COLUMNS.size(); i++) {
            offsets[2 + i] = means[i];
            double s = stds[i];
            if (!(s > 0)) {
                s = Math.abs(means[i]) > 0 ? Math.abs(means[i]) : 1;
            }
            scales[2 + i] = s;
        }
        return new MapTargets(COLUMNS, UNITS, offsets, scales);
    }

    public int channels() {
        return columns.size();
    }

    /** Physical value to training units. */
    public float normalise(int channel, double value) {
        return (float) ((value - offsets[channel]) / scales[channel]);
    }

    /** Training units back to the physical value. */
    public double physical(int channel, double value) {
        return value * scales[channel] + offsets[channel];
    }

    /** The field angle in degrees, in (-90, 90], from the two double-angle channels (any common scale). */
    public static double psiDeg(double cos2psi, double sin2psi) {
        return Math.toDegrees(0.5 * Math.atan2(sin2psi, cos2psi));
    }
}
