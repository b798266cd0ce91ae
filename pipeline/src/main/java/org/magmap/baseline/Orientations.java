package org.magmap.baseline;

/**
 * Orientation helpers for this package (degrees, mod 180, folded into [0, 180), from +x towards +y). Kept
 * package-private on purpose: the project-wide angle class lives elsewhere and the two are to be unified.
 */
final class Orientations {
    private Orientations() {}

    /** Folds any angle in degrees into [0, 180); NaN stays NaN. */
    static double fold(double deg) {
        double f = deg % 180.0;
        if (f < 0) {
            f += 180.0;
        }
        // -1e-17 % 180 + 180 rounds to 180.0 exactly, which is the same orientation as 0
        return f >= 180.0 ? 0.0 : f;
    }

    /** The signed difference {@code a - b} of two orientations, in [-90, 90). */
    static double difference(double aDeg, double bDeg) {
        return fold(aDeg - bDeg + 90.0) - 90.0;
    }
}
