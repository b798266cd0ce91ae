package org.magmap.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SynchrotronCalibrationTest {
    /** E_p = 938.28 MeV in erg (Beck & Krause 2005). */
    private static final double EP = 1.5033e-3;

    @Test
    void calibrationFactorMatchesAHandValue() {
        // p = 3 (a = 1), nu = 1.4 GHz, 2.6e-13 CRE above E_p per thermal electron. In Python:
        // c2(1) * (f * (p-1) * Ep^(p-1)) * (nu / (2 c1))^-1 * (1e-6)^2 * 3.0856775814913673e18
        // = 2.4401073555759632e-25 erg s^-1 cm^-2 Hz^-1 sr^-1 per cm^-3 uG^2 pc.
        SynchrotronCalibration c = new SynchrotronCalibration(1.4e9, 3, 2.6e-13, 100);
        assertEquals(2.4401073555759632e-25, c.intensityCgsPerMapUnit(), 1e-12 * 2.44e-25);
    }

    @Test
    void aUniformMediumInEquipartitionReturnsItsOwnField() {
        // A uniform medium, n_e = 3 cm^-3, isotropic turbulent field |B| = 3 uG (mean B_perp^2 = 2/3 B^2), seen
        // through l = 100 pc: the mock map holds n_e * (2/3) B^2 * l. Choose the CRE so that cosmic rays
        // (electrons + K0 = 100 times as many protons) are in revised equipartition with 3 uG: with K_e =
        // f (p-1) E_p^(p-1) n_e and B^2 = 4 pi (2a+1)(K0+1) E_p^(1-2a) K_e / (2a-1), for p = 3 (a = 1)
        // f = B^2 / (24 pi (K0+1) E_p n_e), B in gauss. The estimate must then give back 3 uG, at any
        // frequency and path length (both cancel).
        double n = 3;
        double bUg = 3;
        double f = Math.pow(bUg * 1e-6, 2) / (24 * Math.PI * 101 * EP * n);
        for (double nu : new double[] {0.15e9, 1.4e9, 5e9}) {
            for (double pathPc : new double[] {100, 2000}) {
                double map = n * (2.0 / 3.0) * bUg * bUg * pathPc;
                SynchrotronCalibration c = new SynchrotronCalibration(nu, 3, f, pathPc);
                assertEquals(bUg, c.estimator(100).fieldMicrogauss(map), 1e-9, "nu " + nu + ", l " + pathPc);
            }
        }
    }

    @Test
    void theEstimatorIsBeckAndKrauseOnTheCalibratedIntensity() {
        SynchrotronCalibration c = new SynchrotronCalibration(1.4e9, 3.4, 1e-12, 800);
        Equipartition direct = Equipartition.isotropic(1.2, 40, 800 * Equipartition.CM_PER_PARSEC, 1.4e9);
        double map = 123.4;
        assertEquals(
                direct.fieldMicrogauss(map * c.intensityCgsPerMapUnit()),
                c.estimator(40).fieldMicrogauss(map),
                1e-12);
        assertTrue(Double.isNaN(c.estimator(40).fieldMicrogauss(-1)), "no field from a negative mean");
    }

    @Test
    void refusesParametersWithoutAnEquipartitionField() {
        assertThrows(IllegalArgumentException.class, () -> new SynchrotronCalibration(1.4e9, 2, 1e-12, 100));
        assertThrows(IllegalArgumentException.class, () -> new SynchrotronCalibration(0, 3, 1e-12, 100));
        assertThrows(IllegalArgumentException.class, () -> new SynchrotronCalibration(1.4e9, 3, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new SynchrotronCalibration(1.4e9, 3, 1e-12, -1));
    }
}
