package org.magmap.sim;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.IntStream;
import org.jtransforms.fft.FloatFFT_3D;

/**
 * Synthetic MHD turbulence with known truth: the embedded default source of cubes when no real run is at
 * hand. A statistical model, not a solver; it carries the properties the networks learn from.
 *
 * <ul>
 *   <li><b>Magnetic field</b> {@code B = B0 + dB}: {@code dB} is a sum of Alfvenic modes, each polarised along
 *       {@code k x b0} (perpendicular to both the wave vector and the mean field). The 3D power spectrum is the
 *       Goldreich-Sridhar / Lazarian-Vishniac anisotropic form (Cho, Lazarian & Vishniac 2002, ApJ 564, 291):
 *       {@code P(k) ~ k_perp^(-8/3) G(k_par / D) / D} with {@code D = min(M_A^(4/3) k_perp^(2/3), k_perp)} in
 *       units of the box wavenumber and G a Gaussian, so that eddies of perpendicular size l_perp have l_par ~ L^(1/3) l_perp^(2/3) M_A^(-4/3)
 *       (Lazarian & Vishniac 1999) and a Kolmogorov 1D spectrum E(k_perp) ~ k_perp^(-5/3). The spectrum rises
 *       from the box scale to a peak at the injection wavenumber and is cut off at the dissipation scale.
 *   <li><b>div B = 0 to rounding error</b> with the second-order centred difference: the polarisation is
 *       taken perpendicular to the centred-difference wave vector {@code sin(2 pi m / N)} rather than to
 *       {@code m}, so {@code (B_x[i+1] - B_x[i-1]) / 2 + ...} vanishes mode by mode.
 *   <li><b>Velocity</b> is Alfvenic: each mode of {@code v} is {@code +-dB / sqrt(4 pi rho0)} (the sign is the
 *       propagation direction along B0, random per mode), normalised to the requested 3D dispersion; the
 *       magnetic fluctuation is normalised to {@code dB_rms = sigma_v sqrt(4 pi rho0) = M_A B0}.
 *   <li><b>Density</b> is log-normal: {@code ln(rho/rho0)} is a Gaussian field with the same anisotropic
 *       spectrum and variance {@code ln(1 + b^2 M_s^2)} (Padoan, Nordlund & Jones 1997). Exponentiation makes
 *       sharp, small dense structures at high M_s and flattens the density spectrum, as in supersonic MHD
 *       turbulence, while the log-density spectrum stays Kolmogorov-like (Beresnyak, Lazarian & Cho 2005, ApJ
 *       624, L93). The mean is renormalised to rho0 exactly.
 * </ul>
 *
 * <p><b>The local field's imprint on the gas is optional</b> ({@link TurbulenceSpec#fieldLineSmoothingCells}).
 * The modes' anisotropy is taken in the mean-field frame, the density's phases are independent of the field's,
 * and each velocity mode has a random sign against its field mode, so the velocity and the field fluctuation
 * are nearly uncorrelated Gaussian fields (component correlation coefficients of 0.12 or less in 128^3 cubes of
 * the H I grid): without the imprint the maps follow {@code b0}, not the local field. In real MHD turbulence
 * eddies align with the local field (the premise of the VGT); without the imprint the part of psi that departs
 * from the projected mean field cannot be read from any map, which bounds every method's psi accuracy on trans-
 * and super-Alfvenic runs. At M_A above about 1 the {@code dB} modes, all perpendicular to {@code b0}, outweigh
 * it and psi lies near the mean field's perpendicular while the gas is nearly isotropic. With the imprint on,
 * ln(rho / rho0) and each velocity component are smoothed along the field lines of {@code B} over the given
 * length ({@link FieldLineSmoothing}) before their variance and dispersion are set, so the gas is striated
 * along the local field in 3D. The projected maps keep little of it where the field turns along the line of
 * sight (measured on the H I suite: docs/results.md, "Reading the psi figures"). MHD cubes ({@link AthenaKBinReader},
 * {@link FlashHdf5Reader}) remain the real test of local orientation.
 *
 * <p>Deterministic: mode amplitudes come from {@link ModeRandom} keyed by (seed, snapshot, mode), so the
 * output does not depend on threads or partitions; transcendental functions go through {@link StrictMath} so
 * they do not vary with the CPU's intrinsics (the FFT library's twiddle factors may still differ in the last
 * bit between platforms: same platform, same bits; different platforms, same to rounding). Fields are produced by group (density; the velocity
 * components; the field components) and one group is kept at a time, so memory is bounded by three fields plus
 * one complex FFT buffer (about 2.5 GiB at 512^3; with the imprint the density and velocity groups also hold the
 * field and the smoothed copies, about 4.5 GiB). Read fields group by group, e.g. in {@link Field} order.
 */
public final class SyntheticTurbulence implements CubeReader {
    private static final int STREAM_FIELD_MODES = 0;
    private static final int STREAM_ALFVEN_SIGN = 1;
    private static final int STREAM_DENSITY_MODES = 2;
    /** Source code name in cube metadata. */
    public static final String SOURCE_CODE = "magmap-synthetic";

    private enum Group {
        DENSITY,
        VELOCITY,
        MAGNETIC
    }

    private final TurbulenceSpec spec;
    private final CubeMeta meta;
    private final long modeSeed;
    private Group cachedGroup;
    private float[][] cached;

    public SyntheticTurbulence(TurbulenceSpec spec) {
        this.spec = spec;
        this.modeSeed = ModeRandom.mix(spec.seed() * 0x632BE59BD9B4E019L + spec.snapshot());
        this.meta = new CubeMeta(
                spec.runId(),
                SOURCE_CODE,
                GridShape.cube(spec.gridSize()),
                spec.cellSizePc(),
                true,
                spec.snapshot(),
                Double.NaN,
                EnumSet.range(Field.DENSITY, Field.B_Z),
                spec.b0Microgauss(),
                spec.meanFieldDirection(),
                spec.soundSpeedKmPerS(),
                spec.sigmaVKmPerS(),
                spec.meanMassDensity(),
                spec.asProvenance());
    }

    /** The parameters this cube was made from. */
    public TurbulenceSpec spec() {
        return spec;
    }

    @Override
    public CubeMeta meta() {
        return meta;
    }

    @Override
    public synchronized float[] readSlab(Field field, int z0, int planes) {
        checkSlab(field, z0, planes);
        float[][] group = group(groupOf(field));
        int plane = meta.shape().planeSize();
        return Arrays.copyOfRange(group[componentOf(field)], z0 * plane, (z0 + planes) * plane);
    }

    /** The whole field without copying it once more (the cached array; do not modify it). */
    synchronized float[] fieldView(Field field) {
        checkSlab(field, 0, meta.shape().nz());
        return group(groupOf(field))[componentOf(field)];
    }

    /** Generates the whole cube in memory (tests and small runs). */
    public Cube toCube() {
        java.util.EnumMap<Field, float[]> data = new java.util.EnumMap<>(Field.class);
        for (Field f : meta.fields()) {
            data.put(f, fieldView(f).clone());
        }
        return new Cube(meta, data);
    }

    private static Group groupOf(Field f) {
        return switch (f) {
            case DENSITY -> Group.DENSITY;
            case VELOCITY_X, VELOCITY_Y, VELOCITY_Z -> Group.VELOCITY;
            case B_X, B_Y, B_Z -> Group.MAGNETIC;
            default -> throw new IllegalArgumentException("the generator does not make " + f.key());
        };
    }

    private static int componentOf(Field f) {
        return switch (f) {
            case VELOCITY_X, B_X, DENSITY -> 0;
            case VELOCITY_Y, B_Y -> 1;
            case VELOCITY_Z, B_Z -> 2;
            default -> throw new IllegalArgumentException(f.key());
        };
    }

    private float[][] group(Group g) {
        if (cachedGroup != g) {
            cached = null; // let the previous group go before allocating the next
            cached = switch (g) {
                case DENSITY -> new float[][] {density()};
                case VELOCITY -> velocity();
                case MAGNETIC -> magnetic();
            };
            cachedGroup = g;
        }
        return cached;
    }

    // ---- the three groups ------------------------------------------------------------------------------

    private float[][] magnetic() {
        float[][] db = alfvenicComponents(false);
        // dB_rms = sigma_v sqrt(4 pi rho0) (Alfvenic equipartition), i.e. M_A * B0.
        double dbRmsMicrogauss = spec.sigmaVKmPerS()
                * Mhd.KM_PER_S_IN_CM_PER_S
                * StrictMath.sqrt(4 * Math.PI * spec.meanMassDensity())
                / Mhd.MICROGAUSS_IN_GAUSS;
        normaliseJointRms(db, dbRmsMicrogauss);
        double[] b0 = spec.meanFieldDirection();
        for (int c = 0; c < 3; c++) {
            float offset = (float) (spec.b0Microgauss() * b0[c]);
            float[] a = db[c];
            for (int i = 0; i < a.length; i++) {
                a[i] += offset;
            }
        }
        return db;
    }

    private float[][] velocity() {
        float[][] v = alfvenicComponents(true);
        if (spec.fieldLineSmoothingCells() > 0) {
            float[][] b = magnetic();
            // The three components along one trace of each line (a third of the tracing, three more fields held).
            v = FieldLineSmoothing.smooth(n(), b[0], b[1], b[2], spec.fieldLineSmoothingCells(), v);
        }
        // The dispersion is set after the smoothing, which lowers it.
        normaliseJointRms(v, spec.sigmaVKmPerS());
        return v;
    }

    private int n() {
        return spec.gridSize();
    }

    private float[] density() {
        int n = spec.gridSize();
        float[] buffer = new float[2 * n * n * n];
        double[] b0 = spec.meanFieldDirection();
        double alfvenMach = clampedAlfvenMach();
        fillSpectrum(buffer, (mx, my, mz, pair) -> {
            double amp = StrictMath.sqrt(power(mx, my, mz, b0, alfvenMach, true));
            if (amp == 0) {
                return false;
            }
            ModeRandom.gaussianPair(ModeRandom.key(modeSeed, STREAM_DENSITY_MODES, mx, my, mz), pair);
            pair[0] *= amp;
            pair[1] *= amp;
            return true;
        });
        inverse(buffer);
        float[] s = realPart(buffer);
        buffer = null;
        if (spec.fieldLineSmoothingCells() > 0) {
            // The field is made again rather than cached: three FFTs cost far less than the line traces, and
            // keeping one group at a time is what bounds memory.
            float[][] b = magnetic();
            s = FieldLineSmoothing.smooth(n, b[0], b[1], b[2], spec.fieldLineSmoothingCells(), s)[0];
        }
        // ln(rho/rho0) with the requested variance (set after any smoothing, which lowers it); mean removed (the k = 0
        // mode is empty anyway).
        double mean = 0;
        for (float x : s) {
            mean += x;
        }
        mean /= s.length;
        double var = 0;
        for (float x : s) {
            var += (x - mean) * (x - mean);
        }
        var /= s.length;
        double scale = var > 0 ? StrictMath.sqrt(spec.lnDensityVariance() / var) : 0;
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            double e = StrictMath.exp((s[i] - mean) * scale);
            s[i] = (float) e;
            sum += e;
        }
        double renorm = spec.meanMassDensity() / (sum / s.length);
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (s[i] * renorm);
        }
        return s;
    }

    /** The three components of the Alfvenic field, optionally with the per-mode propagation sign (velocity). */
    private float[][] alfvenicComponents(boolean withPropagationSign) {
        int n = spec.gridSize();
        double[] b0 = spec.meanFieldDirection();
        double alfvenMach = clampedAlfvenMach();
        float[][] out = new float[3][];
        float[] buffer = new float[2 * n * n * n];
        for (int c = 0; c < 3; c++) {
            final int component = c;
            if (c > 0) {
                Arrays.fill(buffer, 0f);
            }
            fillSpectrum(buffer, (mx, my, mz, pair) -> {
                double p = power(mx, my, mz, b0, alfvenMach, false);
                if (p == 0) {
                    return false;
                }
                // Polarisation along k_eff x b0, with k_eff the centred-difference wave vector.
                double kx = StrictMath.sin(2 * Math.PI * mx / n);
                double ky = StrictMath.sin(2 * Math.PI * my / n);
                double kz = StrictMath.sin(2 * Math.PI * mz / n);
                double ex = ky * b0[2] - kz * b0[1];
                double ey = kz * b0[0] - kx * b0[2];
                double ez = kx * b0[1] - ky * b0[0];
                double norm = StrictMath.sqrt(ex * ex + ey * ey + ez * ez);
                if (norm < 1e-12) {
                    return false; // k_eff parallel to b0: no Alfven mode
                }
                double e = (component == 0 ? ex : component == 1 ? ey : ez) / norm;
                double amp = StrictMath.sqrt(p) * e;
                if (withPropagationSign) {
                    amp *= ModeRandom.sign(ModeRandom.key(modeSeed, STREAM_ALFVEN_SIGN, mx, my, mz));
                }
                ModeRandom.gaussianPair(ModeRandom.key(modeSeed, STREAM_FIELD_MODES, mx, my, mz), pair);
                pair[0] *= amp;
                pair[1] *= amp;
                return true;
            });
            inverse(buffer);
            out[c] = realPart(buffer);
        }
        return out;
    }

    private double clampedAlfvenMach() {
        // Outside this range the envelope is numerically all-or-nothing; the physics does not change further.
        return Math.min(20, Math.max(0.05, spec.alfvenMach()));
    }

    /**
     * Spectral power of mode (mx, my, mz) in box units. {@code scalar} (log-density) keeps modes along b0,
     * which carry no Alfven wave but do carry density structure.
     */
    private double power(int mx, int my, int mz, double[] b0, double alfvenMach, boolean scalar) {
        int n = spec.gridSize();
        int half = n / 2;
        if (Math.abs(mx) == half || Math.abs(my) == half || Math.abs(mz) == half) {
            return 0; // Nyquist planes: their centred-difference wave number is zero
        }
        double k2 = (double) mx * mx + (double) my * my + (double) mz * mz;
        if (k2 == 0) {
            return 0; // the mean is set separately
        }
        double k = StrictMath.sqrt(k2);
        double kPar = mx * b0[0] + my * b0[1] + mz * b0[2];
        double kPerp = StrictMath.sqrt(Math.max(0, k2 - kPar * kPar));
        if (kPerp < 1e-9) {
            if (!scalar) {
                return 0;
            }
            kPerp = 1; // the smallest perpendicular wave number the box holds
        }
        double injection = 1 - StrictMath.exp(-StrictMath.pow(k / spec.injectionMode(), 4));
        double kDiss = n / spec.dissipationCells();
        double dissipation = StrictMath.exp(-(k / kDiss) * (k / kDiss));
        // Critical balance: the parallel wave-number width is M_A^(4/3) k_perp^(2/3) (Lazarian & Vishniac 1999),
        // never wider than k_perp: eddies are never shorter along the field than across it. Above the scale
        // where the two meet (l_A = L M_A^-3 in super-Alfvenic turbulence) the cascade is isotropic.
        double parallelWidth = Math.min(StrictMath.pow(alfvenMach, 4.0 / 3) * StrictMath.pow(kPerp, 2.0 / 3), kPerp);
        // P = E(k_perp) / (2 pi k_perp) * G(k_par), with the Kolmogorov E(k_perp) ~ k_perp^(-5/3) and G a
        // normalised Gaussian of width parallelWidth: energy per k_perp shell does not depend on the width, and
        // for the sub-Alfvenic width this is the k_perp^(-10/3) M_A^(-4/3) form of Cho, Lazarian & Vishniac
        // (2002). A Gaussian rather than exponential G keeps low-k_perp modes from leaking power to high k_par.
        double u = kPar / parallelWidth;
        double parallel = StrictMath.exp(-u * u) / parallelWidth;
        return StrictMath.pow(kPerp, -8.0 / 3) * parallel * injection * dissipation;
    }

    // ---- spectral plumbing ---------------------------------------------------------------------------

    @FunctionalInterface
    private interface ModeFiller {
        /** Writes the complex amplitude of a mode to pair[0..1]; returns false for an empty mode. */
        boolean fill(int mx, int my, int mz, double[] pair);
    }

    /** Fills the interleaved complex buffer (x fastest, z slowest), z-planes in parallel. */
    private void fillSpectrum(float[] buffer, ModeFiller filler) {
        int n = spec.gridSize();
        IntStream.range(0, n).parallel().forEach(z -> {
            double[] pair = new double[2];
            int mz = signedMode(z, n);
            for (int y = 0; y < n; y++) {
                int my = signedMode(y, n);
                int row = 2 * ((z * n + y) * n);
                for (int x = 0; x < n; x++) {
                    if (filler.fill(signedMode(x, n), my, mz, pair)) {
                        buffer[row + 2 * x] = (float) pair[0];
                        buffer[row + 2 * x + 1] = (float) pair[1];
                    }
                }
            }
        });
    }

    private static int signedMode(int index, int n) {
        return index <= n / 2 ? index : index - n;
    }

    private void inverse(float[] buffer) {
        int n = spec.gridSize();
        new FloatFFT_3D(n, n, n).complexInverse(buffer, false);
    }

    private static float[] realPart(float[] buffer) {
        float[] out = new float[buffer.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = buffer[2 * i];
        }
        return out;
    }

    /** Scales the three components together so that sqrt(<|f|^2>) equals {@code targetRms}. */
    private static void normaliseJointRms(float[][] comps, double targetRms) {
        double sum = 0;
        long count = comps[0].length;
        for (float[] a : comps) {
            for (float x : a) {
                sum += (double) x * x;
            }
        }
        double rms = StrictMath.sqrt(sum / count);
        float scale = rms > 0 ? (float) (targetRms / rms) : 0f;
        for (float[] a : comps) {
            for (int i = 0; i < a.length; i++) {
                a[i] *= scale;
            }
        }
    }
}
