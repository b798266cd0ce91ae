package org.magmap.observe;

import org.magmap.sim.Mhd;

/**
 * The answers a network must learn, as density-weighted LOS averages (docs/science.md section 1):
 * {@code <q> = sum rho q / sum rho} for the total field strength B (uG), the local Alfven and sonic Mach numbers
 * and the inclination {@code gamma_cell = arccos(|B_z'| / |B|)} (deg, 0..90), and the POS angle from
 * pseudo-Stokes sums {@code Q = sum rho cos(2 theta) sin^2(gamma_cell)}, {@code U = sum rho sin(2 theta)
 * sin^2(gamma_cell)}, {@code psi = 0.5 atan2(U, Q)} with {@code theta = atan2(B_y', B_x')}, so orientations
 * average as orientations.
 *
 * <p>Local Mach numbers per cell: {@code M_A = sigma_v / v_A} with {@code v_A = |B| / sqrt(4 pi rho)} and
 * {@code M_s = sigma_v / c_s}, sigma_v the local dispersion ({@link LocalDispersion}). Per cell they satisfy the
 * MM2 relation {@code B = c_s sqrt(4 pi rho) M_s / M_A} identically.
 */
public final class TruthMaps implements LineOfSight.Accumulator {
    private final int pixels;
    private final double soundSpeedKmPerS;
    private final double[] weight;
    private final double[] field;
    private final double[] alfvenMach;
    private final double[] sonicMach;
    private final double[] inclination;
    private final double[] stokesQ;
    private final double[] stokesU;

    /**
     * @param pixels nx * ny
     * @param soundSpeedKmPerS isothermal c_s, used when samples carry no temperature
     */
    public TruthMaps(int pixels, double soundSpeedKmPerS) {
        this.pixels = pixels;
        this.soundSpeedKmPerS = soundSpeedKmPerS;
        weight = new double[pixels];
        field = new double[pixels];
        alfvenMach = new double[pixels];
        sonicMach = new double[pixels];
        inclination = new double[pixels];
        stokesQ = new double[pixels];
        stokesU = new double[pixels];
    }

    /** Isothermal sound speed of neutral atomic gas (mean mass per particle 1.27 m_H) at temperature T, km/s. */
    static double soundSpeedKmPerS(double temperatureK) {
        return Math.sqrt(HiEmission.BOLTZMANN_ERG_PER_K * temperatureK / (1.27 * Mhd.HYDROGEN_MASS_G))
                / Mhd.KM_PER_S_IN_CM_PER_S;
    }

    @Override
    public void add(int pixel, LineOfSight.Sample s) {
        double rho = s.density;
        double bx = s.magnetic[0];
        double by = s.magnetic[1];
        double bz = s.magnetic[2];
        double b = Math.sqrt(bx * bx + by * by + bz * bz);
        weight[pixel] += rho;
        field[pixel] += rho * b;
        if (b > 0) {
            double gamma = Math.acos(Math.min(1, Math.abs(bz) / b));
            inclination[pixel] += rho * Math.toDegrees(gamma);
            double sin2 = (bx * bx + by * by) / (b * b); // sin^2(gamma_cell)
            double theta2 = 2 * Math.atan2(by, bx);
            stokesQ[pixel] += rho * Math.cos(theta2) * sin2;
            stokesU[pixel] += rho * Math.sin(theta2) * sin2;
        }
        double sigma = s.localSigmaV;
        if (!Double.isNaN(sigma)) {
            double vA = Mhd.alfvenSpeedKmPerS(b, rho);
            double cs = Double.isNaN(s.temperature) ? soundSpeedKmPerS : soundSpeedKmPerS(s.temperature);
            alfvenMach[pixel] += rho * sigma / vA;
            sonicMach[pixel] += rho * sigma / cs;
        } else {
            alfvenMach[pixel] = Double.NaN;
            sonicMach[pixel] = Double.NaN;
        }
    }

    private float[] weighted(double[] sum) {
        float[] out = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            out[i] = weight[i] > 0 ? (float) (sum[i] / weight[i]) : Float.NaN;
        }
        return out;
    }

    /** Density-weighted total field strength, uG. */
    public float[] fieldMicrogauss() {
        return weighted(field);
    }

    /** Density-weighted local Alfven Mach number. */
    public float[] alfvenMach() {
        return weighted(alfvenMach);
    }

    /** Density-weighted local sonic Mach number. */
    public float[] sonicMach() {
        return weighted(sonicMach);
    }

    /** Density-weighted inclination to the LOS, deg in [0, 90]. */
    public float[] inclinationDeg() {
        return weighted(inclination);
    }

    /** POS angle from the pseudo-Stokes sums, deg in [0, 180) (see {@link Angles}). */
    public float[] psiDeg() {
        float[] out = new float[pixels];
        for (int i = 0; i < pixels; i++) {
            out[i] = weight[i] > 0 ? (float) Angles.psiDeg(stokesQ[i], stokesU[i]) : Float.NaN;
        }
        return out;
    }

    /** Column mass (sum of rho over the LOS steps), for weighting maps. */
    public float[] columnWeight() {
        return Maps.toFloat(weight);
    }
}
