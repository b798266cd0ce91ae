package org.magmap.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.magmap.observe.Angles;
import org.magmap.observe.Maps;

class PatchSamplerTest {
    private static float[] filled(int n, double v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, (float) v);
        return a;
    }

    /** A source whose input is {@code input} and whose truth maps are uniform (psi = 30 deg, B = 4 uG ...). */
    private static PatchSource source(String sim, int nx, int ny, float[] input) {
        int n = nx * ny;
        return new PatchSource(
                sim,
                0,
                "i90-pa0",
                90,
                0,
                "SYNC",
                Double.NaN,
                Double.NaN,
                nx,
                ny,
                input,
                filled(n, 30),
                filled(n, 70),
                filled(n, 4),
                filled(n, 0.7),
                filled(n, 0.5),
                filled(n, 1));
    }

    /** The HI_CH01+SYNC source with {@code plain}'s truth maps and {@code input} as its maps back to back. */
    private static PatchSource stackOf(PatchSource plain, float[] input) {
        return new PatchSource(
                plain.simulation(),
                plain.snapshot(),
                plain.view(),
                plain.inclinationDeg(),
                plain.positionAngleDeg(),
                "HI_CH01+SYNC",
                Double.NaN,
                Double.NaN,
                plain.nx(),
                plain.ny(),
                input,
                plain.psiDeg(),
                plain.gammaDeg(),
                plain.fieldMicrogauss(),
                plain.alfvenMach(),
                plain.sonicMach(),
                plain.surfaceDensity());
    }

    private static Augmentation aug(boolean rotate, boolean maps) {
        return new Augmentation(32, rotate, 0, 0, Normalization.ZSCORE, maps, 7);
    }

    /**
     * A stack cuts its maps together: one crop and one turn for all, each plane normalised on its own. The second
     * map is 1000 x the first + 5, which a per-plane z-score cannot tell apart, so the two planes must agree; a
     * normalisation over the whole stack would leave them 1000-fold apart. The first plane is the crop of the first
     * map at the patch's recorded centre and angle.
     */
    @Test
    void aStackCutsItsMapsTogetherAndNormalisesEachOnItsOwn() {
        int nx = 64;
        int ny = 64;
        int n = nx * ny;
        java.util.Random random = new java.util.Random(3);
        float[] first = new float[n];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                first[y * nx + x] = (float) (Math.sin(0.3 * x) * Math.cos(0.17 * y) + 0.1 * random.nextGaussian());
            }
        }
        float[] stacked = new float[2 * n];
        for (int i = 0; i < n; i++) {
            stacked[i] = first[i];
            stacked[n + i] = 1000 * first[i] + 5;
        }
        PatchSource plain = source("s", nx, ny, first);
        PatchSource stack = stackOf(plain, stacked);
        assertEquals(2, stack.channels());
        PatchSampler sampler = new PatchSampler(stack, aug(true, false), Splits.allTrain());
        int pixels = 32 * 32;
        for (long index = 0; index < 5; index++) {
            Patch p = sampler.patch(index);
            assertEquals(2 * pixels, p.image().length);
            float[] expected = new float[pixels];
            PatchGeometry.sample(first, nx, ny, p.centreX(), p.centreY(), p.rotationDeg(), 32, expected);
            Normalization.ZSCORE.apply(expected);
            for (int i = 0; i < pixels; i++) {
                assertEquals(expected[i], p.image()[i], 1e-4, "first plane, pixel " + i);
                assertEquals(p.image()[i], p.image()[pixels + i], 1e-3, "second plane, pixel " + i);
            }
        }
        // a stack whose maps are not all there is refused where the source is made
        assertThrows(IllegalArgumentException.class, () -> stackOf(plain, first));
    }

    /**
     * For a linear map f(r) = g.r + c, turning the content by alpha about the patch centre gives a patch whose
     * gradient is R(alpha) g (rotating the gradient vector, computed here independently of the sampler's
     * inverse mapping of coordinates); bilinear interpolation is exact for linear maps.
     */
    @Test
    void aRotatedLinearMapHasTheRotatedGradient() {
        int nx = 80;
        int ny = 70;
        double gx = 0.7;
        double gy = -0.3;
        float[] map = new float[nx * ny];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                map[y * nx + x] = (float) (gx * x + gy * y + 5);
            }
        }
        for (double alpha : new double[] {0, 17, 90, 123.4, 250}) {
            float[] out = new float[32 * 32];
            double cx = 40.5;
            double cy = 34.5;
            PatchGeometry.sample(map, nx, ny, cx, cy, alpha, 32, out);
            double a = Math.toRadians(alpha);
            double rgx = gx * Math.cos(a) - gy * Math.sin(a);
            double rgy = gx * Math.sin(a) + gy * Math.cos(a);
            double centre = gx * cx + gy * cy + 5;
            for (int j = 0; j < 32; j++) {
                for (int i = 0; i < 32; i++) {
                    double expected = centre + rgx * (i - 15.5) + rgy * (j - 15.5);
                    assertEquals(expected, out[j * 32 + i], 1e-4, "alpha " + alpha + " at " + i + "," + j);
                }
            }
        }
    }

    /** A quarter turn on the grid equals the array rotation done by index shuffling (Maps.quarterTurns). */
    @Test
    void aQuarterTurnEqualsTheIndexRotationOfTheCrop() {
        int n = 64;
        float[] map = new float[n * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) r.nextGaussian();
        }
        float[] crop = new float[32 * 32];
        float[] turned = new float[32 * 32];
        PatchGeometry.sample(map, n, n, 31.5, 30.5, 0, 32, crop);
        PatchGeometry.sample(map, n, n, 31.5, 30.5, 90, 32, turned);
        assertArrayEquals(Maps.quarterTurns(crop, 32, 1), turned, 1e-6f);
        // ... and an unrotated patch is an exact crop of the map.
        for (int j = 0; j < 32; j++) {
            for (int i = 0; i < 32; i++) {
                assertEquals(map[(j + 15) * n + (i + 16)], crop[j * 32 + i], 0f);
            }
        }
    }

    /** Rotating an image by alpha adds alpha to psi (mod 180); scalar labels do not change. */
    @Test
    void psiLabelsOfAUniformFieldTurnWithThePatch() {
        int n = 64;
        PatchSampler s = new PatchSampler(source("sim", n, n, filled(n * n, 1)), aug(true, true), Splits.allTrain());
        for (long i = 0; i < 50; i++) {
            Patch p = s.patch(i);
            double expected = Angles.foldOrientationDeg(30 + p.rotationDeg());
            assertEquals(0, Angles.orientationDifferenceDeg(expected, p.psiDeg()), 1e-4, "patch " + i);
            for (int k = 0; k < p.mapCos2Psi().length; k++) {
                assertEquals(Math.cos(Math.toRadians(2 * expected)), p.mapCos2Psi()[k], 1e-5);
                assertEquals(Math.sin(Math.toRadians(2 * expected)), p.mapSin2Psi()[k], 1e-5);
            }
            assertEquals(4, p.fieldMicrogauss(), 1e-6);
            assertEquals(70, p.gammaDeg(), 1e-4);
        }
    }

    @Test
    void patchesAreDeterminedByTheirIdentityAlone() {
        float[] map = new float[100 * 100];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) Math.sin(i * 0.37);
        }
        Augmentation noisy = new Augmentation(32, true, 0.2, 1.5, Normalization.ZSCORE, false, 11);
        PatchSampler a = new PatchSampler(source("s", 100, 100, map), noisy, Splits.allTrain());
        PatchSampler b = new PatchSampler(source("s", 100, 100, map), noisy, Splits.allTrain());
        Patch p5 = a.patch(5);
        b.patch(3); // order does not matter
        assertArrayEquals(p5.image(), b.patch(5).image());
        assertEquals(p5.rotationDeg(), b.patch(5).rotationDeg());
        assertFalse(java.util.Arrays.equals(p5.image(), a.patch(6).image()));
        PatchSampler otherSim = new PatchSampler(source("t", 100, 100, map), noisy, Splits.allTrain());
        assertNotEquals(a.seedOf(5), otherSim.seedOf(5), "another simulation draws other patches");
    }

    @Test
    void heldOutSimulationsGoWhollyToTheirSplit() {
        Splits splits = new Splits(List.of("^unseen-"), List.of("^b3-"), false, 128, 0, 0, 0);
        float[] map = filled(64 * 64, 1);
        assertEquals(
                Splits.TEST,
                new PatchSampler(source("unseen-b4-s2.5-seed1-snap0", 64, 64, map), aug(true, false), splits)
                        .patch(0)
                        .split());
        assertEquals(
                Splits.VALIDATION,
                new PatchSampler(source("b3-s2.5-seed1-snap0", 64, 64, map), aug(true, false), splits)
                        .patch(0)
                        .split());
        assertEquals(
                Splits.TRAIN,
                new PatchSampler(source("b5-s2.5-seed1-snap0", 64, 64, map), aug(true, false), splits)
                        .patch(0)
                        .split());
    }

    /** Spatial splitting: each block is in one split, and no patch reaches into a block's buffer. */
    @Test
    void spatialBlocksNeverShareAPixelBetweenSplits() {
        int n = 256;
        int block = 64;
        int buffer = 4;
        Splits splits = new Splits(List.of(), List.of(), true, block, buffer, 0.25, 0.25);
        Augmentation a = aug(true, false);
        PatchSampler s = new PatchSampler(source("sim", n, n, filled(n * n, 1)), a, splits);
        Map<Integer, String> splitOfBlock = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        double r = PatchGeometry.footprintRadius(32);
        for (long i = 0; i < 3000; i++) {
            Patch p = s.patch(i);
            int bx = (int) (p.centreX() / block);
            int by = (int) (p.centreY() / block);
            // the whole rotated footprint lies inside the block, at least `buffer` pixels from its edges
            assertTrue(p.centreX() - r >= bx * block + buffer - 1e-9
                    && p.centreX() + r <= (bx + 1) * block - 1 - buffer + 1e-9);
            assertTrue(p.centreY() - r >= by * block + buffer - 1e-9
                    && p.centreY() + r <= (by + 1) * block - 1 - buffer + 1e-9);
            String previous = splitOfBlock.putIfAbsent(by * 100 + bx, p.split());
            assertTrue(previous == null || previous.equals(p.split()), "a block holds one split");
            counts.merge(p.split(), 1, Integer::sum);
        }
        assertEquals(16, splitOfBlock.size(), "every block is used");
        assertTrue(
                counts.keySet().containsAll(List.of(Splits.TRAIN, Splits.VALIDATION, Splits.TEST)), counts.toString());
    }

    @Test
    void aPatchThatCannotFitIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new PatchSampler(source("small", 40, 40, filled(1600, 1)), aug(true, false), Splits.allTrain()));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        // unrotated 32-pixel patches do fit a 40-pixel map
        new PatchSampler(source("small", 40, 40, filled(1600, 1)), aug(false, false), Splits.allTrain()).patch(0);
    }

    @Test
    void zscorePatchesHaveZeroMeanAndUnitVariance() {
        float[] map = new float[100 * 100];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (10 + Math.sin(i * 0.1) + 0.01 * i);
        }
        Patch p = new PatchSampler(source("s", 100, 100, map), aug(true, false), Splits.allTrain()).patch(1);
        assertEquals(0, Maps.mean(p.image()), 1e-5);
        assertEquals(1, Maps.std(p.image()), 1e-4);
    }

    /**
     * The equipartition baseline of a patch is Beck & Krause's field of the mean calibrated intensity over the
     * footprint, before noise. On a linear map f = gx x + gy y + c the mean over any square grid symmetric about
     * the centre, turned or not, is f at the centre (bilinear sampling is exact for linear maps), so the expected
     * field follows from the patch centre alone, through a direct call of the formula.
     */
    @Test
    void theEquipartitionBaselineIsTheFieldOfTheFootprintsMeanIntensity() {
        int nx = 90;
        int ny = 80;
        float[] map = new float[nx * ny];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                map[y * nx + x] = (float) (0.5 * x + 0.25 * y + 100);
            }
        }
        org.magmap.baseline.SynchrotronCalibration cal =
                new org.magmap.baseline.SynchrotronCalibration(1.4e9, 3, 2.6e-13, 100);
        PatchSource plain = source("s", nx, ny, map);
        PatchSource calibrated = new PatchSource(
                plain.simulation(),
                plain.snapshot(),
                plain.view(),
                plain.inclinationDeg(),
                plain.positionAngleDeg(),
                plain.observable(),
                plain.channelCentreKmPerS(),
                plain.channelWidthKmPerS(),
                nx,
                ny,
                map,
                plain.psiDeg(),
                plain.gammaDeg(),
                plain.fieldMicrogauss(),
                plain.alfvenMach(),
                plain.sonicMach(),
                plain.surfaceDensity(),
                cal.estimator(100));
        org.magmap.baseline.Equipartition formula = org.magmap.baseline.Equipartition.isotropic(
                1.0, 100, 100 * org.magmap.baseline.Equipartition.CM_PER_PARSEC, 1.4e9);
        // heavy noise (half the map mean): it must not move the baseline, which is taken before noise
        Augmentation noisy = new Augmentation(32, true, 0.5, 0, Normalization.ZSCORE, false, 5);
        PatchSampler s = new PatchSampler(calibrated, noisy, Splits.allTrain());
        for (long i = 0; i < 20; i++) {
            Patch p = s.patch(i);
            double mean = 0.5 * p.centreX() + 0.25 * p.centreY() + 100;
            double expected = formula.fieldMicrogauss(mean * cal.intensityCgsPerMapUnit());
            assertEquals(expected, p.equipartitionMicrogauss(), 1e-6 * expected, "patch " + i);
        }
        assertTrue(
                Double.isNaN(new PatchSampler(plain, noisy, Splits.allTrain())
                        .patch(0)
                        .equipartitionMicrogauss()),
                "no calibration, no baseline");
    }
}
