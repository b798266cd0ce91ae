package org.magmap.observe;

/** Read access to a {@link CubeFields}' arrays for callers outside the package (no copies). */
public final class CubeFieldsAccess {
    private CubeFieldsAccess() {}

    /** The velocity components x, y, z. */
    public static float[][] velocity(CubeFields f) {
        return f.velocity;
    }
}
