package org.magmap.sky;

import java.util.Locale;

/**
 * Celestial frames and what changes between them: positions, and position angles. A position angle is measured
 * from the frame's own north through its east, so the same direction on the sky has a different angle in
 * equatorial and galactic coordinates; the turn between the two varies over the sky (about 60 degrees near the
 * Galactic centre, and anything near the poles). Mosaics that put maps of several frames on one grid need it.
 *
 * <p>Equatorial means ICRS; FK5 (J2000) differs from it by about 25 mas, far below a map's pixel. The galactic
 * frame is the one the Hipparcos catalogue defines on the ICRS (ESA 1997, The Hipparcos and Tycho Catalogues,
 * vol. 1, section 1.5.3, eq. 1.5.11); astropy, which defines it through FK5, differs by about 20 mas (Liu, Zhu
 * and Zhang 2011, A&amp;A 526, A16, discuss the two).
 */
public final class SkyFrames {
    private SkyFrames() {}

    /** The frames between which positions and angles can be transformed. */
    public enum Frame {
        EQUATORIAL,
        GALACTIC;

        /**
         * The frame of a name as {@link CelestialWcs#frame()} gives it ("equatorial", "galactic").
         *
         * @throws IllegalArgumentException for a frame with no transform here (ecliptic, a planet's)
         */
        public static Frame of(String name) {
            for (Frame f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("no transform between the '" + name
                    + "' frame and the equatorial and galactic frames (the ones magmap turns between)");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Rows: the galactic unit vectors (x to l = b = 0, z to the north galactic pole) in ICRS (eq. 1.5.11). */
    private static final double[][] ICRS_TO_GALACTIC = {
        {-0.0548755604162154, -0.8734370902348850, -0.4838350155487132},
        {+0.4941094278755837, -0.4448296299600112, +0.7469822444972189},
        {-0.8676661490190047, -0.1980763734312015, +0.4559837761750669}
    };

    /**
     * A position in another frame.
     *
     * @return {longitude in [0, 360), latitude}, degrees
     */
    public static double[] convert(Frame from, Frame to, double lonDeg, double latDeg) {
        if (from == to) {
            return new double[] {lonDeg, latDeg};
        }
        double lon = Math.toRadians(lonDeg);
        double lat = Math.toRadians(latDeg);
        double[] v = {Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)};
        double[] w = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // ICRS -> galactic multiplies by the matrix, galactic -> ICRS by its transpose (it is orthogonal)
                w[i] += (from == Frame.EQUATORIAL ? ICRS_TO_GALACTIC[i][j] : ICRS_TO_GALACTIC[j][i]) * v[j];
            }
        }
        double outLon = Math.toDegrees(Math.atan2(w[1], w[0]));
        double outLat = Math.toDegrees(Math.asin(Math.max(-1, Math.min(1, w[2]))));
        return new double[] {((outLon % 360) + 360) % 360, outLat};
    }

    /**
     * What to add to a position angle measured in {@code from} at a point to get the same direction's position
     * angle in {@code to}: minus the bearing, in {@code from}, of {@code to}'s north pole (spherical trigonometry:
     * the bearing of the pole from the point is the angle between the two frames' meridians there).
     *
     * @param lonDeg the point's longitude in {@code from}
     * @param latDeg its latitude in {@code from} (not at a pole of either frame, where north is undefined)
     * @return the turn in degrees, in (-180, 180]
     */
    public static double positionAngleTurnDeg(Frame from, Frame to, double lonDeg, double latDeg) {
        if (from == to) {
            return 0;
        }
        double[] pole = convert(to, from, 0, 90);
        double dLon = Math.toRadians(pole[0] - lonDeg);
        double lat = Math.toRadians(latDeg);
        double poleLat = Math.toRadians(pole[1]);
        double bearing = Math.atan2(
                Math.sin(dLon) * Math.cos(poleLat),
                Math.cos(lat) * Math.sin(poleLat) - Math.sin(lat) * Math.cos(poleLat) * Math.cos(dLon));
        return -Math.toDegrees(bearing);
    }
}
