package org.magmap.observe;

import org.magmap.sim.Mhd;

/**
 * Optically thin H I 21-cm emission (H I paper; docs/science.md section 2): every cell emits in proportion to its
 * hydrogen number density, at its LOS velocity, broadened by a Gaussian of thermal width
 * {@code sigma_th = sqrt(k T / m_H)} (with a temperature field) or {@code c_s} (isothermal runs).
 *
 * <p>Brightness temperature from column density with the optically thin relation
 * {@code N_HI = 1.8224e18 cm^-2 * integral T_B dv [K km/s]}, so
 * {@code T_B(v) = sum_z n dz phi(v - v_z) / 1.8224e18} with phi in (km/s)^-1. Each channel receives the exact
 * integral of the Gaussian over its width (differences of the normal CDF), so summing channels conserves flux.
 */
public final class HiEmission {
    /** Column density per unit integrated brightness, cm^-2 / (K km/s), optically thin H I. */
    public static final double COLUMN_PER_K_KM_S = 1.8224e18;
    /** Boltzmann constant, erg/K. */
    public static final double BOLTZMANN_ERG_PER_K = 1.380649e-16;

    private HiEmission() {}

    /** Thermal velocity dispersion of hydrogen atoms at temperature T, km/s. */
    public static double thermalWidthKmPerS(double temperatureK) {
        return Math.sqrt(BOLTZMANN_ERG_PER_K * temperatureK / Mhd.HYDROGEN_MASS_G) / Mhd.KM_PER_S_IN_CM_PER_S;
    }

    /** Standard normal CDF (via erf; accurate to about 1e-7, see {@link #erf}). */
    public static double normalCdf(double x) {
        return 0.5 * (1 + erf(x / Math.sqrt(2)));
    }

    /**
     * The error function, Abramowitz & Stegun 7.1.26 (|error| below 1.5e-7): good enough for channel fractions
     * and far cheaper than a series, which matters at 64 channels x 16 million samples.
     */
    public static double erf(double x) {
        double sign = Math.signum(x);
        double a = Math.abs(x);
        double t = 1 / (1 + 0.3275911 * a);
        double y = 1
                - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                        * t
                        * Math.exp(-a * a);
        return sign * y;
    }

    /** Shared per-sample quantities: hydrogen column in the step (cm^-2) and thermal width (km/s). */
    static final class SampleEmission {
        final double massPerHydrogenG;
        final double stepCm;
        final double isothermalWidthKmPerS;

        SampleEmission(double massPerHydrogenAmu, double stepPc, double soundSpeedKmPerS) {
            this.massPerHydrogenG = massPerHydrogenAmu * Mhd.HYDROGEN_MASS_G;
            this.stepCm = stepPc * Mhd.PARSEC_CM;
            this.isothermalWidthKmPerS = soundSpeedKmPerS;
        }

        double column(LineOfSight.Sample s) {
            return s.density / massPerHydrogenG * stepCm;
        }

        double width(LineOfSight.Sample s) {
            double w = Double.isNaN(s.temperature) ? isothermalWidthKmPerS : thermalWidthKmPerS(s.temperature);
            if (!(w > 0)) {
                throw new IllegalStateException(
                        "no thermal width: the cube has neither a temperature field nor a sound speed");
            }
            return w;
        }
    }
}
