package org.magmap.sky;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.magmap.sky.Healpix.Ordering;

/**
 * magmap's HEALPix indexing against the values healpy's documentation prints (healpy.pixelfunc docstrings:
 * pix2ang, ang2pix, ring2nest, nest2ring), and against the scheme's own properties: every pixel's centre lies in
 * it, the two orderings name the same pixels, and random points fill the pixels equally (equal areas).
 */
class HealpixTest {
    private static double lat(double thetaRad) {
        return 90 - Math.toDegrees(thetaRad);
    }

    @Test
    void pixelCentresAreHealpysValues() {
        // hp.pix2ang(16, [1440, 427, 1520, 0, 3068]) -> (theta, phi)
        long[] pix = {1440, 427, 1520, 0, 3068};
        double[] theta = {1.52911759, 0.78550497, 1.57079633, 0.05103658, 3.09055608};
        double[] phi = {0, 0.78539816, 1.61988371, 0.78539816, 0.78539816};
        for (int k = 0; k < pix.length; k++) {
            double[] c = Healpix.centre(16, Ordering.RING, pix[k]);
            assertEquals(lat(theta[k]), c[1], 1e-6, "lat of " + pix[k]);
            assertEquals(Math.toDegrees(phi[k]), c[0], 1e-6, "lon of " + pix[k]);
        }
        assertEquals(lat(1.5291175943723188), Healpix.centre(16, Ordering.RING, 1440)[1], 1e-12);
        // hp.pix2ang([1, 2, 4, 8], 11, lonlat=True): lon 315, 337.5, 337.5, 337.5; lat as below
        long[] nsides = {1, 2, 4, 8};
        double[] lons = {315, 337.5, 337.5, 337.5};
        double[] lats = {-41.8103149, 41.8103149, 66.44353569, 78.28414761};
        for (int k = 0; k < 4; k++) {
            double[] c = Healpix.centre(nsides[k], Ordering.RING, 11);
            assertEquals(lons[k], c[0], 1e-6);
            assertEquals(lats[k], c[1], 1e-6);
        }
    }

    @Test
    void pixelsOfPositionsAreHealpys() {
        // hp.ang2pix(16, [pi/2, pi/4, pi/2, 0, pi], [0, pi/4, pi/2 + 1e-15, 0, 0]) -> [1440, 427, 1520, 0, 3068]. The
        // first and third are on pixel corners, where the rounding of healpy's z = cos(pi/2) = 6e-17 decides: the
        // first is taken just north of the equator here, the third (phi just past pi/2) on it.
        assertEquals(1440, Healpix.pixel(16, Ordering.RING, 0, 1e-12));
        assertEquals(427, Healpix.pixel(16, Ordering.RING, 45, lat(Math.PI / 4)));
        assertEquals(1520, Healpix.pixel(16, Ordering.RING, Math.toDegrees(Math.PI / 2 + 1e-15), 0));
        assertEquals(0, Healpix.pixel(16, Ordering.RING, 0, 90));
        assertEquals(3068, Healpix.pixel(16, Ordering.RING, 0, -90));
        // hp.vec2pix(nside, 1, 0, 0): the equator itself (z = 0) at phi = 0 -> 4, 20, 88, 368 and 1504 for 1 to 16.
        long[] expected = {4, 20, 88, 368, 1504};
        for (int k = 0; k < 5; k++) {
            assertEquals(expected[k], Healpix.pixel(1L << k, Ordering.RING, 0, 0));
        }
        // hp.ang2pix([1, 2, 4, 8, 16], 0, 0, lonlat=True) -> [4, 12, 72, 336, 1440], again from z = 6e-17.
        long[] north = {4, 12, 72, 336, 1440};
        for (int k = 0; k < 5; k++) {
            assertEquals(north[k], Healpix.pixel(1L << k, Ordering.RING, 0, 1e-12));
        }
    }

    @Test
    void orderingConversionsAreHealpys() {
        // hp.ring2nest(2, arange(10)) and hp.nest2ring(2, arange(10))
        long[] r2n = {3, 7, 11, 15, 2, 1, 6, 5, 10, 9};
        long[] n2r = {13, 5, 4, 0, 15, 7, 6, 1, 17, 9};
        for (int p = 0; p < 10; p++) {
            assertEquals(r2n[p], Healpix.ringToNested(2, p), "ring2nest " + p);
            assertEquals(n2r[p], Healpix.nestedToRing(2, p), "nest2ring " + p);
        }
        assertEquals(1130, Healpix.ringToNested(16, 1504));
        assertEquals(1504, Healpix.nestedToRing(16, 1130));
        long[] nsides = {1, 2, 4, 8};
        long[] r2n11 = {11, 13, 61, 253};
        long[] n2r11 = {11, 2, 12, 211};
        for (int k = 0; k < 4; k++) {
            assertEquals(r2n11[k], Healpix.ringToNested(nsides[k], 11));
            assertEquals(n2r11[k], Healpix.nestedToRing(nsides[k], 11));
        }
    }

    @Test
    void everyCentreLiesInItsPixelAndTheOrderingsArePermutations() {
        for (long nside : new long[] {1, 2, 8, 64}) {
            long n = Healpix.pixels(nside);
            boolean[] seen = new boolean[(int) n];
            for (long p = 0; p < n; p++) {
                for (Ordering o : Ordering.values()) {
                    double[] c = Healpix.centre(nside, o, p);
                    assertEquals(p, Healpix.pixel(nside, o, c[0], c[1]), o + " nside " + nside + " pixel " + p);
                }
                long r = Healpix.nestedToRing(nside, p);
                assertTrue(!seen[(int) r], "ring pixel " + r + " named twice");
                seen[(int) r] = true;
                assertEquals(p, Healpix.ringToNested(nside, r));
            }
        }
        // And at a survey's NSIDE, sampled.
        long nside = 1L << 12;
        Random rng = new Random(3);
        for (int k = 0; k < 20000; k++) {
            long p = (long) (rng.nextDouble() * Healpix.pixels(nside));
            for (Ordering o : Ordering.values()) {
                double[] c = Healpix.centre(nside, o, p);
                assertEquals(p, Healpix.pixel(nside, o, c[0], c[1]));
            }
        }
    }

    @Test
    void uniformPointsFillThePixelsEquallyAndStayWithinTheRadiusBound() {
        long nside = 4;
        long n = Healpix.pixels(nside);
        int perPixel = 2000;
        long[] counts = new long[(int) n];
        Random rng = new Random(11);
        double worst = 0;
        for (long k = 0; k < n * perPixel; k++) {
            double lon = 360 * rng.nextDouble();
            double lat = Math.toDegrees(Math.asin(2 * rng.nextDouble() - 1)); // uniform on the sphere
            long p = Healpix.pixel(nside, Ordering.NESTED, lon, lat);
            counts[(int) p]++;
            double[] c = Healpix.centre(nside, Ordering.NESTED, p);
            worst = Math.max(worst, distanceDeg(lon, lat, c[0], c[1]));
        }
        double chi2 = 0;
        for (long c : counts) {
            chi2 += (c - perPixel) * (double) (c - perPixel) / perPixel;
        }
        // 191 degrees of freedom: the 0.999 quantile is about 262.
        assertTrue(chi2 < 262, "pixel counts of uniform points, chi^2 = " + chi2);
        assertTrue(worst < Healpix.maxRadiusDeg(nside), "farthest point " + worst + " deg from its centre");
        for (long ns : new long[] {1, 2, 64, 1024}) {
            double far = 0;
            for (int k = 0; k < 200000; k++) {
                double lon = 360 * rng.nextDouble();
                double lat = Math.toDegrees(Math.asin(2 * rng.nextDouble() - 1));
                double[] c = Healpix.centre(ns, Ordering.NESTED, Healpix.pixel(ns, Ordering.NESTED, lon, lat));
                far = Math.max(far, distanceDeg(lon, lat, c[0], c[1]));
            }
            assertTrue(far < Healpix.maxRadiusDeg(ns), "nside " + ns + ": " + far + " deg");
        }
    }

    @Test
    void onlyPowersOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> Healpix.check(48));
        assertThrows(IllegalArgumentException.class, () -> Healpix.check(0));
        assertThrows(IllegalArgumentException.class, () -> Healpix.check(1L << 30));
        assertEquals(12, Healpix.order(4096));
        assertArrayEquals(
                new double[] {45, Healpix.centre(1, Ordering.RING, 0)[1]},
                Healpix.centre(1, Ordering.NESTED, 0),
                1e-12);
    }

    static double distanceDeg(double lon1, double lat1, double lon2, double lat2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dl = Math.toRadians(lon2 - lon1);
        double s = Math.sin((p2 - p1) / 2);
        double t = Math.sin(dl / 2);
        return Math.toDegrees(2 * Math.asin(Math.sqrt(s * s + Math.cos(p1) * Math.cos(p2) * t * t)));
    }
}
