package org.magmap.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.magmap.conf.RepoPaths;

/**
 * The committed sample cube still reads with today's code, and today's generator still makes the same cube (to
 * float rounding):
 * guards the cube FITS layout and the generator's determinism across versions.
 */
class SampleCubeTest {
    @Test
    void theCommittedSampleReadsAndMatchesTheGeneratorBitForBit() throws Exception {
        Path sample = RepoPaths.root().resolve("data-samples/synthetic-b3-s2.5-n32.fits");
        try (CubeReader r = FitsCubeStore.open(sample)) {
            CubeMeta m = r.meta();
            assertEquals("b3-s2.5-seed1-snap0", m.runId());
            assertEquals(GridShape.cube(32), m.shape());
            assertEquals(100.0 / 32, m.cellSizePc(), 0.0);
            assertEquals(3.0, m.meanFieldMicrogauss(), 0.0);
            // The same parameters through today's generator (as make-samples.sh sets them):
            TurbulenceSpec spec =
                    new TurbulenceSpec("b3-s2.5-seed1-snap0", 32, 100, 3, 2.5, 5, 3, 1.4, 90, 0, 2, 4, 0.5, 1, 0, 0);
            SyntheticTurbulence today = new SyntheticTurbulence(spec);
            for (Field f : m.fields()) {
                float[] expected = today.readField(f);
                float[] stored = r.readField(f);
                double scale = 0;
                for (float v : expected) {
                    scale = Math.max(scale, Math.abs(v));
                }
                // Same platform: identical bits. Another CPU may round the FFT's twiddle factors differently.
                assertArrayEquals(expected, stored, (float) (1e-5 * scale), f.key());
            }
        }
    }
}
