package org.magmap.baseline;

import java.io.Serializable;
import org.magmap.observe.Angles;

/**
 * The Velocity Gradient Technique (VGT; Lazarian &amp; Yuen 2018, ApJ 853, 96; Hu, Yuen &amp; Lazarian 2018):
 * in thin velocity-channel maps, intensity gradients run perpendicular to the local magnetic field, because MHD
 * eddies are elongated along the field. Recipe, per channel map:
 *
 * <ol>
 *   <li>the intensity gradient per pixel with the 3x3 Sobel operator ({@link #sobel}), and its orientation
 *       {@code atan2(dI/dy, dI/dx)};
 *   <li>sub-block averaging: in each block of {@code blockSize x blockSize} pixels, the histogram of gradient
 *       orientations (36 bins over [0, 180) by default); its maximum, refined by a Gaussian fit, is the block's
 *       gradient orientation {@code psi_ch} ({@link #peakOrientationDeg});
 * </ol>
 *
 * then over channels the pseudo-Stokes sums {@code Q = sum_ch I_ch cos(2 psi_ch)}, {@code U = sum_ch I_ch
 * sin(2 psi_ch)}, {@code psi_gradient = 0.5 atan2(U, Q)} (Hu et al. 2018, Lazarian &amp; Yuen 2018), and the
 * field orientation {@code psi_B = psi_gradient + 90 deg} (docs/science.md section 5).
 *
 * <p>Conventions chosen here:
 *
 * <ul>
 *   <li>Edges: the Sobel stencil reflects the map about its border, half-sample symmetric ({@code d c b a | a b c
 *       d}, scipy.ndimage's {@code mode='reflect'}). The derivative across the border in the outermost row and
 *       column is therefore a one-sided difference at half weight: edge pixels are biased, interior ones exact.
 *   <li>NaN: a pixel whose 3x3 neighbourhood holds a NaN has a NaN gradient and is left out of its block's
 *       histogram, as are pixels with zero gradient (no orientation). A block with no usable pixel in a channel
 *       contributes nothing from that channel; a block with none in any channel is NaN.
 *   <li>Channel weight {@code I_ch}: the sum of the finite intensities of the block in that channel. A channel
 *       whose block sum is not positive (noise around zero) is skipped: a negative weight would turn its
 *       orientation by 90 deg.
 *   <li>Blocks start at multiples of the stride (default = block size, non-overlapping). Partial blocks at the
 *       right and top edges are skipped; pixels covered by no full block are NaN in the per-pixel map. With
 *       overlapping blocks (stride &lt; block size) a pixel takes the value of the covering block whose centre is
 *       nearest (ties to the lower index).
 *   <li>Exact cancellation (|Q, U| below 1e-9 of the summed weight, e.g. equal weights at 0 and 90 deg) has no
 *       orientation and gives NaN.
 * </ul>
 *
 * <p>Angles in degrees, folded into [0, 180), from +x towards +y. Maps are {@code nx * ny}, x fastest.
 */
public final class VelocityGradients {
    /** The refinement window of the histogram peak: +-this many bin widths around the current centre. */
    private static final double PEAK_WINDOW_BINS = 2.0;

    private static final int PEAK_MAX_ITERATIONS = 50;
    private static final double PEAK_CONVERGED_DEG = 1e-6;
    private static final double CANCELLATION_FRACTION = 1e-9;

    private VelocityGradients() {}

    /**
     * How VGT averages.
     *
     * @param blockSize side of a sub-block in pixels (default 32, the H I paper's scale)
     * @param blockStride step between block origins in pixels (default = blockSize: non-overlapping)
     * @param histogramBins orientation histogram bins over [0, 180) (default 36: 5 deg)
     * @param amplitudeWeighted weight each pixel's orientation by its gradient amplitude (default false: counts,
     *     as in Lazarian &amp; Yuen 2018)
     */
    public record Settings(int blockSize, int blockStride, int histogramBins, boolean amplitudeWeighted)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        public Settings {
            if (blockSize < 2) {
                throw new IllegalArgumentException("VGT block size must be >= 2 pixels; got " + blockSize);
            }
            if (blockStride < 1) {
                throw new IllegalArgumentException("VGT block stride must be >= 1 pixel; got " + blockStride);
            }
            if (histogramBins < 3) {
                throw new IllegalArgumentException("VGT histogram needs >= 3 bins over 180 deg; got " + histogramBins);
            }
        }

        /** 32 px non-overlapping blocks, 36 bins, unweighted histogram. */
        public static Settings defaults() {
            return of(32);
        }

        /** Non-overlapping blocks of the given size, 36 bins, unweighted histogram. */
        public static Settings of(int blockSize) {
            return new Settings(blockSize, blockSize, 36, false);
        }

        /** Blocks along an axis of {@code n} pixels: only full blocks count. */
        int blocksAlong(int n) {
            return n >= blockSize ? (n - blockSize) / blockStride + 1 : 0;
        }
    }

    /**
     * Sobel derivatives of a map, in intensity units per pixel (the kernel is divided by 8, so a linear ramp
     * gives its slope exactly). Arrays are not copied.
     *
     * @param dIdx derivative along +x per pixel
     * @param dIdy derivative along +y per pixel
     */
    public record SobelGradient(int nx, int ny, float[] dIdx, float[] dIdy) {
        /** Gradient orientation per pixel in degrees [0, 180); NaN where the gradient is NaN or zero. */
        public float[] orientationDeg() {
            float[] out = new float[dIdx.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) orientationDeg(dIdx[i], dIdy[i]);
            }
            return out;
        }

        /** Gradient amplitude per pixel, {@code hypot(dI/dx, dI/dy)}; NaN where the gradient is NaN. */
        public float[] amplitude() {
            float[] out = new float[dIdx.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) Math.hypot(dIdx[i], dIdy[i]);
            }
            return out;
        }

        private static double orientationDeg(double gx, double gy) {
            if (!Double.isFinite(gx) || !Double.isFinite(gy) || (gx == 0 && gy == 0)) {
                return Double.NaN;
            }
            return Angles.foldOrientationDeg(Math.toDegrees(Math.atan2(gy, gx)));
        }
    }

    /**
     * The VGT field orientation.
     *
     * @param nx map width in pixels
     * @param ny map height in pixels
     * @param settings the averaging used
     * @param nBlocksX blocks along x
     * @param nBlocksY blocks along y
     * @param blockFieldDeg psi_B per block, {@code nBlocksY x nBlocksX}, x fastest; NaN where undefined
     * @param pixelFieldDeg psi_B per pixel, {@code ny x nx}, each pixel its block's value; NaN outside full
     *     blocks
     */
    public record Result(
            int nx, int ny, Settings settings, int nBlocksX, int nBlocksY, float[] blockFieldDeg, float[] pixelFieldDeg)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** VGT over the given thin channel maps (each {@code nx * ny}), with the given settings. */
    public static Result fieldOrientation(float[][] channelMaps, int nx, int ny, Settings settings) {
        Accumulator acc = new Accumulator(nx, ny, settings);
        for (float[] channel : channelMaps) {
            acc.addChannel(channel);
        }
        return acc.result();
    }

    /**
     * Adds channels one at a time, so that a cube is streamed channel by channel rather than held whole. Not
     * thread-safe; holds per-block Q, U and the weight sum only.
     */
    public static final class Accumulator {
        private final int nx;
        private final int ny;
        private final Settings settings;
        private final int nBlocksX;
        private final int nBlocksY;
        private final double[] q;
        private final double[] u;
        private final double[] weight;
        private final double[] anglesDeg;
        private final double[] pixelWeights;

        public Accumulator(int nx, int ny, Settings settings) {
            if (nx < 1 || ny < 1) {
                throw new IllegalArgumentException("map must be at least 1x1 pixels; got " + nx + "x" + ny);
            }
            this.nx = nx;
            this.ny = ny;
            this.settings = settings;
            this.nBlocksX = settings.blocksAlong(nx);
            this.nBlocksY = settings.blocksAlong(ny);
            int blocks = nBlocksX * nBlocksY;
            q = new double[blocks];
            u = new double[blocks];
            weight = new double[blocks];
            int perBlock = settings.blockSize() * settings.blockSize();
            anglesDeg = new double[perBlock];
            pixelWeights = new double[perBlock];
        }

        /** Adds one thin channel map ({@code nx * ny}, x fastest) to the pseudo-Stokes sums. */
        public void addChannel(float[] channel) {
            checkSize(channel, nx, ny);
            SobelGradient g = sobel(channel, nx, ny);
            float[] orientation = g.orientationDeg();
            float[] amplitude = g.amplitude();
            int bs = settings.blockSize();
            for (int by = 0; by < nBlocksY; by++) {
                for (int bx = 0; bx < nBlocksX; bx++) {
                    int x0 = bx * settings.blockStride();
                    int y0 = by * settings.blockStride();
                    int n = 0;
                    double intensity = 0;
                    for (int y = y0; y < y0 + bs; y++) {
                        for (int x = x0; x < x0 + bs; x++) {
                            int i = y * nx + x;
                            if (Float.isFinite(channel[i])) {
                                intensity += channel[i];
                            }
                            if (Float.isFinite(orientation[i])) {
                                anglesDeg[n] = orientation[i];
                                pixelWeights[n] = settings.amplitudeWeighted() ? amplitude[i] : 1.0;
                                n++;
                            }
                        }
                    }
                    if (!(intensity > 0)) {
                        continue;
                    }
                    double psi = peakOrientationDeg(anglesDeg, pixelWeights, n, settings.histogramBins());
                    if (Double.isNaN(psi)) {
                        continue;
                    }
                    // pseudo-Stokes sum over channels (Lazarian & Yuen 2018; Hu et al. 2018)
                    int b = by * nBlocksX + bx;
                    double twoPsi = 2.0 * Math.toRadians(psi);
                    q[b] += intensity * Math.cos(twoPsi);
                    u[b] += intensity * Math.sin(twoPsi);
                    weight[b] += intensity;
                }
            }
        }

        /** psi_B per block and per pixel from the channels added so far. */
        public Result result() {
            float[] blockField = new float[q.length];
            for (int b = 0; b < q.length; b++) {
                // the field runs perpendicular to the gradients: psi_B = psi_gradient + 90 deg
                blockField[b] =
                        (float) Angles.foldOrientationDeg(pseudoStokesOrientationDeg(q[b], u[b], weight[b]) + 90.0);
            }
            return new Result(nx, ny, settings, nBlocksX, nBlocksY, blockField, pixelMap(blockField));
        }

        private float[] pixelMap(float[] blockField) {
            int[] blockOfX = nearestCoveringBlock(nx, nBlocksX, settings);
            int[] blockOfY = nearestCoveringBlock(ny, nBlocksY, settings);
            float[] out = new float[nx * ny];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int bx = blockOfX[x];
                    int by = blockOfY[y];
                    out[y * nx + x] = bx < 0 || by < 0 ? Float.NaN : blockField[by * nBlocksX + bx];
                }
            }
            return out;
        }
    }

    /**
     * For each pixel along an axis, the index of the covering block whose centre is nearest, or -1 where no
     * full block covers it.
     */
    static int[] nearestCoveringBlock(int n, int nBlocks, Settings s) {
        int[] out = new int[n];
        int bs = s.blockSize();
        int stride = s.blockStride();
        double centreOffset = (bs - 1) / 2.0;
        for (int p = 0; p < n; p++) {
            // blocks covering p: b * stride <= p < b * stride + bs
            int first = Math.max(0, Math.floorDiv(p - bs, stride) + 1);
            int last = Math.min(nBlocks - 1, p / stride);
            if (first > last) {
                out[p] = -1;
                continue;
            }
            int best = first;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int b = first; b <= last; b++) {
                double d = Math.abs(b * stride + centreOffset - p);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = b;
                }
            }
            out[p] = best;
        }
        return out;
    }

    /**
     * The 3x3 Sobel derivatives of a map, divided by 8 so that they are per-pixel slopes:
     *
     * <pre>
     * dI/dx = 1/8 [ -1 0 1 ; -2 0 2 ; -1 0 1 ] * I,   dI/dy likewise with the kernel transposed
     * </pre>
     *
     * The map is reflected half-sample symmetric about its border; a NaN anywhere in the 3x3 neighbourhood
     * makes the pixel's derivatives NaN.
     */
    public static SobelGradient sobel(float[] map, int nx, int ny) {
        checkSize(map, nx, ny);
        float[] gx = new float[map.length];
        float[] gy = new float[map.length];
        for (int y = 0; y < ny; y++) {
            int ym = reflect(y - 1, ny) * nx;
            int y0 = y * nx;
            int yp = reflect(y + 1, ny) * nx;
            for (int x = 0; x < nx; x++) {
                int xm = reflect(x - 1, nx);
                int xp = reflect(x + 1, nx);
                double a = map[ym + xm];
                double b = map[ym + x];
                double c = map[ym + xp];
                double d = map[y0 + xm];
                double f = map[y0 + xp];
                double g = map[yp + xm];
                double h = map[yp + x];
                double k = map[yp + xp];
                // centre pixel does not enter the kernel, but a NaN there means no data at this pixel
                double centreGuard = map[y0 + x] * 0.0;
                gx[y0 + x] = (float) (((c - a) + 2.0 * (f - d) + (k - g)) / 8.0 + centreGuard);
                gy[y0 + x] = (float) (((g - a) + 2.0 * (h - b) + (k - c)) / 8.0 + centreGuard);
            }
        }
        return new SobelGradient(nx, ny, gx, gy);
    }

    /** Half-sample symmetric reflection of an index into [0, n): -1 -> 0, n -> n-1. */
    private static int reflect(int i, int n) {
        if (i < 0) {
            return Math.min(-i - 1, n - 1);
        }
        if (i >= n) {
            return Math.max(2 * n - i - 1, 0);
        }
        return i;
    }

    /**
     * The dominant orientation of a set of orientations: the maximum of their histogram ({@code bins} bins over
     * [0, 180)), refined by fitting a Gaussian to the samples around it. The fit is by moments: the weighted mean
     * offset of the samples within +-2 bin widths of the current centre, with the window re-centred on the
     * fitted mean until it stops moving (a mean shift, which settles on the mode of a symmetric peak). It works
     * on the samples rather than the binned counts so that a peak narrower than a bin is not quantized to the
     * bin centre. Offsets are taken mod 180, so a peak straddling 0/180 is handled.
     *
     * @param anglesDeg orientations in degrees (any fold), the first {@code n} used
     * @param weights their weights (&gt;= 0)
     * @return the orientation in [0, 180), or NaN when there is no sample or no weight
     */
    public static double peakOrientationDeg(double[] anglesDeg, double[] weights, int n, int bins) {
        double binWidth = 180.0 / bins;
        double[] histogram = new double[bins];
        for (int i = 0; i < n; i++) {
            int k = Math.min((int) (Angles.foldOrientationDeg(anglesDeg[i]) / binWidth), bins - 1);
            histogram[k] += weights[i];
        }
        int peak = 0;
        for (int k = 1; k < bins; k++) {
            if (histogram[k] > histogram[peak]) {
                peak = k;
            }
        }
        if (!(histogram[peak] > 0)) {
            return Double.NaN;
        }
        double centre = (peak + 0.5) * binWidth;
        double halfWindow = PEAK_WINDOW_BINS * binWidth;
        for (int iter = 0; iter < PEAK_MAX_ITERATIONS; iter++) {
            double sumW = 0;
            double sumOffset = 0;
            for (int i = 0; i < n; i++) {
                double offset = Angles.signedOrientationDifferenceDeg(anglesDeg[i], centre);
                if (Math.abs(offset) <= halfWindow) {
                    sumW += weights[i];
                    sumOffset += weights[i] * offset;
                }
            }
            if (!(sumW > 0)) {
                break; // cannot happen (the window always holds a sample), kept as a guard
            }
            double shift = sumOffset / sumW;
            centre = Angles.foldOrientationDeg(centre + shift);
            if (Math.abs(shift) < PEAK_CONVERGED_DEG) {
                break;
            }
        }
        return centre;
    }

    /**
     * {@code 0.5 atan2(U, Q)} in [0, 180): the orientation of pseudo-Stokes sums; NaN when the sums cancel
     * (|(Q, U)| at most 1e-9 of the summed weight) or no weight was added.
     */
    static double pseudoStokesOrientationDeg(double q, double u, double sumWeight) {
        if (!(sumWeight > 0) || Math.hypot(q, u) <= CANCELLATION_FRACTION * sumWeight) {
            return Double.NaN;
        }
        return Angles.foldOrientationDeg(0.5 * Math.toDegrees(Math.atan2(u, q)));
    }

    private static void checkSize(float[] map, int nx, int ny) {
        if (map.length != (long) nx * ny) {
            throw new IllegalArgumentException(
                    "map has " + map.length + " pixels, expected nx * ny = " + nx + " * " + ny);
        }
    }
}
