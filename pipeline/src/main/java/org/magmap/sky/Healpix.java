package org.magmap.sky;

/**
 * HEALPix pixel indexing (Gorski et al. 2005, ApJ 622, 759): sky position to pixel and pixel centre to sky
 * position, in the RING and NESTED schemes, for NSIDE a power of 2 up to 2^29. Positions are (longitude, latitude)
 * in degrees, so colatitude theta = 90 - latitude and phi = longitude.
 *
 * <p>The arithmetic follows the paper's section 4 (the equatorial zone |z| <= 2/3 with its 4 NSIDE pixels per
 * ring, the polar caps with 4 i pixels in ring i, and the twelve base-resolution faces the NESTED scheme
 * subdivides by bit interleaving). No HEALPix library for Java is served here; these functions are checked
 * against healpy's published values and against each other.
 */
public final class Healpix {
    private static final int[] JRLL = {2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4}; // the faces' ring offsets
    private static final int[] JPLL = {1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7}; // and longitude offsets

    private Healpix() {}

    /** The pixel ordering schemes of the HEALPix FITS convention (ORDERING). */
    public enum Ordering {
        RING,
        NESTED
    }

    /**
     * Checks an NSIDE.
     *
     * @throws IllegalArgumentException unless it is a power of 2 in [1, 2^29]
     */
    public static void check(long nside) {
        if (nside < 1 || nside > (1L << 29) || (nside & (nside - 1)) != 0) {
            throw new IllegalArgumentException("NSIDE must be a power of 2 from 1 to 2^29, got " + nside);
        }
    }

    /** 12 NSIDE^2. */
    public static long pixels(long nside) {
        return 12 * nside * nside;
    }

    /** The order k of NSIDE = 2^k. */
    public static int order(long nside) {
        check(nside);
        return Long.numberOfTrailingZeros(nside);
    }

    /** The mean pixel side, sqrt(4 pi / 12 NSIDE^2), in degrees. */
    public static double resolutionDeg(long nside) {
        return Math.toDegrees(Math.sqrt(4 * Math.PI / pixels(nside)));
    }

    /** The pixel holding (lon, lat), in degrees. */
    public static long pixel(long nside, Ordering ordering, double lonDeg, double latDeg) {
        double z = Math.sin(Math.toRadians(latDeg));
        double phi = Math.toRadians(lonDeg);
        return ordering == Ordering.RING ? ring(nside, z, phi) : nested(nside, z, phi);
    }

    /** The centre of a pixel, {lon, lat} in degrees, lon in [0, 360). */
    public static double[] centre(long nside, Ordering ordering, long pixel) {
        double[] zphi = ordering == Ordering.RING ? ringCentre(nside, pixel) : nestedCentre(nside, pixel);
        double lat = Math.toDegrees(Math.asin(Math.max(-1, Math.min(1, zphi[0]))));
        double lon = Math.toDegrees(zphi[1]);
        lon = ((lon % 360) + 360) % 360;
        return new double[] {lon, lat};
    }

    /** A NESTED pixel's index in the RING scheme. */
    public static long nestedToRing(long nside, long pixel) {
        double[] zphi = nestedCentre(nside, pixel);
        return ring(nside, zphi[0], zphi[1]);
    }

    /** A RING pixel's index in the NESTED scheme. */
    public static long ringToNested(long nside, long pixel) {
        double[] zphi = ringCentre(nside, pixel);
        return nested(nside, zphi[0], zphi[1]);
    }

    /** phi / (pi/2) in [0, 4). */
    private static double tt(double phi) {
        double t = (phi / (Math.PI / 2)) % 4;
        return t < 0 ? t + 4 : t;
    }

    private static long ring(long nside, double z, double phi) {
        double za = Math.abs(z);
        double tt = tt(phi);
        long nl4 = 4 * nside;
        if (za <= 2.0 / 3) { // equatorial zone (paper eqs. 8-9 inverted)
            double t1 = nside * (0.5 + tt);
            double t2 = nside * z * 0.75;
            long jp = (long) (t1 - t2); // index of the ascending edge line
            long jm = (long) (t1 + t2); // and of the descending one
            long ir = nside + 1 + jp - jm; // ring from z = 2/3, in [1, 2 nside + 1]
            long kshift = 1 - (ir & 1);
            long ip = ((jp + jm - nside + kshift + 1 + 2 * nl4) >> 1) % nl4; // kept positive before halving
            return 2 * nside * (nside - 1) + (ir - 1) * nl4 + ip;
        }
        double tp = tt - Math.floor(tt);
        double tmp = nside * Math.sqrt(3 * (1 - za)); // polar caps (eqs. 10-11)
        long jp = (long) (tp * tmp);
        long jm = (long) ((1 - tp) * tmp);
        long ir = jp + jm + 1; // ring from the nearer pole
        long ip = Math.floorMod((long) (tt * ir), 4 * ir);
        return z > 0 ? 2 * ir * (ir - 1) + ip : pixels(nside) - 2 * ir * (ir + 1) + ip;
    }

    private static long nested(long nside, double z, double phi) {
        double za = Math.abs(z);
        double tt = tt(phi);
        int face;
        long ix;
        long iy;
        if (za <= 2.0 / 3) {
            double t1 = nside * (0.5 + tt);
            double t2 = nside * z * 0.75;
            long jp = (long) (t1 - t2);
            long jm = (long) (t1 + t2);
            long ifp = jp / nside; // which base-pixel lines
            long ifm = jm / nside;
            face = (int) (ifp == ifm ? (ifp | 4) : (ifp < ifm ? ifp : ifm + 8));
            ix = jm & (nside - 1);
            iy = nside - (jp & (nside - 1)) - 1;
        } else {
            int ntt = Math.min(3, (int) tt);
            double tp = tt - ntt;
            double tmp = nside * Math.sqrt(3 * (1 - za));
            long jp = Math.min(nside - 1, (long) (tp * tmp));
            long jm = Math.min(nside - 1, (long) ((1 - tp) * tmp));
            if (z >= 0) {
                face = ntt;
                ix = nside - jm - 1;
                iy = nside - jp - 1;
            } else {
                face = ntt + 8;
                ix = jp;
                iy = jm;
            }
        }
        return face * nside * nside + interleave(ix, iy);
    }

    /** {z, phi} of a RING pixel's centre. */
    private static double[] ringCentre(long nside, long pix) {
        long npix = pixels(nside);
        if (pix < 0 || pix >= npix) {
            throw new IllegalArgumentException("pixel " + pix + " is outside NSIDE " + nside + "'s " + npix);
        }
        long ncap = 2 * nside * (nside - 1);
        double fact2 = 4.0 / npix;
        if (pix < ncap) { // north polar cap
            long iring = (1 + isqrt(1 + 2 * pix)) >> 1;
            long iphi = pix + 1 - 2 * iring * (iring - 1);
            return new double[] {1 - iring * iring * fact2, (iphi - 0.5) * Math.PI / (2 * iring)};
        }
        if (pix < npix - ncap) { // equatorial zone
            long ip = pix - ncap;
            long iring = ip / (4 * nside) + nside;
            long iphi = ip % (4 * nside) + 1;
            double fodd = ((iring + nside) & 1) != 0 ? 1 : 0.5;
            return new double[] {(2 * nside - iring) * 2.0 / (3 * nside), (iphi - fodd) * Math.PI / (2 * nside)};
        }
        long ip = npix - pix; // south polar cap
        long iring = (1 + isqrt(2 * ip - 1)) >> 1;
        long iphi = 4 * iring + 1 - (ip - 2 * iring * (iring - 1));
        return new double[] {-1 + iring * iring * fact2, (iphi - 0.5) * Math.PI / (2 * iring)};
    }

    /** {z, phi} of a NESTED pixel's centre. */
    private static double[] nestedCentre(long nside, long pix) {
        long npface = nside * nside;
        if (pix < 0 || pix >= 12 * npface) {
            throw new IllegalArgumentException("pixel " + pix + " is outside NSIDE " + nside + "'s " + 12 * npface);
        }
        int face = (int) (pix / npface);
        long ipf = pix % npface;
        long ix = deinterleave(ipf);
        long iy = deinterleave(ipf >> 1);
        long jr = JRLL[face] * nside - ix - iy - 1; // ring index, 1 to 4 nside - 1
        long nr;
        double z;
        long kshift;
        double fact2 = 4.0 / (12 * npface);
        if (jr < nside) {
            nr = jr;
            z = 1 - nr * nr * fact2;
            kshift = 0;
        } else if (jr > 3 * nside) {
            nr = 4 * nside - jr;
            z = nr * nr * fact2 - 1;
            kshift = 0;
        } else {
            nr = nside;
            z = (2 * nside - jr) * 2.0 / (3 * nside);
            kshift = (jr - nside) & 1;
        }
        long jp = (JPLL[face] * nr + ix - iy + 1 + kshift) / 2;
        if (jp > 4 * nside) {
            jp -= 4 * nside;
        }
        if (jp < 1) {
            jp += 4 * nside;
        }
        return new double[] {z, (jp - (kshift + 1) * 0.5) * (Math.PI / 2 / nr)};
    }

    private static long isqrt(long v) {
        long r = (long) Math.sqrt((double) v);
        while (r * r > v) {
            r--;
        }
        while ((r + 1) * (r + 1) <= v) {
            r++;
        }
        return r;
    }

    /** x in the even bits, y in the odd ones. */
    private static long interleave(long x, long y) {
        return spread(x) | (spread(y) << 1);
    }

    private static long spread(long v) {
        long out = 0;
        for (int b = 0; b < 30; b++) {
            out |= ((v >> b) & 1L) << (2 * b);
        }
        return out;
    }

    /** The even bits of v, packed. */
    private static long deinterleave(long v) {
        long out = 0;
        for (int b = 0; b < 30; b++) {
            out |= ((v >> (2 * b)) & 1L) << b;
        }
        return out;
    }

    /**
     * An upper bound on the angular distance, in degrees, from a pixel's centre to any point of the pixel at this
     * NSIDE (the pixels are elongated near the poles and the face corners): used to decide which pixels a disc
     * can reach, so it errs large.
     */
    public static double maxRadiusDeg(long nside) {
        return 1.5 * resolutionDeg(nside) + 1e-9;
    }
}
