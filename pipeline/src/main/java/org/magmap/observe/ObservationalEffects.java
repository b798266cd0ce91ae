package org.magmap.observe;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * What a telescope adds (docs/science.md section 2): Gaussian noise, by noise ratio (cluster paper: sigma =
 * NR * mean(I), NR = 1/10 .. 1/2) or by signal-to-noise ratio (H I paper: SNR 20, sigma = mean(I) / SNR), and a
 * Gaussian beam given by its FWHM in pixels. Noise is reproducible from its seed.
 */
public final class ObservationalEffects {
    /** FWHM = 2 sqrt(2 ln 2) sigma. */
    public static final double FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.log(2));

    private ObservationalEffects() {}

    /** A copy of {@code map} with Gaussian noise of standard deviation {@code noiseRatio * mean(map)}. */
    public static float[] addNoiseByRatio(float[] map, double noiseRatio, long seed) {
        return addNoise(map, noiseRatio * Math.abs(Maps.mean(map)), seed);
    }

    /** A copy of {@code map} with Gaussian noise of standard deviation {@code mean(map) / snr}. */
    public static float[] addNoiseBySnr(float[] map, double snr, long seed) {
        if (!(snr > 0)) {
            throw new IllegalArgumentException("SNR must be positive, got " + snr);
        }
        return addNoise(map, Math.abs(Maps.mean(map)) / snr, seed);
    }

    /** A copy of {@code map} with Gaussian noise of standard deviation {@code sigma}; same seed, same noise. */
    public static float[] addNoise(float[] map, double sigma, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = (float) (map[i] + sigma * random.nextGaussian());
        }
        return out;
    }

    /**
     * Convolves an {@code nx x ny} map with a circular Gaussian beam of the given FWHM in pixels (separable,
     * kernel truncated at 4 sigma and normalised). Periodic maps wrap; others reflect at the edges.
     */
    public static float[] smooth(float[] map, int nx, int ny, double fwhmPixels, boolean periodic) {
        if (!(fwhmPixels > 0)) {
            return map.clone();
        }
        double sigma = fwhmPixels / FWHM_PER_SIGMA;
        int radius = (int) Math.ceil(4 * sigma);
        double[] kernel = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        float[] tmp = new float[map.length];
        float[] out = new float[map.length];
        IntStream.range(0, ny).parallel().forEach(y -> {
            for (int x = 0; x < nx; x++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    v += kernel[k + radius] * map[y * nx + index(x + k, nx, periodic)];
                }
                tmp[y * nx + x] = (float) v;
            }
        });
        IntStream.range(0, ny).parallel().forEach(y -> {
            for (int x = 0; x < nx; x++) {
                double v = 0;
                for (int k = -radius; k <= radius; k++) {
                    v += kernel[k + radius] * tmp[index(y + k, ny, periodic) * nx + x];
                }
                out[y * nx + x] = (float) v;
            }
        });
        return out;
    }

    /** Index with wrap (periodic) or mirror reflection about the edge pixels. */
    static int index(int i, int n, boolean periodic) {
        if (periodic) {
            return Math.floorMod(i, n);
        }
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }
}
