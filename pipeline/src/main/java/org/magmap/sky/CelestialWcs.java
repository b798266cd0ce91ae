package org.magmap.sky;

import java.io.Serializable;
import java.util.Locale;
import nom.tam.fits.Header;
import org.magmap.fits.FitsCards;

/**
 * The celestial part of a FITS world coordinate system: pixel to sky for the two celestial axes of an image or
 * cube, following Greisen &amp; Calabretta (2002, "Paper I") for the linear step and Calabretta &amp; Greisen
 * (2002, "Paper II") for the projections and the spherical rotation. The file's projection and frame are used as
 * given: nothing is resampled.
 *
 * <p>Linear step (Paper I eqs. 1-3): intermediate world coordinates {@code x = M (p - r)}, with {@code M} from
 * {@code CDi_j}, else {@code CDELTi * PCi_j}, else {@code CDELTi} with the {@code CROTA2} rotation (Paper II eq.
 * 189). Projections (Paper II section 5): zenithal SIN (with PV2_1, PV2_2, so NCP too), TAN, ARC, ZEA, STG;
 * cylindrical CAR, MER; pseudo-cylindrical SFL/GLS; AIT. Frames: equatorial (RA/DEC), galactic (GLON/GLAT),
 * ecliptic (ELON/ELAT) and any other xLON/xLAT pair; a position angle is measured in the file's own frame.
 *
 * <p>Pixel coordinates here are 0-based array indices ({@code x} along NAXIS1 of the celestial pair); FITS
 * pixel coordinates are those plus one.
 */
public final class CelestialWcs implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double D2R = Math.PI / 180;
    private static final double R2D = 180 / Math.PI;

    private final int lonAxis; // 1-based FITS axis numbers
    private final int latAxis;
    private final String lonType;
    private final String latType;
    private final String projection;
    private final double crpixLon; // CRPIX1 and CRPIX2: the celestial axes are the first two
    private final double crpixLat;
    private final double[] matrix; // row-major 2x2 in FITS axis order: intermediate (axis 1, 2) from pixel offsets
    private final double pv1;
    private final double pv2;
    private final double alphaP; // celestial coordinates of the native pole, degrees
    private final double deltaP;
    private final double phiP; // native longitude of the celestial pole (LONPOLE)
    private final double phi0;
    private final double theta0;

    private CelestialWcs(Header h, int lonAxis, int latAxis, String source) {
        this.lonAxis = lonAxis;
        this.latAxis = latAxis;
        String lt = FitsCards.stringValue(h, "CTYPE" + lonAxis)
                .toUpperCase(Locale.ROOT)
                .strip();
        String bt = FitsCards.stringValue(h, "CTYPE" + latAxis)
                .toUpperCase(Locale.ROOT)
                .strip();
        this.lonType = lt;
        this.latType = bt;
        String code = lt.length() >= 8 ? lt.substring(5, 8) : "";
        if (!code.equals(bt.length() >= 8 ? bt.substring(5, 8) : "")) {
            throw new IllegalArgumentException(source + ": CTYPE" + lonAxis + " '" + lt + "' and CTYPE" + latAxis + " '"
                    + bt + "' name different projections");
        }
        this.projection = code.equals("GLS") ? "SFL" : code;
        if (!java.util.Set.of("SIN", "NCP", "TAN", "ARC", "ZEA", "STG", "CAR", "MER", "SFL", "AIT")
                .contains(projection)) {
            throw new IllegalArgumentException(source + ": projection '" + code
                    + "' is not supported (SIN, NCP, TAN, ARC, ZEA, STG, CAR, MER," + " SFL/GLS, AIT)");
        }
        for (int axis : new int[] {lonAxis, latAxis}) {
            String unit = FitsCards.stringValue(h, "CUNIT" + axis);
            if (unit != null
                    && !unit.isBlank()
                    && !unit.strip().toLowerCase(Locale.ROOT).startsWith("deg")) {
                throw new IllegalArgumentException(
                        source + ": CUNIT" + axis + " = '" + unit + "'; celestial axes must be in degrees");
            }
        }
        crpixLon = FitsCards.doubleValue(h, "CRPIX1", 0);
        crpixLat = FitsCards.doubleValue(h, "CRPIX2", 0);
        matrix = linearMatrix(h, 1, 2, source);
        double crvalLon = FitsCards.doubleValue(h, "CRVAL" + lonAxis, 0);
        double crvalLat = FitsCards.doubleValue(h, "CRVAL" + latAxis, 0);
        boolean zenithal =
                java.util.Set.of("SIN", "NCP", "TAN", "ARC", "ZEA", "STG").contains(projection);
        phi0 = 0;
        theta0 = zenithal ? 90 : 0;
        if (projection.equals("NCP")) {
            // NCP is SIN with xi = 0, eta = cot(delta_0) (Paper II section 5.1.5).
            pv1 = 0;
            pv2 = Math.cos(crvalLat * D2R) / Math.sin(crvalLat * D2R);
        } else if (projection.equals("SIN")) {
            pv1 = FitsCards.doubleValue(h, "PV" + latAxis + "_1", 0);
            pv2 = FitsCards.doubleValue(h, "PV" + latAxis + "_2", 0);
        } else {
            pv1 = 0;
            pv2 = 0;
        }
        double defaultLonpole = crvalLat >= theta0 ? 0 : 180;
        phiP = FitsCards.doubleValue(h, "LONPOLE", defaultLonpole);
        double latpole = FitsCards.doubleValue(h, "LATPOLE", 90);
        if (zenithal) {
            alphaP = crvalLon;
            deltaP = crvalLat;
        } else {
            double[] pole = nativePole(crvalLon, crvalLat, phiP, phi0, theta0, latpole);
            alphaP = pole[0];
            deltaP = pole[1];
        }
    }

    /**
     * The celestial WCS of a header: the two axes whose CTYPEs are a longitude/latitude pair (RA/DEC, GLON/GLAT,
     * ELON/ELAT, xLON/xLAT).
     *
     * @param source the file, for messages
     * @throws IllegalArgumentException if the header has no celestial pair, or an unsupported projection
     */
    public static CelestialWcs of(Header h, String source) {
        int naxis = h.getIntValue("NAXIS", 0);
        int lon = 0;
        int lat = 0;
        for (int i = 1; i <= Math.max(naxis, h.getIntValue("WCSAXES", naxis)); i++) {
            String t = FitsCards.stringValue(h, "CTYPE" + i);
            if (t == null) {
                continue;
            }
            String head = t.toUpperCase(Locale.ROOT);
            head = head.length() >= 4 ? head.substring(0, 4) : head;
            if (head.equals("RA--") || head.equals("RA") || head.endsWith("LON")) {
                lon = i;
            } else if (head.equals("DEC-") || head.equals("DEC") || head.endsWith("LAT")) {
                lat = i;
            }
        }
        if (lon == 0 || lat == 0) {
            throw new IllegalArgumentException(source + ": no celestial axis pair (CTYPEi RA---xxx/DEC--xxx,"
                    + " GLON-xxx/GLAT-xxx, ...) in the header");
        }
        if (lon + lat != 3) {
            throw new IllegalArgumentException(source + ": the celestial axes are " + lon + " and " + lat
                    + "; magmap reads images whose first two axes are the sky");
        }
        return new CelestialWcs(h, lon, lat, source);
    }

    private static double[] linearMatrix(Header h, int i, int j, String source) {
        boolean cd = h.containsKey("CD" + i + "_" + i)
                || h.containsKey("CD" + i + "_" + j)
                || h.containsKey("CD" + j + "_" + i)
                || h.containsKey("CD" + j + "_" + j);
        if (cd) {
            return new double[] {
                FitsCards.doubleValue(h, "CD" + i + "_" + i, 0), FitsCards.doubleValue(h, "CD" + i + "_" + j, 0),
                FitsCards.doubleValue(h, "CD" + j + "_" + i, 0), FitsCards.doubleValue(h, "CD" + j + "_" + j, 0)
            };
        }
        double ci = FitsCards.doubleValue(h, "CDELT" + i, 1);
        double cj = FitsCards.doubleValue(h, "CDELT" + j, 1);
        boolean pc = h.containsKey("PC" + i + "_" + i)
                || h.containsKey("PC" + i + "_" + j)
                || h.containsKey("PC" + j + "_" + i)
                || h.containsKey("PC" + j + "_" + j);
        if (pc) {
            return new double[] {
                ci * FitsCards.doubleValue(h, "PC" + i + "_" + i, 1),
                        ci * FitsCards.doubleValue(h, "PC" + i + "_" + j, 0),
                cj * FitsCards.doubleValue(h, "PC" + j + "_" + i, 0),
                        cj * FitsCards.doubleValue(h, "PC" + j + "_" + j, 1)
            };
        }
        // CROTA on the latitude axis (Paper II eq. 189); a CROTA on the longitude axis alone is its legacy twin.
        double rho = FitsCards.doubleValue(h, "CROTA" + j, FitsCards.doubleValue(h, "CROTA" + i, 0)) * D2R;
        if (ci == 0 || cj == 0) {
            throw new IllegalArgumentException(source + ": CDELT" + i + " or CDELT" + j + " is zero");
        }
        return new double[] {ci * Math.cos(rho), -cj * Math.sin(rho), ci * Math.sin(rho), cj * Math.cos(rho)};
    }

    /** The celestial coordinates of the native pole (Paper II eqs. 8-10), for projections with theta_0 != 90. */
    private static double[] nativePole(
            double alpha0, double delta0, double phiP, double phi0, double theta0, double latpole) {
        double dphi = (phiP - phi0) * D2R;
        double t0 = theta0 * D2R;
        double d0 = delta0 * D2R;
        double base = Math.atan2(Math.sin(t0), Math.cos(t0) * Math.cos(dphi));
        double s = Math.sqrt(1 - Math.pow(Math.cos(t0) * Math.sin(dphi), 2));
        double c = Math.acos(Math.max(-1, Math.min(1, Math.sin(d0) / s)));
        double first = (base + c) * R2D;
        double second = (base - c) * R2D;
        boolean firstOk = first >= -90 - 1e-10 && first <= 90 + 1e-10;
        boolean secondOk = second >= -90 - 1e-10 && second <= 90 + 1e-10;
        double deltaP;
        if (firstOk && secondOk) {
            deltaP = Math.abs(first - latpole) <= Math.abs(second - latpole) ? first : second;
        } else {
            deltaP = firstOk ? first : second;
        }
        deltaP = Math.max(-90, Math.min(90, deltaP));
        double alphaP;
        if (deltaP >= 90 - 1e-10) {
            alphaP = alpha0 + phiP - phi0 - 180; // Paper II eq. 10, the pole cases
        } else if (deltaP <= -90 + 1e-10) {
            alphaP = alpha0 - phiP + phi0;
        } else {
            double dp = deltaP * D2R;
            alphaP = alpha0
                    - Math.atan2(
                                    Math.sin(dphi) * Math.cos(t0) / Math.cos(d0),
                                    (Math.sin(t0) - Math.sin(dp) * Math.sin(d0)) / (Math.cos(dp) * Math.cos(d0)))
                            * R2D;
        }
        return new double[] {alphaP, deltaP};
    }

    /** The FITS axis numbers (1-based) of the longitude and the latitude axes. */
    public int[] axes() {
        return new int[] {lonAxis, latAxis};
    }

    /** The pixel size in degrees: the square root of the linear step's area scale at the reference point. */
    public double pixelScaleDeg() {
        return Math.sqrt(Math.abs(matrix[0] * matrix[3] - matrix[1] * matrix[2]));
    }

    /** The projection code (NCP and GLS as given in the file are read as SIN and SFL). */
    public String projection() {
        return projection;
    }

    /** The frame's name from the CTYPEs: "equatorial", "galactic", "ecliptic" or the CTYPE's own prefix. */
    public String frame() {
        if (lonType.startsWith("RA")) {
            return "equatorial";
        }
        if (lonType.startsWith("GLON")) {
            return "galactic";
        }
        if (lonType.startsWith("ELON")) {
            return "ecliptic";
        }
        return lonType.substring(0, Math.min(4, lonType.length())).replace("-", "");
    }

    /**
     * Sky coordinates of a pixel: (longitude, latitude) in degrees, longitude in [0, 360); NaN for a pixel
     * outside the projection's domain.
     *
     * @param x 0-based index along NAXIS1
     * @param y 0-based index along NAXIS2
     */
    public double[] pixelToWorld(double x, double y) {
        // FITS pixels are 1-based: index x is pixel x + 1.
        double px = x + 1 - crpixLon;
        double py = y + 1 - crpixLat;
        double i1 = matrix[0] * px + matrix[1] * py;
        double i2 = matrix[2] * px + matrix[3] * py;
        double[] nat = lonAxis == 1 ? deproject(i1, i2) : deproject(i2, i1);
        if (nat == null) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return celestial(nat[0], nat[1]);
    }

    /** Native (phi, theta) in degrees of intermediate world coordinates (x, y) in degrees; null outside. */
    private double[] deproject(double x, double y) {
        switch (projection) {
            case "TAN", "ARC", "ZEA", "STG" -> {
                double r = Math.hypot(x, y);
                double phi = r == 0 ? 0 : Math.atan2(x, -y) * R2D;
                double theta =
                        switch (projection) {
                            case "TAN" -> Math.atan2(R2D, r) * R2D;
                            case "ARC" -> 90 - r;
                            case "ZEA" -> {
                                double a = r * D2R / 2;
                                yield a > 1 ? Double.NaN : 90 - 2 * Math.asin(a) * R2D;
                            }
                            default -> 90 - 2 * Math.atan(r * D2R / 2) * R2D; // STG
                        };
                return Double.isNaN(theta) ? null : new double[] {phi, theta};
            }
            case "SIN", "NCP" -> {
                // Paper II eqs. 38-45: the generalised orthographic projection.
                double xx = x * D2R;
                double yy = y * D2R;
                double xi = pv1;
                double eta = pv2;
                double sinTheta;
                if (xi == 0 && eta == 0) {
                    double r2 = xx * xx + yy * yy;
                    if (r2 > 1) {
                        return null;
                    }
                    sinTheta = Math.sqrt(1 - r2);
                } else {
                    double a = xi * xi + eta * eta + 1;
                    double b = xi * (xx - xi) + eta * (yy - eta);
                    double c = (xx - xi) * (xx - xi) + (yy - eta) * (yy - eta) - 1;
                    double disc = b * b - a * c;
                    if (disc < 0) {
                        return null;
                    }
                    double s1 = (-b + Math.sqrt(disc)) / a;
                    double s2 = (-b - Math.sqrt(disc)) / a;
                    // The root nearer the native pole (theta near 90).
                    sinTheta = Math.abs(s1 - 1) <= Math.abs(s2 - 1) ? s1 : s2;
                    if (sinTheta > 1 || sinTheta < -1) {
                        return null;
                    }
                }
                double k = 1 - sinTheta;
                double phi = Math.atan2(xx - xi * k, -(yy - eta * k)) * R2D;
                return new double[] {phi, Math.asin(sinTheta) * R2D};
            }
            case "CAR" -> {
                return new double[] {x, y};
            }
            case "MER" -> {
                return new double[] {x, (2 * Math.atan(Math.exp(y * D2R)) - Math.PI / 2) * R2D};
            }
            case "SFL" -> {
                double c = Math.cos(y * D2R);
                return c == 0 ? new double[] {0, y} : new double[] {x / c, y};
            }
            case "AIT" -> {
                double zz = 1 - Math.pow(x * D2R / 4, 2) - Math.pow(y * D2R / 2, 2);
                if (zz < 0.5) {
                    return null;
                }
                double z = Math.sqrt(zz);
                double phi = 2 * Math.atan2(z * x * D2R / 2, 2 * zz - 1) * R2D;
                double theta = Math.asin(Math.max(-1, Math.min(1, y * D2R * z))) * R2D;
                return new double[] {phi, theta};
            }
            default -> throw new IllegalStateException(projection);
        }
    }

    /** Celestial (lon, lat) of native (phi, theta), Paper II eq. 2. */
    private double[] celestial(double phiDeg, double thetaDeg) {
        double phi = phiDeg * D2R;
        double theta = thetaDeg * D2R;
        double dp = deltaP * D2R;
        double dphi = phi - phiP * D2R;
        double sinDelta = Math.sin(theta) * Math.sin(dp) + Math.cos(theta) * Math.cos(dp) * Math.cos(dphi);
        double lat = Math.asin(Math.max(-1, Math.min(1, sinDelta))) * R2D;
        double lon = alphaP
                + Math.atan2(
                                -Math.cos(theta) * Math.sin(dphi),
                                Math.sin(theta) * Math.cos(dp) - Math.cos(theta) * Math.sin(dp) * Math.cos(dphi))
                        * R2D;
        lon = ((lon % 360) + 360) % 360;
        return new double[] {lon, lat};
    }

    /**
     * The pixel of a sky position, the inverse of {@link #pixelToWorld}: 0-based (x, y), fractional; NaN where the
     * position has no pixel (the far side of a zenithal projection, beyond AIT's ellipse).
     *
     * @param lonDeg longitude in the file's frame, degrees
     * @param latDeg latitude, degrees
     */
    public double[] worldToPixel(double lonDeg, double latDeg) {
        double[] nat = nativeOf(lonDeg, latDeg);
        double[] xy = project(nat[0], nat[1]);
        if (xy == null) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double i1 = lonAxis == 1 ? xy[0] : xy[1];
        double i2 = lonAxis == 1 ? xy[1] : xy[0];
        double det = matrix[0] * matrix[3] - matrix[1] * matrix[2];
        double px = (matrix[3] * i1 - matrix[1] * i2) / det;
        double py = (-matrix[2] * i1 + matrix[0] * i2) / det;
        return new double[] {px + crpixLon - 1, py + crpixLat - 1};
    }

    /** Native (phi, theta) of celestial (lon, lat), Paper II eq. 5; phi in (-180, 180]. */
    private double[] nativeOf(double lonDeg, double latDeg) {
        double a = (lonDeg - alphaP) * D2R;
        double d = latDeg * D2R;
        double dp = deltaP * D2R;
        double sinTheta = Math.sin(d) * Math.sin(dp) + Math.cos(d) * Math.cos(dp) * Math.cos(a);
        double east = -Math.cos(d) * Math.sin(a); // cos(theta) sin(phi - phi_p)
        double north = Math.sin(d) * Math.cos(dp) - Math.cos(d) * Math.sin(dp) * Math.cos(a); // cos(theta) cos(..)
        // theta from atan2, not asin: near the reference point sin(theta) is 1 to within rounding.
        double theta = Math.atan2(sinTheta, Math.hypot(east, north)) * R2D;
        double phi = phiP + Math.atan2(east, north) * R2D;
        phi = phi - 360 * Math.floor((phi + 180) / 360);
        return new double[] {phi == -180 ? 180 : phi, theta};
    }

    /** Intermediate (x, y) in degrees of native (phi, theta): the projections of Paper II section 5; null outside. */
    private double[] project(double phiDeg, double thetaDeg) {
        double phi = phiDeg * D2R;
        double theta = thetaDeg * D2R;
        switch (projection) {
            case "TAN", "ARC", "ZEA", "STG" -> {
                double r =
                        switch (projection) {
                            case "TAN" -> thetaDeg <= 0 ? Double.NaN : R2D / Math.tan(theta); // eq. 54
                            case "ARC" -> 90 - thetaDeg; // eq. 80
                            case "ZEA" -> R2D * Math.sqrt(2 * (1 - Math.sin(theta))); // eq. 68
                            default -> thetaDeg <= -90 ? Double.NaN : 2 * R2D * Math.tan((90 - thetaDeg) * D2R / 2);
                        };
                return Double.isNaN(r) ? null : new double[] {r * Math.sin(phi), -r * Math.cos(phi)}; // eqs. 12-13
            }
            case "SIN", "NCP" -> {
                // eqs. 43-44; the far hemisphere has no pixel unless the projection is slanted.
                double k = 1 - Math.sin(theta);
                if (pv1 == 0 && pv2 == 0 && thetaDeg < 0) {
                    return null;
                }
                return new double[] {
                    R2D * (Math.cos(theta) * Math.sin(phi) + pv1 * k),
                    -R2D * (Math.cos(theta) * Math.cos(phi) - pv2 * k)
                };
            }
            case "CAR" -> {
                return new double[] {phiDeg, thetaDeg}; // eqs. 84-85
            }
            case "MER" -> {
                return Math.abs(thetaDeg) >= 90
                        ? null
                        : new double[] {phiDeg, R2D * Math.log(Math.tan((90 + thetaDeg) * D2R / 2))}; // eqs. 86-87
            }
            case "SFL" -> {
                return new double[] {phiDeg * Math.cos(theta), thetaDeg}; // eqs. 90-91
            }
            case "AIT" -> {
                double g = R2D * Math.sqrt(2 / (1 + Math.cos(theta) * Math.cos(phi / 2))); // eqs. 103-105
                return new double[] {2 * g * Math.cos(theta) * Math.sin(phi / 2), g * Math.sin(theta)};
            }
            default -> throw new IllegalStateException(projection);
        }
    }

    /**
     * The position angle, east of north in the file's frame (IAU), of a direction drawn on the image: the
     * direction at {@code pixelAngleDeg} from the +x axis towards +y at pixel (x, y), mapped through the local
     * derivative of pixel to sky. Degrees in [0, 180) for an orientation (psi is one); NaN outside the
     * projection.
     */
    public double positionAngleDeg(double x, double y, double pixelAngleDeg) {
        double h = 0.01;
        double[] w0 = pixelToWorld(x - h, y);
        double[] w1 = pixelToWorld(x + h, y);
        double[] v0 = pixelToWorld(x, y - h);
        double[] v1 = pixelToWorld(x, y + h);
        double[] c = pixelToWorld(x, y);
        double cosLat = Math.cos(c[1] * D2R);
        // East and north components of a unit step along +x and along +y.
        double ex = wrap(w1[0] - w0[0]) * cosLat / (2 * h);
        double nx = (w1[1] - w0[1]) / (2 * h);
        double ey = wrap(v1[0] - v0[0]) * cosLat / (2 * h);
        double ny = (v1[1] - v0[1]) / (2 * h);
        double a = pixelAngleDeg * D2R;
        double east = ex * Math.cos(a) + ey * Math.sin(a);
        double north = nx * Math.cos(a) + ny * Math.sin(a);
        double pa = Math.atan2(east, north) * R2D;
        return ((pa % 180) + 180) % 180;
    }

    private static double wrap(double dLon) {
        return dLon > 180 ? dLon - 360 : dLon < -180 ? dLon + 360 : dLon;
    }

    /**
     * The header cards of this WCS for a 2D image of the celestial plane (WCSAXES = 2): axes renumbered 1 and 2,
     * everything else the input's own values, so the output overlays the input in any viewer.
     */
    public org.magmap.fits.FitsCards cards(Header h) {
        org.magmap.fits.FitsCards c = new org.magmap.fits.FitsCards();
        c.add("WCSAXES", 2L, "celestial axes only");
        for (int n = 1; n <= 2; n++) {
            int a = n;
            c.add("CTYPE" + n, FitsCards.stringValue(h, "CTYPE" + a), null);
            c.add("CRPIX" + n, FitsCards.doubleValue(h, "CRPIX" + a, 0), null);
            c.add("CRVAL" + n, FitsCards.doubleValue(h, "CRVAL" + a, 0), null);
            String unit = FitsCards.stringValue(h, "CUNIT" + a);
            c.add("CUNIT" + n, unit == null || unit.isBlank() ? "deg" : unit, null);
        }
        // The linear step written as CDi_j: the same matrix, whichever way the input gave it.
        c.add("CD1_1", matrix[0], null)
                .add("CD1_2", matrix[1], null)
                .add("CD2_1", matrix[2], null)
                .add("CD2_2", matrix[3], null);
        for (String key : new String[] {"LONPOLE", "LATPOLE", "RADESYS", "EQUINOX", "EPOCH", "DATE-OBS", "MJD-OBS"}) {
            if (h.containsKey(key)) {
                var card = h.findCard(key);
                if (card.isStringValue()) {
                    c.add(key, card.getValue(), card.getComment());
                } else {
                    c.add(key, FitsCards.doubleValue(h, key, Double.NaN), card.getComment());
                }
            }
        }
        if (projection.equals("SIN") && (pv1 != 0 || pv2 != 0)) {
            c.add("PV2_1", pv1, null).add("PV2_2", pv2, null);
        }
        return c;
    }
}
