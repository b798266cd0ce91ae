package org.magmap.baseline;

/**
 * The Alignment Measure between two orientation maps (González-Casanova &amp; Lazarian 2017; H I paper,
 * seeds/002, eq. 2):
 *
 * <pre>
 * AM = &lt; cos(2 (theta_a - theta_b)) &gt;
 * </pre>
 *
 * 1 for parallel orientations, 0 at 45 deg, -1 for perpendicular ones. The doubled angle makes it blind to the
 * 180 deg ambiguity of an orientation, so either input may use any fold. Angles in degrees; a pixel counts only
 * where both maps (and the weight, if given) are finite.
 */
public final class AlignmentMeasure {
    private AlignmentMeasure() {}

    /** The unweighted AM over pixels where both maps are finite; NaN when there is no such pixel. */
    public static double of(float[] thetaADeg, float[] thetaBDeg) {
        return of(thetaADeg, thetaBDeg, null);
    }

    /**
     * The weighted AM {@code sum w cos(2 dtheta) / sum w} over pixels where both maps and the weight are finite;
     * NaN when there is no such pixel or the weights there sum to zero.
     *
     * @param weights per-pixel weights (&gt;= 0), or null for equal weights
     * @throws IllegalArgumentException on different lengths or a negative weight
     */
    public static double of(float[] thetaADeg, float[] thetaBDeg, float[] weights) {
        checkLengths(thetaADeg, thetaBDeg);
        if (weights != null && weights.length != thetaADeg.length) {
            throw new IllegalArgumentException(
                    "weights have " + weights.length + " pixels, the maps " + thetaADeg.length);
        }
        double sum = 0;
        double sumW = 0;
        for (int i = 0; i < thetaADeg.length; i++) {
            double w = weights == null ? 1.0 : weights[i];
            if (!Double.isFinite(thetaADeg[i]) || !Double.isFinite(thetaBDeg[i]) || !Double.isFinite(w)) {
                continue;
            }
            if (w < 0) {
                throw new IllegalArgumentException("negative weight " + w + " at pixel " + i);
            }
            sum += w * cos2Difference(thetaADeg[i], thetaBDeg[i]);
            sumW += w;
        }
        return sumW > 0 ? sum / sumW : Double.NaN;
    }

    /**
     * The per-pixel alignment {@code cos(2 (theta_a - theta_b))}, NaN where either map is NaN: the quantity
     * whose distribution the H I paper plots (its Fig. 6).
     */
    public static float[] perPixel(float[] thetaADeg, float[] thetaBDeg) {
        checkLengths(thetaADeg, thetaBDeg);
        float[] out = new float[thetaADeg.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.isFinite(thetaADeg[i]) && Double.isFinite(thetaBDeg[i])
                    ? (float) cos2Difference(thetaADeg[i], thetaBDeg[i])
                    : Float.NaN;
        }
        return out;
    }

    private static double cos2Difference(double aDeg, double bDeg) {
        return Math.cos(2.0 * Math.toRadians(aDeg - bDeg));
    }

    private static void checkLengths(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("orientation maps differ in size: " + a.length + " vs " + b.length);
        }
    }
}
