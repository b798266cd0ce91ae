package org.magmap.patch;

import org.magmap.baseline.SynchrotronCalibration;

/**
 * One observed map (or a stack of them, {@link StackedObservable}) and its truth maps, ready for cutting:
 * everything a patch needs, for one simulation x view x observable. Arrays are {@code nx * ny}, x fastest; a
 * stacked input holds its maps back to back.
 *
 * @param simulation run id
 * @param snapshot snapshot number
 * @param view view name
 * @param inclinationDeg the view's mean-field inclination to the LOS
 * @param positionAngleDeg the view's mean-field position angle
 * @param observable the input map's name (SYNC, HI_CH00, ..., or a stack such as HI_CH01+SYNC)
 * @param channelCentreKmPerS the (first) H I channel's centre velocity (NaN for synchrotron alone)
 * @param channelWidthKmPerS the (first) H I channel's width (NaN for synchrotron alone)
 * @param input the observed map, or the stack's maps back to back ({@link #channels} of them)
 * @param psiDeg truth POS angle (deg)
 * @param gammaDeg truth inclination (deg)
 * @param fieldMicrogauss truth |B| (uG)
 * @param alfvenMach truth M_A
 * @param sonicMach truth M_s
 * @param surfaceDensity gas surface density, the weight for averages over a patch
 * @param equipartition the equipartition estimate from the input's mean over a patch, for a calibrated
 *     synchrotron input; null for other inputs (H I) and for maps without a recorded calibration
 */
public record PatchSource(
        String simulation,
        int snapshot,
        String view,
        double inclinationDeg,
        double positionAngleDeg,
        String observable,
        double channelCentreKmPerS,
        double channelWidthKmPerS,
        int nx,
        int ny,
        float[] input,
        float[] psiDeg,
        float[] gammaDeg,
        float[] fieldMicrogauss,
        float[] alfvenMach,
        float[] sonicMach,
        float[] surfaceDensity,
        SynchrotronCalibration.Estimator equipartition) {
    /** A source without an equipartition baseline. */
    public PatchSource(
            String simulation,
            int snapshot,
            String view,
            double inclinationDeg,
            double positionAngleDeg,
            String observable,
            double channelCentreKmPerS,
            double channelWidthKmPerS,
            int nx,
            int ny,
            float[] input,
            float[] psiDeg,
            float[] gammaDeg,
            float[] fieldMicrogauss,
            float[] alfvenMach,
            float[] sonicMach,
            float[] surfaceDensity) {
        this(
                simulation,
                snapshot,
                view,
                inclinationDeg,
                positionAngleDeg,
                observable,
                channelCentreKmPerS,
                channelWidthKmPerS,
                nx,
                ny,
                input,
                psiDeg,
                gammaDeg,
                fieldMicrogauss,
                alfvenMach,
                sonicMach,
                surfaceDensity,
                null);
    }

    public PatchSource {
        int n = nx * ny;
        if (input == null || input.length != StackedObservable.channels(observable) * n) {
            throw new IllegalArgumentException(simulation + "/" + view + ": the input '" + observable + "' must have "
                    + StackedObservable.channels(observable) + " map(s) of " + nx + "x" + ny + " values");
        }
        for (float[] a : new float[][] {psiDeg, gammaDeg, fieldMicrogauss, alfvenMach, sonicMach, surfaceDensity}) {
            if (a == null || a.length != n) {
                throw new IllegalArgumentException(
                        simulation + "/" + view + ": every map must have " + nx + "x" + ny + " values");
            }
        }
    }

    /** The number of input maps (1, or the stack's). */
    public int channels() {
        return StackedObservable.channels(observable);
    }

    /** Input map {@code c} (a copy). */
    public float[] inputChannel(int c) {
        int n = nx * ny;
        return java.util.Arrays.copyOfRange(input, c * n, (c + 1) * n);
    }
}
