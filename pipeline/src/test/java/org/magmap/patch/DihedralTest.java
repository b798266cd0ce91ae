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

    /**
     * The double-angle signs against geometry: a plane-of-sky field (bx, by) whose pixels are moved by a symmetry
     * also has its components mapped (a mirror of x negates bx, of y negates by, a transpose swaps them). The psi
     * maps of that moved field must equal the moved psi maps of the original times the class's signs.
     */
    @Test
    void psiTurnsWithTheImageAsTheFieldVectorDoes() {
        float[] bx = new float[SIZE * SIZE];
        float[] by = new float[SIZE * SIZE];
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < bx.length; i++) {
            bx[i] = (float) random.nextDouble(-1, 1);
            by[i] = (float) random.nextDouble(-1, 1);
        }
        for (int k = 0; k < Dihedral.ORDER; k++) {
            float[] movedX = Dihedral.apply(bx, SIZE, k);
            float[] movedY = Dihedral.apply(by, SIZE, k);
            float[] cos2 = Dihedral.apply(doubleAngle(bx, by, true), SIZE, k);
            float[] sin2 = Dihedral.apply(doubleAngle(bx, by, false), SIZE, k);
            for (int i = 0; i < bx.length; i++) {
                float vx = (k & 1) != 0 ? -movedX[i] : movedX[i];
                float vy = (k & 2) != 0 ? -movedY[i] : movedY[i];
                if ((k & 4) != 0) {
                    float t = vx;
                    vx = vy;
                    vy = t;
                }
                double psi = Math.atan2(vy, vx); // from +x towards +y, as Angles.PSI_CONVENTION
                assertEquals(Math.cos(2 * psi), Dihedral.cos2PsiSign(k) * cos2[i], 1e-5, "cos 2psi, element " + k);
                assertEquals(Math.sin(2 * psi), Dihedral.sin2PsiSign(k) * sin2[i], 1e-5, "sin 2psi, element " + k);
            }
        }
    }

    private static float[] doubleAngle(float[] bx, float[] by, boolean cosine) {
        float[] out = new float[bx.length];
        for (int i = 0; i < bx.length; i++) {
            double psi = Math.atan2(by[i], bx[i]);
            out[i] = (float) (cosine ? Math.cos(2 * psi) : Math.sin(2 * psi));
        }
        return out;
    }

    /**
     * The inverse undoes each element on an image with no symmetry of its own, in either order, and keeps the
     * double-angle signs (they form a one-dimensional representation, so an element and its inverse share them).
     */
    @Test
    void theInverseUndoesEachElement() {
        float[] image = new float[SIZE * SIZE];
        for (int i = 0; i < image.length; i++) {
            image[i] = i;
        }
        for (int k = 0; k < Dihedral.ORDER; k++) {
            int inverse = Dihedral.inverse(k);
            assertArrayEquals(image, Dihedral.apply(Dihedral.apply(image, SIZE, k), SIZE, inverse), "element " + k);
            assertArrayEquals(image, Dihedral.apply(Dihedral.apply(image, SIZE, inverse), SIZE, k), "element " + k);
            assertEquals(Dihedral.cos2PsiSign(k), Dihedral.cos2PsiSign(inverse));
            assertEquals(Dihedral.sin2PsiSign(k), Dihedral.sin2PsiSign(inverse));
        }
        // the two quarter turns undo each other; mirrors and the half turn undo themselves
        assertEquals(6, Dihedral.inverse(5));
        assertEquals(5, Dihedral.inverse(6));
        assertEquals(3, Dihedral.inverse(3));
    }

    /** A stacked patch (two observables, planes back to back) moves each plane as the plane alone, never mixing them. */
    @Test
    void aStackMovesEachPlaneAlone() {
        float[] first = plane(2, 3, 1);
        float[] second = plane(-1, 0.5, 7);
        float[] stack = new float[2 * SIZE * SIZE];
        System.arraycopy(first, 0, stack, 0, first.length);
        System.arraycopy(second, 0, stack, first.length, second.length);
        for (int k = 0; k < Dihedral.ORDER; k++) {
            float[] moved = Dihedral.apply(stack, SIZE, k);
            assertArrayEquals(
                    Dihedral.apply(first, SIZE, k), Arrays.copyOfRange(moved, 0, SIZE * SIZE), "element " + k);
            assertArrayEquals(
                    Dihedral.apply(second, SIZE, k),
                    Arrays.copyOfRange(moved, SIZE * SIZE, 2 * SIZE * SIZE),
                    "element " + k);
        }
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(new float[SIZE * SIZE + 1], SIZE, 1));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Dihedral.inverse(8));
        assertThrows(IllegalArgumentException.class, () -> Dihedral.cos2PsiSign(-1));
        assertThrows(IllegalArgumentException.class, () -> Dihedral.sin2PsiSign(8));
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(new float[25], 5, 8));
        assertThrows(IllegalArgumentException.class, () -> Dihedral.apply(new float[24], 5, 0));
    }
}
