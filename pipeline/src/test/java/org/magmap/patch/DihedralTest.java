package org.magmap.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DihedralTest {
    private static final int SIZE = 5;

    /** A plane f = a x + b y + c: every symmetry must give another plane with the coefficients moved as expected. */
    private static float[] plane(double a, double b, double c) {
        float[] f = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                f[y * SIZE + x] = (float) (a * x + b * y + c);
            }
        }
        return f;
    }

    @Test
    void eachElementMovesAPlaneAsItsMirrorsAndTransposeSay() {
        double a = 2;
        double b = 3;
        double c = 1;
        int last = SIZE - 1;
        for (int k = 0; k < Dihedral.ORDER; k++) {
            // mirror x: f(last - x, y) = -a x + b y + (a last + c); mirror y likewise; transpose swaps the slopes
            double ax = (k & 1) != 0 ? -a : a;
            double by = (k & 2) != 0 ? -b : b;
            double offset = c + ((k & 1) != 0 ? a * last : 0) + ((k & 2) != 0 ? b * last : 0);
            float[] expected = (k & 4) != 0 ? plane(by, ax, offset) : plane(ax, by, offset);
            assertArrayEquals(expected, Dihedral.apply(plane(a, b, c), SIZE, k), 1e-5f, "element " + k);
        }
    }

    @Test
    void theEightElementsAreDistinctPermutationsClosedUnderComposition() {
        float[] image = new float[SIZE * SIZE];
        for (int i = 0; i < image.length; i++) {
            image[i] = i; // no symmetry of its own, so the eight images differ
        }
        Set<String> images = new HashSet<>();
        for (int k = 0; k < Dihedral.ORDER; k++) {
            float[] once = Dihedral.apply(image, SIZE, k);
            float[] sorted = once.clone();
            Arrays.sort(sorted);
            assertArrayEquals(image, sorted, "element " + k + " moves pixels, it does not change them");
            images.add(Arrays.toString(once));
        }
        assertEquals(Dihedral.ORDER, images.size());
        for (int j = 0; j < Dihedral.ORDER; j++) {
            for (int k = 0; k < Dihedral.ORDER; k++) {
                String composed = Arrays.toString(Dihedral.apply(Dihedral.apply(image, SIZE, j), SIZE, k));
                assertTrue(images.contains(composed), "element " + k + " after " + j + " is in the group");
            }
        }
    }

    @Test
    void theQuarterTurnHasOrderFour() {
        float[] image = plane(1, 7, 0);
        image[3] = 100; // break the plane's own mirror symmetries
        int quarter = 1 | 4; // mirror x, then transpose
        float[] turned = image;
        for (int i = 0; i < 4; i++) {
            turned = Dihedral.apply(turned, SIZE, quarter);
            if (i < 3) {
                assertTrue(!Arrays.equals(image, turned), (i + 1) + " quarter turns are not the identity");
            }
        }
        assertArrayEquals(image, turned);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(new float[25], 5, 8));
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(new float[24], 5, 0));
    }
}
