package org.magmap.sim;

/**
 * Physical constants and the few MHD relations the pipeline uses, in the units magmap stores (Gaussian cgs
 * underneath: magnetic pressure B^2 / 8 pi).
 */
public final class Mhd {
    /** Hydrogen atom mass in grams (CODATA 2018: 1.00784 u). */
    public static final double HYDROGEN_MASS_G = 1.6735575e-24;
    /** One parsec in centimetres (IAU 2015 B2). */
    public static final double PARSEC_CM = 3.0856775814913673e18;
    /** One km/s in cm/s. */
    public static final double KM_PER_S_IN_CM_PER_S = 1e5;
    /** One microgauss in gauss. */
    public static final double MICROGAUSS_IN_GAUSS = 1e-6;
    /** Mass per hydrogen nucleus in units of m_H for gas with a cosmic helium fraction (Y = 0.28). */
    public static final double MASS_PER_HYDROGEN_DEFAULT = 1.4;

    private Mhd() {}

    /** Mass density in g cm^-3 of gas with hydrogen number density {@code nPerCm3}. */
    public static double massDensity(double nPerCm3, double massPerHydrogenAmu) {
        return nPerCm3 * massPerHydrogenAmu * HYDROGEN_MASS_G;
    }

    /** Alfven speed v_A = |B| / sqrt(4 pi rho) (docs/science.md section 1), in km/s. */
    public static double alfvenSpeedKmPerS(double bMicrogauss, double rhoGPerCm3) {
        return bMicrogauss * MICROGAUSS_IN_GAUSS / Math.sqrt(4 * Math.PI * rhoGPerCm3) / KM_PER_S_IN_CM_PER_S;
    }

    /**
     * The MM2 relation B = c_s sqrt(4 pi rho) M_s / M_A (Lazarian et al. 2022; H I paper eq. 1), in microgauss.
     */
    public static double mm2FieldMicrogauss(
            double soundSpeedKmPerS, double rhoGPerCm3, double sonicMach, double alfvenMach) {
        return soundSpeedKmPerS
                * KM_PER_S_IN_CM_PER_S
                * Math.sqrt(4 * Math.PI * rhoGPerCm3)
                * sonicMach
                / alfvenMach
                / MICROGAUSS_IN_GAUSS;
    }

    /**
     * The mean-field strength for a plasma beta = P_thermal / P_magnetic = rho c_s^2 / (B^2 / 8 pi), as used
     * to set up the galaxy-cluster runs (cluster paper: beta = 100, 200, 500).
     */
    public static double fieldForPlasmaBetaMicrogauss(double beta, double rhoGPerCm3, double soundSpeedKmPerS) {
        double cs = soundSpeedKmPerS * KM_PER_S_IN_CM_PER_S;
        return Math.sqrt(8 * Math.PI * rhoGPerCm3 * cs * cs / beta) / MICROGAUSS_IN_GAUSS;
    }

    /** Unit vector from an inclination to the z axis (the LOS before any rotation) and an azimuth from x. */
    public static double[] direction(double inclinationDeg, double azimuthDeg) {
        double i = Math.toRadians(inclinationDeg);
        double a = Math.toRadians(azimuthDeg);
        return new double[] {Math.sin(i) * Math.cos(a), Math.sin(i) * Math.sin(a), Math.cos(i)};
    }
}
