package org.magmap.sim;

import java.io.Serializable;

/**
 * The code units of a dimensionless MHD run (AthenaK and other codes that work in code units), given by the
 * caller because the output file does not record them: one code unit of density, length and velocity in
 * physical units. Time and magnetic-field units follow from these three.
 *
 * <p>Magnetic field: Athena and AthenaK write the induction equation and the total pressure {@code p + B^2/2}
 * without the {@code 4 pi} of Gaussian units, i.e. the code field is {@code B_code = B_gauss / sqrt(4 pi)} in
 * code units (Stone et al. 2008, ApJS 178, 137, eqs. 1-4, written in units where the magnetic
 * permeability is one, so {@code 4 pi} is absorbed into B; AthenaK keeps these equations). The Alfven speed is {@code B_code / sqrt(rho_code)} in code velocity
 * units, so one code unit of B is the field whose Alfven speed in gas of one density unit is one velocity
 * unit: {@code B_gauss = B_code * sqrt(4 pi rho_unit) * v_unit}, with {@code rho_unit} in g cm^-3 and {@code
 * v_unit} in cm s^-1 (docs/science.md section 1: {@code v_A = |B| / sqrt(4 pi rho)}).
 *
 * @param densityGPerCm3 one code unit of mass density in g cm^-3
 * @param lengthPc one code unit of length in parsec
 * @param velocityKmPerS one code unit of velocity in km s^-1
 */
public record CodeUnits(double densityGPerCm3, double lengthPc, double velocityKmPerS) implements Serializable {
    /** Centimetres in one parsec (the value magmap uses everywhere; IAU 2015 gives 3.0857e18 to 5 digits). */
    public static final double CM_PER_PC = 3.0857e18;

    /** Seconds in one megayear of Julian years (365.25 d). */
    public static final double S_PER_MYR = 3.15576e13;

    /** Centimetres in one kilometre. */
    public static final double CM_PER_KM = 1e5;

    /** Microgauss in one gauss. */
    public static final double MICROGAUSS_PER_GAUSS = 1e6;

    public CodeUnits {
        check("density", densityGPerCm3, "g cm-3");
        check("length", lengthPc, "pc");
        check("velocity", velocityKmPerS, "km s-1");
    }

    private static void check(String what, double v, String unit) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(
                    "the code unit of " + what + " must be a positive number of " + unit + ", got " + v);
        }
    }

    /** One code unit of time, {@code L_unit / v_unit}, in Myr. */
    public double timeMyr() {
        return lengthPc * CM_PER_PC / (velocityKmPerS * CM_PER_KM) / S_PER_MYR;
    }

    /** One code unit of magnetic field, {@code sqrt(4 pi rho_unit) * v_unit} (see the class comment), in uG. */
    public double magneticFieldMicrogauss() {
        return Math.sqrt(4 * Math.PI * densityGPerCm3) * velocityKmPerS * CM_PER_KM * MICROGAUSS_PER_GAUSS;
    }

    /** The factor that turns a code value of {@code field} into magmap's unit ({@link Field#unit()}). */
    public double toMagmap(Field field) {
        return switch (field) {
            case DENSITY -> densityGPerCm3;
            case VELOCITY_X, VELOCITY_Y, VELOCITY_Z -> velocityKmPerS;
            case B_X, B_Y, B_Z -> magneticFieldMicrogauss();
            case TEMPERATURE -> throw new IllegalArgumentException(
                    "temperature has no code unit here: it needs the mean molecular weight and the equation of state");
        };
    }
}
