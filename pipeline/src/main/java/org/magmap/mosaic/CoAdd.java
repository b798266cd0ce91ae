package org.magmap.mosaic;

import java.util.List;

/**
 * The co-addition of one target block: each input's maps resampled at the target pixels (bilinear between pixel
 * centres, an orientation through its (cos 2 psi, sin 2 psi)), weighted by the input's COVERAGE times a feather
 * that falls to its edges, and summed. The result per pixel is the weighted mean {@code sum w v / sum w}; an
 * orientation is {@code 0.5 atan2(sum w sin 2psi, sum w cos 2psi)} of the position angles after each is turned
 * into the target frame; an {@code _ERR} map (independent errors) is {@code sqrt(sum w^2 err^2) / sum w}.
 * Plain arithmetic: the tests check it without Spark.
 */
public final class CoAdd {
    private final int pixels;
    private final List<String> maps;
    private final double[][] sumW;
    private final double[][] sumA; // w v, or w cos 2psi
    private final double[][] sumB; // w sin 2psi for an orientation
    private final double[] coverage;
    private final int[] count;

    /** Where one input's pixels lie under the block's target pixels. */
    public record Sampling(double[] x, double[] y, double[] turnDeg, int[] region) {}

    /**
     * @param pixels the block's pixel count
     * @param maps the co-added maps (orientations by {@link MosaicInput#isAngle})
     */
    public CoAdd(int pixels, List<String> maps) {
        this.pixels = pixels;
        this.maps = List.copyOf(maps);
        sumW = new double[maps.size()][pixels];
        sumA = new double[maps.size()][pixels];
        sumB = new double[maps.size()][pixels];
        coverage = new double[pixels];
        count = new int[pixels];
    }

    /**
     * The feather weight of an input pixel position: sin^2 of the distance to the input's outer edge, reaching 1
     * {@code featherPixels} in (1 everywhere when that is 0).
     */
    public static double feather(double x, double y, int nx, int ny, double featherPixels) {
        if (featherPixels <= 0) {
            return 1;
        }
        double d = Math.min(Math.min(x + 0.5, nx - 0.5 - x), Math.min(y + 0.5, ny - 0.5 - y));
        double s = Math.sin(Math.PI / 2 * Math.max(0, Math.min(1, d / featherPixels)));
        return s * s;
    }

    /**
     * Adds one input.
     *
     * @param s where its pixels lie (x and y NaN where the target pixel is off the input)
     * @param coverage its COVERAGE over {@code s.region()}, or null (weight 1)
     * @param regions its maps over {@code s.region()}, in the order of this co-add's maps
     */
    public void add(Sampling s, int nx, int ny, float[] coverage, List<float[]> regions, double featherPixels) {
        int[] r = s.region();
        int rw = r[1] - r[0];
        int rh = r[3] - r[2];
        for (int p = 0; p < pixels; p++) {
            double x = s.x()[p];
            double y = s.y()[p];
            if (Double.isNaN(x)) {
                continue;
            }
            Corners c = Corners.of(x, y, nx, ny, r[0], r[2], rw, rh);
            double cov = coverage == null ? 1 : c.linear(coverage);
            double w = cov * feather(x, y, nx, ny, featherPixels);
            if (!(w > 0)) {
                continue;
            }
            this.coverage[p] += w;
            count[p]++;
            for (int q = 0; q < maps.size(); q++) {
                float[] m = regions.get(q);
                String name = maps.get(q);
                if (MosaicInput.isAngle(name)) {
                    double[] cs = c.axial(m);
                    if (cs == null) {
                        continue;
                    }
                    double psi = 0.5 * Math.atan2(cs[1], cs[0]) + Math.toRadians(s.turnDeg()[p]);
                    sumW[q][p] += w;
                    sumA[q][p] += w * Math.cos(2 * psi);
                    sumB[q][p] += w * Math.sin(2 * psi);
                } else {
                    double v = c.linear(m);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    sumW[q][p] += w;
                    sumA[q][p] += name.endsWith("_ERR") ? w * w * v * v : w * v;
                }
            }
        }
    }

    /** The block's maps, then COVERAGE and N_INPUTS (NaN maps and zero coverage where no input reaches). */
    public float[][] result() {
        float[][] out = new float[maps.size() + 2][pixels];
        for (int q = 0; q < maps.size(); q++) {
            String name = maps.get(q);
            for (int p = 0; p < pixels; p++) {
                double w = sumW[q][p];
                double v;
                if (!(w > 0)) {
                    v = Double.NaN;
                } else if (MosaicInput.isAngle(name)) {
                    double deg = Math.toDegrees(0.5 * Math.atan2(sumB[q][p], sumA[q][p]));
                    v = ((deg % 180) + 180) % 180;
                } else if (name.endsWith("_ERR")) {
                    v = Math.sqrt(sumA[q][p]) / w;
                } else {
                    v = sumA[q][p] / w;
                }
                out[q][p] = (float) v;
            }
        }
        for (int p = 0; p < pixels; p++) {
            out[maps.size()][p] = (float) coverage[p];
            out[maps.size() + 1][p] = count[p];
        }
        return out;
    }

    /** The four input pixels about a position and their bilinear weights, within a region read from the map. */
    private record Corners(int[] index, double[] weight) {
        /** Positions within half a pixel of the outer pixel centres take the edge value (the pixel's own area). */
        static Corners of(double x, double y, int nx, int ny, int rx, int ry, int rw, int rh) {
            double cx = Math.max(0, Math.min(nx - 1, x));
            double cy = Math.max(0, Math.min(ny - 1, y));
            int x0 = (int) Math.floor(cx);
            int y0 = (int) Math.floor(cy);
            double fx = snap(cx - x0);
            double fy = snap(cy - y0);
            if (fx == 1) {
                x0++;
                fx = 0;
            }
            if (fy == 1) {
                y0++;
                fy = 0;
            }
            int x1 = Math.min(x0 + 1, nx - 1);
            int y1 = Math.min(y0 + 1, ny - 1);
            int i00 = (y0 - ry) * rw + (x0 - rx);
            int i10 = (y0 - ry) * rw + (x1 - rx);
            int i01 = (y1 - ry) * rw + (x0 - rx);
            int i11 = (y1 - ry) * rw + (x1 - rx);
            return new Corners(
                    new int[] {i00, i10, i01, i11},
                    new double[] {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy});
        }

        /** A fraction within 1e-6 of a pixel centre is on it: grids that share pixel centres resample exactly. */
        private static double snap(double f) {
            return f < 1e-6 ? 0 : f > 1 - 1e-6 ? 1 : f;
        }

        /** The bilinear value; NaN if a corner that counts is NaN. */
        double linear(float[] m) {
            double v = 0;
            for (int k = 0; k < 4; k++) {
                if (weight[k] > 0) {
                    v += weight[k] * m[index[k]];
                }
            }
            return v;
        }

        /** The bilinear (cos 2psi, sin 2psi) of an orientation map in degrees; null if a corner that counts is NaN. */
        double[] axial(float[] m) {
            double c = 0;
            double s = 0;
            for (int k = 0; k < 4; k++) {
                if (weight[k] > 0) {
                    double a = Math.toRadians(2.0 * m[index[k]]);
                    if (Double.isNaN(a)) {
                        return null;
                    }
                    c += weight[k] * Math.cos(a);
                    s += weight[k] * Math.sin(a);
                }
            }
            return c == 0 && s == 0 ? null : new double[] {c, s};
        }
    }
}
