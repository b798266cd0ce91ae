package org.magmap.observe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RotationTest {
    @Test
    void takingMapsOneDirectionOntoAnother() {
        double[] from = Rotation.unit(new double[] {1, 2, 3});
        double[] to = Rotation.unit(new double[] {-2, 0.5, 1});
        assertArrayEquals(to, Rotation.taking(from, to).apply(from), 1e-12);
        assertArrayEquals(
                new double[] {0, 0, -1},
                Rotation.taking(new double[] {0, 0, 1}, new double[] {0, 0, -1}).apply(new double[] {0, 0, 1}),
                1e-12);
    }

    @Test
    void aQuarterTurnAboutTheLineOfSightIsExact() {
        assertArrayEquals(new double[] {0, 1, 0}, Rotation.aboutZ(90).apply(new double[] {1, 0, 0}), 0.0);
        assertArrayEquals(new double[] {-1, 0, 0}, Rotation.aboutZ(90).apply(new double[] {0, 1, 0}), 0.0);
    }

    /** The view puts the mean field at the requested inclination to z and position angle from x. */
    @ParameterizedTest
    @CsvSource({"90, 0", "60, 0", "30, 45", "60, 120", "0, 0", "150, 10"})
    void aViewPlacesTheMeanFieldAsAsked(double inclination, double positionAngle) {
        double[] b0 = Rotation.unit(new double[] {0.3, -0.8, 0.5});
        double[] inView = View.of(inclination, positionAngle).rotationFor(b0).apply(b0);
        assertEquals(Math.cos(Math.toRadians(inclination)), inView[2], 1e-12, "cos(angle to the LOS)");
        if (inclination % 180 != 0) {
            assertEquals(
                    Angles.foldOrientationDeg(positionAngle),
                    Angles.foldOrientationDeg(Math.toDegrees(Math.atan2(inView[1], inView[0]))),
                    1e-9);
        }
    }
}
