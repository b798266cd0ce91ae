package org.magmap.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link PatchGeometry#sampleAll} gives each map exactly what bilinear interpolation at its rotated positions gives it alone. */
class PatchGeometryTest {
    @Test
    void samplingSeveralMapsAtOnceEqualsSamplingEachAlone() {
        SplittableRandom rng = new SplittableRandom(17);
        int nx = 71;
        int ny = 64;
        float[][] maps = new float[5][nx * ny];
        for (float[] m : maps) {
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) rng.nextGaussian();
            }
        }
        for (int trial = 0; trial < 50; trial++) {
            int size = 8 + rng.nextInt(25);
            double angle = trial % 5 == 0 ? 0 : 360 * rng.nextDouble();
            double margin = size * 0.75;
            double cx = margin + rng.nextDouble() * (nx - 1 - 2 * margin);
            double cy = margin + rng.nextDouble() * (ny - 1 - 2 * margin);
            float[][] together = new float[maps.length][size * size];
            PatchGeometry.sampleAll(maps, nx, ny, cx, cy, angle, size, together);
            for (int m = 0; m < maps.length; m++) {
                // Each map alone, pixel by pixel through bilinear() at the documented rotated positions.
                float[] alone = new float[size * size];
                double a = Math.toRadians(angle);
                double half = (size - 1) / 2.0;
                for (int j = 0; j < size; j++) {
                    for (int i = 0; i < size; i++) {
                        double u = i - half;
                        double v = j - half;
                        alone[j * size + i] = (float) PatchGeometry.bilinear(
                                maps[m],
                                nx,
                                ny,
                                cx + u * Math.cos(a) + v * Math.sin(a),
                                cy - u * Math.sin(a) + v * Math.cos(a));
                    }
                }
                assertArrayEquals(alone, together[m], "map " + m + ", trial " + trial);
            }
        }
    }
}
