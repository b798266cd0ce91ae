package org.magmap.sim;

/**
 * Counter-based random numbers keyed by Fourier mode: the same (seed, stream, mode) always gives the same
 * numbers, whatever order modes are visited in, however many threads fill the spectrum, and whatever the grid
 * size (a 128^3 and a 256^3 run with one seed share their large-scale modes).
 */
final class ModeRandom {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private ModeRandom() {}

    /** SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mix with good avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A 64-bit key for one mode (signed mode numbers) in one stream. */
    static long key(long seed, int stream, int mx, int my, int mz) {
        long h = mix(seed + GOLDEN * (stream + 1));
        h = mix(h ^ (mx * 0x100000001B3L + 0x51_7CC1_B727_220AL));
        h = mix(h ^ (my * 0x9E3779B1L + 0x2545F4914F6CDD1DL));
        return mix(h ^ (mz * 0xC2B2AE3D27D4EB4FL + GOLDEN));
    }

    /** A uniform double in the open interval (0, 1) from the top 53 bits. */
    static double uniform(long bits) {
        return ((bits >>> 11) + 0.5) * 0x1.0p-53;
    }

    /**
     * Two independent standard normal deviates (Box-Muller) for a key, written to {@code out[0..1]}: the real
     * and imaginary parts of a complex Gaussian mode amplitude.
     */
    static void gaussianPair(long key, double[] out) {
        double u1 = uniform(mix(key));
        double u2 = uniform(mix(key ^ GOLDEN));
        double r = StrictMath.sqrt(-2 * StrictMath.log(u1));
        double phi = 2 * Math.PI * u2;
        out[0] = r * StrictMath.cos(phi);
        out[1] = r * StrictMath.sin(phi);
    }

    /** +1 or -1 from a key. */
    static int sign(long key) {
        return (mix(key) & 1L) == 0 ? 1 : -1;
    }
}
