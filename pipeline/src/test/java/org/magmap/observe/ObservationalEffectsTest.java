package org.magmap.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ObservationalEffectsTest {
    @Test
    void noiseIsReproducibleAndHasTheRequestedLevel() {
        float[] map = Cubes.filled(200 * 200, 4.0);
        float[] a = ObservationalEffects.addNoiseByRatio(map, 0.25, 7);
        float[] b = ObservationalEffects.addNoiseByRatio(map, 0.25, 7);
        assertArrayEquals(a, b);
        assertEquals(1.0, Maps.std(a), 0.02, "NR 1/4 of mean 4");
        assertEquals(4.0 / 20, Maps.std(ObservationalEffects.addNoiseBySnr(map, 20, 1)), 0.005, "SNR 20");
        assertTrue(!java.util.Arrays.equals(a, ObservationalEffects.addNoiseByRatio(map, 0.25, 8)));
    }

    /** A point source smoothed by the beam becomes a Gaussian of the requested FWHM, flux conserved. */
    @Test
    void aBeamTurnsAPointIntoAGaussianOfTheRequestedWidth() {
        int n = 64;
        float[] map = new float[n * n];
        map[32 * n + 32] = 1;
        double fwhm = 6;
        float[] s = ObservationalEffects.smooth(map, n, n, fwhm, true);
        double sum = 0;
        for (float v : s) {
            sum += v;
        }
        assertEquals(1, sum, 1e-5);
        double sigma = fwhm / (2 * Math.sqrt(2 * Math.log(2)));
        // Half maximum at FWHM/2 = 3 pixels from the centre along x.
        assertEquals(0.5, s[32 * n + 35] / s[32 * n + 32], 1e-3);
        assertEquals(Math.exp(-0.5 * 25 / (sigma * sigma)), s[32 * n + 37] / s[32 * n + 32], 1e-3);
    }

    @Test
    void reflectingEdgesKeepAUniformMapUniform() {
        float[] map = Cubes.filled(20 * 10, 3);
        float[] s = ObservationalEffects.smooth(map, 20, 10, 4, false);
        for (float v : s) {
            assertEquals(3, v, 1e-5);
        }
        assertEquals(1, ObservationalEffects.index(-1, 5, false));
        assertEquals(3, ObservationalEffects.index(5, 5, false));
    }
}
