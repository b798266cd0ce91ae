package org.magmap.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EquipartitionTest {
    private static final double KPC_CM = Equipartition.parsecToCm(1000.0);

    @Test
    void c2MatchesAHandValue() {
        // Independently with Python: c3/4 * (a+5/3)/(a+1) * math.gamma((3a+1)/6) * math.gamma((3a+5)/6),
        // c3 = 1.86558e-23. a = 1: 7.519528484284609e-24; a = 0.8: 9.136726388118674e-24.
        assertEquals(7.519528484284609e-24, Equipartition.c2(1.0), 1e-12 * 7.52e-24);
        assertEquals(9.136726388118674e-24, Equipartition.c2(0.8), 1e-12 * 9.14e-24);
    }

    @Test
    void c4ForBothGeometries() {
        // isotropic: (2/3)^((a+1)/2); a = 1 gives exactly 2/3
        assertEquals(2.0 / 3.0, Equipartition.c4IsotropicTurbulent(1.0), 1e-15);
        // regular, a = 0.8, i = 30 deg: cos(30 deg)^1.8 = 0.7718895067235705 (Python)
        assertEquals(0.7718895067235705, Equipartition.c4Regular(0.8, 30.0), 1e-14);
        // a face-on regular field (i = 0) emits with its full strength: c4 = 1
        assertEquals(1.0, Equipartition.c4Regular(0.8, 0.0), 0.0);
        assertEquals(
                Equipartition.c4IsotropicTurbulent(0.9),
                Equipartition.isotropic(0.9, 100, KPC_CM, 1.4e9).c4(),
                0.0);
        assertEquals(
                Equipartition.c4Regular(0.9, 40),
                Equipartition.regular(0.9, 100, KPC_CM, 1.4e9, 40).c4(),
                0.0);
    }

    @Test
    void isotropicFieldMatchesAHandValue() {
        // a = 1 (p = 3), K0 = 100, I = 1e-18 erg s^-1 cm^-2 Hz^-1 sr^-1, nu = 1.4 GHz, l = 1 kpc
        // (3.0856775814913673e21 cm), c4 = (2/3)^1. The formula evaluated in Python with math.gamma gives
        // B_eq = 1.163043489796552e-05 G = 11.63043489796552 uG: a plausible spiral-galaxy value.
        Equipartition eq = Equipartition.isotropic(1.0, 100, KPC_CM, 1.4e9);
        assertEquals(11.63043489796552, eq.fieldMicrogauss(1e-18), 1e-9);
    }

    @Test
    void regularFieldMatchesAHandValue() {
        // a = 0.8, K0 = 40, I = 3e-19, nu = 4.85 GHz, l = 500 pc, regular field at i = 30 deg:
        // Python gives 9.72108395965413 uG.
        Equipartition eq = Equipartition.regular(0.8, 40, Equipartition.parsecToCm(500), 4.85e9, 30);
        assertEquals(9.72108395965413, eq.fieldMicrogauss(3e-19), 1e-9);
    }

    @Test
    void scalesWithIntensityPathLengthAndK0() {
        double a = 0.9;
        double power = 1.0 / (a + 3.0);
        Equipartition base = Equipartition.isotropic(a, 100, KPC_CM, 1.4e9);
        double b0 = base.fieldMicrogauss(1e-18);
        // B ~ I^(1/(a+3))
        assertEquals(b0 * Math.pow(7.0, power), base.fieldMicrogauss(7e-18), 1e-12 * b0);
        // B ~ l^(-1/(a+3))
        Equipartition longer = Equipartition.isotropic(a, 100, 5 * KPC_CM, 1.4e9);
        assertEquals(b0 * Math.pow(5.0, -power), longer.fieldMicrogauss(1e-18), 1e-12 * b0);
        // B ~ (K0+1)^(1/(a+3)): K0 = 100 -> 201 doubles K0+1 (101 -> 202)
        Equipartition moreProtons = Equipartition.isotropic(a, 201, KPC_CM, 1.4e9);
        assertEquals(b0 * Math.pow(2.0, power), moreProtons.fieldMicrogauss(1e-18), 1e-12 * b0);
        // a regular field seen edge-on-ish emits less per unit B, so it needs more field: B ~ c4^(-1/(a+3))
        Equipartition inclined = Equipartition.regular(a, 100, KPC_CM, 1.4e9, 60);
        double expected = b0 * Math.pow(Equipartition.c4Regular(a, 60) / Equipartition.c4IsotropicTurbulent(a), -power);
        assertEquals(expected, inclined.fieldMicrogauss(1e-18), 1e-12 * b0);
    }

    @Test
    void mapVersionIsPerPixelWithNaNForNonPositiveIntensity() {
        Equipartition eq = Equipartition.isotropic(1.0, 100, KPC_CM, 1.4e9);
        float[] intensity = {1e-18f, 2e-18f, 0f, -1e-18f, Float.NaN, Float.POSITIVE_INFINITY};
        float[] b = eq.fieldMicrogaussMap(intensity);
        assertEquals(intensity.length, b.length);
        assertEquals(eq.fieldMicrogauss(1e-18f), b[0], 1e-5);
        assertEquals(eq.fieldMicrogauss(2e-18f), b[1], 1e-5);
        for (int i = 2; i < b.length; i++) {
            assertTrue(Float.isNaN(b[i]), "pixel " + i);
        }
        assertTrue(Double.isNaN(eq.fieldMicrogauss(0)));
    }

    @Test
    void rejectsInvalidParameters() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Equipartition.isotropic(0.5, 100, KPC_CM, 1.4e9));
        assertTrue(e.getMessage().contains("> 0.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Equipartition.isotropic(Double.NaN, 100, KPC_CM, 1.4e9));
        assertThrows(IllegalArgumentException.class, () -> Equipartition.isotropic(1, -1, KPC_CM, 1.4e9));
        assertThrows(IllegalArgumentException.class, () -> Equipartition.isotropic(1, 100, 0, 1.4e9));
        assertThrows(IllegalArgumentException.class, () -> Equipartition.isotropic(1, 100, KPC_CM, -1));
        assertThrows(IllegalArgumentException.class, () -> Equipartition.regular(1, 100, KPC_CM, 1.4e9, 90));
        assertThrows(IllegalArgumentException.class, () -> Equipartition.regular(1, 100, KPC_CM, 1.4e9, -5));
    }

    @Test
    void unitHelpers() {
        // 1 mJy/beam with a 15" x 15" Gaussian beam: 1e-26 / (pi/(4 ln 2) * (15/206264.806...)^2) sr
        // = 1.6687962990023658e-18 erg s^-1 cm^-2 Hz^-1 sr^-1 (Python)
        assertEquals(1.6687962990023658e-18, Equipartition.intensityFromJanskyPerBeam(1e-3, 15, 15), 1e-30);
        assertEquals(1.0, Equipartition.spectralIndexFromElectronIndex(3.0), 0.0);
        assertEquals(3.0856775814913673e18, Equipartition.parsecToCm(1.0), 0.0);
    }
}
