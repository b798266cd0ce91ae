package org.magmap.observe;

/** Small helpers for 2D maps stored x fastest. */
public final class Maps {
    private Maps() {}

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    /** Mean of the finite values. */
    public static double mean(float[] map) {
        double sum = 0;
        long n = 0;
        for (float v : map) {
            if (Float.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Standard deviation of the finite values. */
    public static double std(float[] map) {
        double m = mean(map);
        double sum = 0;
        long n = 0;
        for (float v : map) {
            if (Float.isFinite(v)) {
                sum += (v - m) * (v - m);
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(sum / n);
    }

    /** The map rotated by a quarter turn counter-clockwise (x towards y), {@code turns} times; square maps only. */
    public static float[] quarterTurns(float[] map, int n, int turns) {
        float[] out = map.clone();
        for (int t = 0; t < Math.floorMod(turns, 4); t++) {
            float[] next = new float[out.length];
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    // a point at offset (dx, dy) from the centre moves to (-dy, dx)
                    int nxp = n - 1 - y;
                    int nyp = x;
                    next[nyp * n + nxp] = out[y * n + x];
                }
            }
            out = next;
        }
        return out;
    }
}
