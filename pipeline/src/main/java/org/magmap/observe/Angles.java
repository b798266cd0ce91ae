package org.magmap.observe;

/**
 * Orientation conventions. A POS angle psi is an orientation (defined mod 180 deg), measured from the map's +x
 * axis (pixel axis 1) towards +y (pixel axis 2); with x to the right and y up that is counter-clockwise. On a
 * sky map with RA increasing to the left this is not the astronomers' east-of-north position angle; FITS maps
 * written by magmap state the convention in their header.
 */
public final class Angles {
    /** The convention in words, for FITS headers and manifests. */
    public static final String PSI_CONVENTION = "psi in deg, [0,180), from +x pixel axis towards +y pixel axis";

    private Angles() {}

    /** psi = 0.5 atan2(U, Q) in degrees, folded into [0, 180) (docs/science.md section 1). */
    public static double psiDeg(double q, double u) {
        return foldOrientationDeg(Math.toDegrees(0.5 * Math.atan2(u, q)));
    }

    /** An orientation folded into [0, 180). */
    public static double foldOrientationDeg(double deg) {
        double f = deg % 180;
        if (f < 0) {
            f += 180;
        }
        // -1e-17 % 180 + 180 rounds to 180.0 exactly, which is the same orientation as 0
        return f >= 180 ? 0 : f;
    }

    /** The signed difference a - b between two orientations, in [-90, 90) degrees. */
    public static double signedOrientationDifferenceDeg(double a, double b) {
        return foldOrientationDeg(a - b + 90) - 90;
    }

    /** The smallest difference between two orientations, in [0, 90] degrees. */
    public static double orientationDifferenceDeg(double a, double b) {
        double d = Math.abs(foldOrientationDeg(a) - foldOrientationDeg(b));
        return d > 90 ? 180 - d : d;
    }
}
