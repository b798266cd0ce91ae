package org.magmap.baseline;

import java.io.Serializable;
import org.apache.commons.math3.special.Gamma;

/**
 * The revised equipartition magnetic field strength of Beck &amp; Krause (2005, Astron. Nachr. 326, 414; the
 * formula of their section 3, derived in their Appendix A), as the cluster paper uses it (seeds/000, eq. 10)
 * and docs/science.md section 5 restates it:
 *
 * <pre>
 * B_eq = { 4 pi (2a+1) (K0+1) I_nu E_p^(1-2a) (nu / 2c1)^a / [ (2a-1) c2(a) l c4(i) ] }^(1/(a+3))   [gauss]
 * </pre>
 *
 * with {@code a} the synchrotron spectral index ({@code S ~ nu^-a}, {@code a = (p-1)/2}), {@code K0} the number
 * density ratio of cosmic-ray protons to electrons, {@code I_nu} the synchrotron intensity, {@code l} the path
 * length through the emitting medium and {@code nu} the observing frequency, all in cgs.
 *
 * <p>Units: intensity in erg s^-1 cm^-2 Hz^-1 sr^-1, path length in cm, frequency in Hz; the field is returned
 * in <b>microgauss</b> (the formula's gauss times 1e6), the unit of every field label in this project.
 *
 * <p>Invalid parameters (a &lt;= 0.5, negative K0, non-positive path length or frequency, an inclination
 * outside [0, 90)) throw {@link IllegalArgumentException} at construction. A non-positive or non-finite
 * <em>intensity</em> gives NaN instead: maps routinely hold noise-dominated pixels at or below zero, where no
 * equipartition field is defined, and one bad pixel must not abort a map.
 *
 * @param spectralIndex synchrotron spectral index a (&gt; 0.5)
 * @param protonElectronRatio K0, the proton/electron number density ratio (&gt;= 0; Beck &amp; Krause's
 *     standard value is {@link #DEFAULT_PROTON_ELECTRON_RATIO})
 * @param pathLengthCm l, the path length through the emitting medium
 * @param frequencyHz nu, the observing frequency
 * @param geometry which c4(i) applies
 * @param inclinationDeg for {@link FieldGeometry#REGULAR}: the angle i between the regular field and the plane of
 *     the sky (0 = field in the sky plane, as in a face-on disc galaxy); ignored (NaN) for an isotropic field
 */
public record Equipartition(
        double spectralIndex,
        double protonElectronRatio,
        double pathLengthCm,
        double frequencyHz,
        FieldGeometry geometry,
        double inclinationDeg)
        implements Serializable {

    /** c1 = 3 e / (4 pi m_e^3 c^5), cgs (Beck &amp; Krause 2005, Appendix A). */
    public static final double C1 = 6.26428e18;

    /** c3 = sqrt(3) e^3 / (4 pi m_e c^2), cgs (Beck &amp; Krause 2005, Appendix A). */
    public static final double C3 = 1.86558e-23;

    /** E_p, the proton rest energy 938.28 MeV, in erg: the spectral break energy of the revised formula. */
    public static final double PROTON_REST_ENERGY_ERG = 1.5033e-3;

    /** K0 = 100, the proton/electron ratio Beck &amp; Krause adopt for Fermi-accelerated cosmic rays. */
    public static final double DEFAULT_PROTON_ELECTRON_RATIO = 100.0;

    /** One parsec in cm (IAU 2015: 648000/pi au, au = 1.495978707e13 cm). */
    public static final double CM_PER_PARSEC = 3.0856775814913673e18;

    private static final double MICROGAUSS_PER_GAUSS = 1e6;
    private static final double ERG_PER_S_CM2_HZ_PER_JANSKY = 1e-23;
    private static final double RADIANS_PER_ARCSEC = Math.PI / (180.0 * 3600.0);

    private static final long serialVersionUID = 1L;

    /** The geometry of the field along the line of sight, which sets c4(i). */
    public enum FieldGeometry {
        /** A completely turbulent field with an isotropic angle distribution in 3D: c4 = (2/3)^((a+1)/2). */
        ISOTROPIC_TURBULENT,
        /** A completely regular field at constant inclination i to the sky plane: c4 = cos(i)^(a+1). */
        REGULAR
    }

    public Equipartition {
        if (!(spectralIndex > 0.5) || !Double.isFinite(spectralIndex)) {
            // (2a-1) in the denominator: at a = 0.5 the electron energy integral diverges, below it turns negative
            throw new IllegalArgumentException(
                    "spectral index a must be finite and > 0.5 (S ~ nu^-a, a = (p-1)/2);" + " got " + spectralIndex);
        }
        if (!(protonElectronRatio >= 0) || !Double.isFinite(protonElectronRatio)) {
            throw new IllegalArgumentException(
                    "proton/electron ratio K0 must be finite and >= 0; got " + protonElectronRatio);
        }
        if (!(pathLengthCm > 0) || !Double.isFinite(pathLengthCm)) {
            throw new IllegalArgumentException("path length must be finite and > 0 cm; got " + pathLengthCm);
        }
        if (!(frequencyHz > 0) || !Double.isFinite(frequencyHz)) {
            throw new IllegalArgumentException("frequency must be finite and > 0 Hz; got " + frequencyHz);
        }
        if (geometry == null) {
            throw new IllegalArgumentException("field geometry must be given");
        }
        if (geometry == FieldGeometry.REGULAR && !(inclinationDeg >= 0 && inclinationDeg < 90)) {
            // at i = 90 deg the regular field lies along the line of sight and emits nothing: c4 = 0
            throw new IllegalArgumentException(
                    "inclination of a regular field to the sky plane must be in [0, 90) deg; got " + inclinationDeg);
        }
    }

    /** An isotropic turbulent field (c4 = (2/3)^((a+1)/2)). */
    public static Equipartition isotropic(
            double spectralIndex, double protonElectronRatio, double pathLengthCm, double frequencyHz) {
        return new Equipartition(
                spectralIndex,
                protonElectronRatio,
                pathLengthCm,
                frequencyHz,
                FieldGeometry.ISOTROPIC_TURBULENT,
                Double.NaN);
    }

    /** A regular field at inclination {@code inclinationDeg} to the sky plane (c4 = cos(i)^(a+1)). */
    public static Equipartition regular(
            double spectralIndex,
            double protonElectronRatio,
            double pathLengthCm,
            double frequencyHz,
            double inclinationDeg) {
        return new Equipartition(
                spectralIndex, protonElectronRatio, pathLengthCm, frequencyHz, FieldGeometry.REGULAR, inclinationDeg);
    }

    /** The electron spectral index p = 2a + 1 of the synchrotron spectral index a (the inverse of a = (p-1)/2). */
    public static double spectralIndexFromElectronIndex(double electronIndexP) {
        return (electronIndexP - 1.0) / 2.0;
    }

    /** Parsec to cm, for path lengths given as a depth in pc (multiply kpc by 1000 first). */
    public static double parsecToCm(double parsec) {
        return parsec * CM_PER_PARSEC;
    }

    /**
     * Converts a surface brightness in Jy/beam to the specific intensity in erg s^-1 cm^-2 Hz^-1 sr^-1, dividing
     * by the solid angle {@code pi / (4 ln 2) * bmaj * bmin} of an elliptical Gaussian beam given by its FWHMs.
     */
    public static double intensityFromJanskyPerBeam(double janskyPerBeam, double bmajArcsec, double bminArcsec) {
        if (!(bmajArcsec > 0) || !(bminArcsec > 0)) {
            throw new IllegalArgumentException("beam FWHMs must be > 0 arcsec; got " + bmajArcsec + " x " + bminArcsec);
        }
        double beamSr =
                Math.PI / (4.0 * Math.log(2.0)) * bmajArcsec * RADIANS_PER_ARCSEC * bminArcsec * RADIANS_PER_ARCSEC;
        return janskyPerBeam * ERG_PER_S_CM2_HZ_PER_JANSKY / beamSr;
    }

    /**
     * c2(a) = c3/4 * (a + 5/3)/(a + 1) * Gamma((3a+1)/6) * Gamma((3a+5)/6) (Beck &amp; Krause 2005, Appendix A;
     * docs/science.md section 5), in cgs.
     */
    public static double c2(double spectralIndex) {
        double a = spectralIndex;
        return C3
                / 4.0
                * (a + 5.0 / 3.0)
                / (a + 1.0)
                * Gamma.gamma((3.0 * a + 1.0) / 6.0)
                * Gamma.gamma((3.0 * a + 5.0) / 6.0);
    }

    /**
     * c4 = (2/3)^((a+1)/2) = (B_perp / B)^(a+1) with B_perp^2 = (2/3) B^2, the mean sky-plane share of an
     * isotropic field.
     */
    public static double c4IsotropicTurbulent(double spectralIndex) {
        return Math.pow(2.0 / 3.0, (spectralIndex + 1.0) / 2.0);
    }

    /** c4 = cos(i)^(a+1): only the sky-plane component B cos(i) of a regular field emits. */
    public static double c4Regular(double spectralIndex, double inclinationDeg) {
        return Math.pow(Math.cos(Math.toRadians(inclinationDeg)), spectralIndex + 1.0);
    }

    /** c4(i) for this geometry. */
    public double c4() {
        return geometry == FieldGeometry.REGULAR
                ? c4Regular(spectralIndex, inclinationDeg)
                : c4IsotropicTurbulent(spectralIndex);
    }

    /**
     * The equipartition field in microgauss for one intensity (erg s^-1 cm^-2 Hz^-1 sr^-1); NaN where the
     * intensity is not finite and positive.
     */
    public double fieldMicrogauss(double intensityCgs) {
        return fieldMicrogauss(intensityCgs, prefactor());
    }

    /**
     * The equipartition field in microgauss per pixel of an intensity map (erg s^-1 cm^-2 Hz^-1 sr^-1), same
     * layout and length as the input; NaN where the intensity is not finite and positive. The path length is
     * this record's, the same for every pixel.
     */
    public float[] fieldMicrogaussMap(float[] intensityCgs) {
        double k = prefactor();
        float[] out = new float[intensityCgs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) fieldMicrogauss(intensityCgs[i], k);
        }
        return out;
    }

    private double fieldMicrogauss(double intensityCgs, double prefactor) {
        if (!(intensityCgs > 0) || !Double.isFinite(intensityCgs)) {
            return Double.NaN;
        }
        double gauss = Math.pow(prefactor * intensityCgs, 1.0 / (spectralIndex + 3.0));
        return gauss * MICROGAUSS_PER_GAUSS;
    }

    /** Everything inside the braces of the revised formula except I_nu (Beck &amp; Krause 2005, section 3). */
    private double prefactor() {
        double a = spectralIndex;
        double numerator = 4.0
                * Math.PI
                * (2.0 * a + 1.0)
                * (protonElectronRatio + 1.0)
                * Math.pow(PROTON_REST_ENERGY_ERG, 1.0 - 2.0 * a)
                * Math.pow(frequencyHz / (2.0 * C1), a);
        double denominator = (2.0 * a - 1.0) * c2(a) * pathLengthCm * c4();
        return numerator / denominator;
    }
}
