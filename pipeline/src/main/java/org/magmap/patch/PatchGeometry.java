package org.magmap.patch;

/** Sampling a rotated square window of a map (bilinear), the core of rotation augmentation. */
public final class PatchGeometry {
    private PatchGeometry() {}

    /**
     * The largest distance from the centre of a {@code size x size} patch to any of its pixel centres, whatever
     * the rotation: a centre at least this far from the map's edge pixels never samples outside the map, so a
     * rotated patch has no empty corners (the equivalent of rotating a larger crop and keeping its middle).
     */
    public static double footprintRadius(int size) {
        return (size - 1) / 2.0 * Math.sqrt(2);
    }

    /**
     * Samples the map so that its content appears rotated counter-clockwise (from +x towards +y) by {@code
     * angleDeg} about {@code (cx, cy)}: output pixel (i, j), at offset {@code (u, v) = (i - (s-1)/2, j - (s-1)/2)}
     * from the patch centre, takes the map value at {@code (cx + u cos a + v sin a, cy - u sin a + v cos a)}. A
     * feature at orientation psi in the map appears at psi + a in the patch.
     *
     * @param map values, x fastest
     * @param out receives size * size values, x fastest
     * @throws IllegalArgumentException if the rotated window leaves the map
     */
    public static void sample(
            float[] map, int nx, int ny, double cx, double cy, double angleDeg, int size, float[] out) {
        if (nx >= 2 && ny >= 2) {
            sampleAll(new float[][] {map}, nx, ny, cx, cy, angleDeg, size, new float[][] {out});
            return;
        }
        // A map one pixel wide or high: bilinear() handles the missing neighbours.
        double a = Math.toRadians(angleDeg);
        double c = Math.cos(a);
        double s = Math.sin(a);
        double half = (size - 1) / 2.0;
        requireInside(nx, ny, cx, cy, angleDeg, size, c, s);
        for (int j = 0; j < size; j++) {
            double v = j - half;
            for (int i = 0; i < size; i++) {
                double u = i - half;
                double x = cx + u * c + v * s;
                double y = cy - u * s + v * c;
                out[j * size + i] = (float) bilinear(map, nx, ny, x, y);
            }
        }
    }

    /**
     * {@link #sample} of several maps of the same grid at the same positions (sample() itself is this for one map):
     * the positions and interpolation weights are worked out once per pixel rather than once per map. A patch
     * takes its image and seven truth maps from the same window, and the positions were most of the cost.
     *
     * @param maps values, x fastest, each nx * ny
     * @param outs each receives size * size values, x fastest
     */
    public static void sampleAll(
            float[][] maps, int nx, int ny, double cx, double cy, double angleDeg, int size, float[][] outs) {
        if (maps.length != outs.length) {
            throw new IllegalArgumentException(maps.length + " maps but " + outs.length + " outputs");
        }
        if (nx < 2 || ny < 2) {
            for (int m = 0; m < maps.length; m++) {
                sample(maps[m], nx, ny, cx, cy, angleDeg, size, outs[m]);
            }
            return;
        }
        double a = Math.toRadians(angleDeg);
        double c = Math.cos(a);
        double s = Math.sin(a);
        double half = (size - 1) / 2.0;
        requireInside(nx, ny, cx, cy, angleDeg, size, c, s);
        for (int j = 0; j < size; j++) {
            double v = j - half;
            for (int i = 0; i < size; i++) {
                double u = i - half;
                // bilinear()'s arithmetic, step for step, for maps at least 2 x 2.
                double x = Math.min(Math.max(cx + u * c + v * s, 0), nx - 1);
                double y = Math.min(Math.max(cy - u * s + v * c, 0), ny - 1);
                int x0 = Math.min((int) x, nx - 2);
                int y0 = Math.min((int) y, ny - 2);
                double fx = x - x0;
                double fy = y - y0;
                int top = y0 * nx + x0;
                int bottom = top + nx;
                int at = j * size + i;
                for (int m = 0; m < maps.length; m++) {
                    float[] map = maps[m];
                    double t = map[top] * (1 - fx) + map[top + 1] * fx;
                    double b = map[bottom] * (1 - fx) + map[bottom + 1] * fx;
                    outs[m][at] = (float) (t * (1 - fy) + b * fy);
                }
            }
        }
    }

    /** Refuses a rotated window (cosine c, sine s of its turn) that leaves the map. */
    private static void requireInside(
            int nx, int ny, double cx, double cy, double angleDeg, int size, double c, double s) {
        double extent = (size - 1) / 2.0 * (Math.abs(c) + Math.abs(s)); // half-width of the rotated square's bounds
        if (cx - extent < -1e-6 || cy - extent < -1e-6 || cx + extent > nx - 1 + 1e-6 || cy + extent > ny - 1 + 1e-6) {
            throw new IllegalArgumentException("a " + size + "-pixel patch centred at (" + cx + ", " + cy
                    + ") turned by " + angleDeg + " deg leaves the " + nx + "x" + ny + " map");
        }
    }

    /** Bilinear interpolation at (x, y) in pixel-index coordinates, clamped to the map. */
    static double bilinear(float[] map, int nx, int ny, double x, double y) {
        x = Math.min(Math.max(x, 0), nx - 1);
        y = Math.min(Math.max(y, 0), ny - 1);
        int x0 = Math.min((int) x, nx - 2);
        int y0 = Math.min((int) y, ny - 2);
        if (nx == 1) {
            x0 = 0;
        }
        if (ny == 1) {
            y0 = 0;
        }
        double fx = x - x0;
        double fy = y - y0;
        int i = y0 * nx + x0;
        double top = map[i] * (1 - fx) + (nx > 1 ? map[i + 1] * fx : 0);
        if (ny == 1) {
            return top;
        }
        int k = i + nx;
        double bottom = map[k] * (1 - fx) + (nx > 1 ? map[k + 1] * fx : 0);
        return top * (1 - fy) + bottom * fy;
    }
}
