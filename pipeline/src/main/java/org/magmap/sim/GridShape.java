package org.magmap.sim;

import java.io.Serializable;

/**
 * A uniform grid of {@code nx * ny * nz} cells. Arrays are laid out x fastest, then y, then z (FITS order:
 * NAXIS1 = x), so a z-slab is one contiguous block.
 */
public record GridShape(int nx, int ny, int nz) implements Serializable {
    public GridShape {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new IllegalArgumentException("grid dimensions must be positive, got " + nx + "x" + ny + "x" + nz);
        }
        if ((long) nx * ny > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("a z-plane of " + nx + "x" + ny + " cells is too large");
        }
    }

    /** A cube of side n. */
    public static GridShape cube(int n) {
        return new GridShape(n, n, n);
    }

    /** Cells in one z-plane. */
    public int planeSize() {
        return nx * ny;
    }

    /** Cells in all. */
    public long cells() {
        return (long) nx * ny * nz;
    }

    /** Flat index of cell (x, y, z) in a full array. */
    public long index(int x, int y, int z) {
        return ((long) z * ny + y) * nx + x;
    }

    @Override
    public String toString() {
        return nx + "x" + ny + "x" + nz;
    }
}
