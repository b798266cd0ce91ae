package org.magmap.patch;

/**
 * The eight symmetries of a square patch (the dihedral group D4: four quarter turns, each with or without a
 * mirror). They move pixels without resampling, so they are exact, cost one copy, and leave every scalar label of
 * the patch (B, M_A, M_s, inclination) unchanged: a training set gains seven exact variants of each patch. They
 * are not neutral for a position angle: a quarter turn adds 90 deg to psi and a mirror reflects it, so an
 * orientation target must be turned along with the image (docs/science.md section 3). For psi measured from an image
 * axis ({@link org.magmap.observe.Angles#PSI_CONVENTION}) that is a sign on each double-angle component: a mirror
 * maps psi to -psi (sin 2psi changes sign), a transpose maps psi to 90 deg - psi (cos 2psi changes sign); see
 * {@link #cos2PsiSign} and {@link #sin2PsiSign}.
 *
 * <p>Element {@code k} in 0..7: bit 0 mirrors x, bit 1 mirrors y, bit 2 then swaps x and y (a transpose). Mirror
 * x then y is a half turn; transpose after one mirror is a quarter turn.
 */
public final class Dihedral {
    /** The number of symmetries. */
    public static final int ORDER = 8;

    private Dihedral() {}

    /**
     * The image under symmetry {@code element}: every channel plane moved alike.
     *
     * @param image square image, row-major with x fastest (the patch layout); a stacked patch holds its channel
     *     planes back to back and each plane is moved
     * @param size side in pixels
     * @param element 0..7 (0 is the identity; a copy is returned all the same)
     * @return a new array
     */
    public static float[] apply(float[] image, int size, int element) {
        check(element);
        int pixels = size * size;
        if (image.length == 0 || image.length % pixels != 0) {
            throw new IllegalArgumentException(
                    "image of " + image.length + " values is not a stack of " + size + " x " + size + " planes");
        }
        boolean mirrorX = (element & 1) != 0;
        boolean mirrorY = (element & 2) != 0;
        boolean transpose = (element & 4) != 0;
        float[] out = new float[image.length];
        for (int plane = 0; plane < image.length; plane += pixels) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int tx = mirrorX ? size - 1 - x : x;
                    int ty = mirrorY ? size - 1 - y : y;
                    if (transpose) {
                        int t = tx;
                        tx = ty;
                        ty = t;
                    }
                    out[plane + ty * size + tx] = image[plane + y * size + x];
                }
            }
        }
        return out;
    }

    /**
     * The symmetry that undoes {@code element}. Mirrors alone undo themselves. A transpose after mirrors is undone by
     * the transpose first and then the same mirrors, which is the transpose after the mirrors with x and y swapped.
     */
    public static int inverse(int element) {
        check(element);
        if ((element & 4) == 0) {
            return element;
        }
        int mirrorX = element & 1;
        int mirrorY = (element >> 1) & 1;
        return 4 | mirrorY | (mirrorX << 1);
    }

    /** The factor cos 2psi takes under symmetry {@code element}: -1 when it transposes (psi to 90 deg - psi). */
    public static int cos2PsiSign(int element) {
        check(element);
        return (element & 4) != 0 ? -1 : 1;
    }

    /**
     * The factor sin 2psi takes under symmetry {@code element}: -1 when it mirrors exactly one axis (psi to -psi;
     * two mirrors are a half turn, which leaves an orientation unchanged).
     */
    public static int sin2PsiSign(int element) {
        check(element);
        return Integer.bitCount(element & 3) == 1 ? -1 : 1;
    }

    private static void check(int element) {
        if (element < 0 || element >= ORDER) {
            throw new IllegalArgumentException("a dihedral element is 0..7, got " + element);
        }
    }
}
