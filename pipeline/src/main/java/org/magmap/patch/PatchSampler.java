package org.magmap.patch;

import java.util.SplittableRandom;
import org.magmap.observe.Angles;
import org.magmap.observe.Maps;
import org.magmap.observe.ObservationalEffects;

/**
 * Cuts augmented patches from one {@link PatchSource}. Patch {@code i} depends only on the source's identity,
 * the augmentation and {@code i} (its seed is derived from them), never on which task or in what order patches
 * are made: the same configuration gives the same patches on 1 or 400 executors.
 *
 * <p>Per patch: a centre (uniform where the rotated footprint stays inside the map, or inside a spatial block's
 * buffered interior), a rotation angle (uniform in [0, 360) when rotating), bilinear sampling of the input and
 * of every truth map with the same geometry, Gaussian noise, normalisation. psi is carried as (cos 2psi,
 * sin 2psi), interpolated as such and turned by 2 alpha, so a rotation by alpha adds alpha to psi. For a
 * calibrated synchrotron input, also the equipartition baseline of the footprint (a rotated square's mean is the
 * mean over the same area, so rotation does not change it beyond interpolation).
 */
public final class PatchSampler {
    private final PatchSource src;
    private final Augmentation aug;
    private final Splits splits;
    private final String simulationSplit;
    private final String[] blockSplits;
    /** The input maps, beamed, one per channel. */
    private final float[][] observed;

    private final float[] cos2Psi;
    private final float[] sin2Psi;
    /** The noise sigma of each channel (its own map's mean sets it). */
    private final double[] noiseSigma;

    private final long identity;

    public PatchSampler(PatchSource src, Augmentation aug, Splits splits) {
        this.src = src;
        this.aug = aug;
        this.splits = splits;
        this.simulationSplit = splits.ofSimulation(src.simulation());
        double margin = aug.margin();
        if (2 * margin > Math.min(src.nx(), src.ny()) - 1) {
            throw new IllegalArgumentException(
                    src.simulation() + "/" + src.view() + ": a " + aug.size() + "-pixel patch"
                            + (aug.rotate() ? " rotated by any angle" : "") + " does not fit in the " + src.nx() + "x"
                            + src.ny()
                            + " map");
        }
        if (simulationSplit == null && interiorWidth() < 0) {
            throw new IllegalArgumentException("spatial blocks of " + splits.blockPixels() + " px with a "
                    + splits.bufferPixels() + " px buffer cannot hold a " + aug.size() + "-pixel patch"
                    + (aug.rotate() ? " rotated by any angle" : ""));
        }
        if (simulationSplit == null && (src.nx() / splits.blockPixels()) * (src.ny() / splits.blockPixels()) == 0) {
            throw new IllegalArgumentException(src.simulation() + ": the " + src.nx() + "x" + src.ny()
                    + " map holds no whole " + splits.blockPixels() + "-pixel block");
        }
        this.blockSplits = simulationSplit == null
                ? splits.ofBlocks(
                        aug.seed(), src.simulation(), src.nx() / splits.blockPixels(), src.ny() / splits.blockPixels())
                : null;
        int channels = src.channels();
        observed = new float[channels][];
        noiseSigma = new double[channels];
        for (int c = 0; c < channels; c++) {
            float[] in = src.inputChannel(c);
            if (aug.beamFwhmPixels() > 0) {
                in = ObservationalEffects.smooth(in, src.nx(), src.ny(), aug.beamFwhmPixels(), false);
            }
            observed[c] = in;
            double mean = 0;
            for (float v : in) {
                mean += v;
            }
            noiseSigma[c] = aug.noiseRatio() * Math.abs(mean / in.length); // cluster paper: sigma = NR * mean(I)
        }
        int n = src.nx() * src.ny();
        cos2Psi = new float[n];
        sin2Psi = new float[n];
        for (int i = 0; i < n; i++) {
            double psi = Math.toRadians(src.psiDeg()[i]);
            cos2Psi[i] = (float) Math.cos(2 * psi);
            sin2Psi[i] = (float) Math.sin(2 * psi);
        }
        this.identity =
                Hashing.fnv1a64(src.simulation() + "|" + src.snapshot() + "|" + src.view() + "|" + src.observable()
                        + "|" + aug.noiseRatio() + "|" + aug.beamFwhmPixels() + "|" + aug.size() + "|" + aug.rotate());
    }

    /** The seed of patch {@code index}. */
    public long seedOf(long index) {
        return Hashing.mix(aug.seed() ^ Hashing.mix(identity + Hashing.mix(index)));
    }

    private double interiorWidth() {
        return splits.blockPixels() - 1 - 2.0 * splits.bufferPixels() - 2 * aug.margin();
    }

    /** Makes patch {@code index}. */
    public Patch patch(long index) {
        long seed = seedOf(index);
        SplittableRandom rng = new SplittableRandom(seed);
        int size = aug.size();
        double half = (size - 1) / 2.0;
        double margin = aug.margin();
        String split;
        double cx;
        double cy;
        if (simulationSplit != null) {
            split = simulationSplit;
            cx = gridCentre(rng, margin, src.nx() - 1 - margin, half);
            cy = gridCentre(rng, margin, src.ny() - 1 - margin, half);
        } else {
            int block = splits.blockPixels();
            int nbx = src.nx() / block;
            int nby = src.ny() / block;
            int b = rng.nextInt(nbx * nby);
            int bx = b % nbx;
            int by = b / nbx;
            split = blockSplits[b];
            double inset = splits.bufferPixels() + margin;
            cx = gridCentre(rng, bx * block + inset, (bx + 1) * block - 1 - inset, half);
            cy = gridCentre(rng, by * block + inset, (by + 1) * block - 1 - inset, half);
        }
        double angle = aug.rotate() ? 360 * rng.nextDouble() : 0;

        int pixels = size * size;
        // Every map the patch takes, sampled in one pass over the window's positions: the observed planes, then
        // the truth maps (surface density, gamma, B, M_A, M_s, cos 2psi, sin 2psi).
        float[][] sources = new float[observed.length + 7][];
        System.arraycopy(observed, 0, sources, 0, observed.length);
        int t = observed.length;
        sources[t] = src.surfaceDensity();
        sources[t + 1] = src.gammaDeg();
        sources[t + 2] = src.fieldMicrogauss();
        sources[t + 3] = src.alfvenMach();
        sources[t + 4] = src.sonicMach();
        sources[t + 5] = cos2Psi;
        sources[t + 6] = sin2Psi;
        float[][] cuts = new float[sources.length][pixels];
        PatchGeometry.sampleAll(sources, src.nx(), src.ny(), cx, cy, angle, size, cuts);

        float[] image = new float[observed.length * pixels];
        double equipartition = Double.NaN;
        for (int c = 0; c < observed.length; c++) {
            float[] plane = cuts[c];
            // The baseline sees what an observer's one beam over the patch sees: the mean intensity of the
            // footprint, taken before the zero-mean noise and the normalisation that removes the absolute level.
            if (c == 0 && src.equipartition() != null) {
                equipartition = src.equipartition().fieldMicrogauss(Maps.mean(plane));
            }
            if (noiseSigma[c] > 0) {
                for (int i = 0; i < pixels; i++) {
                    plane[i] += (float) (noiseSigma[c] * rng.nextGaussian());
                }
            }
            aug.normalization().apply(plane);
            System.arraycopy(plane, 0, image, c * pixels, pixels);
        }

        float[] weight = cuts[t];
        float[] gamma = cuts[t + 1];
        float[] field = cuts[t + 2];
        float[] ma = cuts[t + 3];
        float[] ms = cuts[t + 4];
        float[] c2 = cuts[t + 5];
        float[] s2 = cuts[t + 6];
        // Turn the orientation vectors by 2 alpha: psi -> psi + alpha.
        double a2 = Math.toRadians(2 * angle);
        double ca = Math.cos(a2);
        double sa = Math.sin(a2);
        for (int i = 0; i < c2.length; i++) {
            double c = c2[i];
            double s = s2[i];
            c2[i] = (float) (c * ca - s * sa);
            s2[i] = (float) (s * ca + c * sa);
        }
        double wSum = 0;
        double bSum = 0;
        double maSum = 0;
        double msSum = 0;
        double gSum = 0;
        double qSum = 0;
        double uSum = 0;
        for (int i = 0; i < weight.length; i++) {
            double w = weight[i];
            wSum += w;
            bSum += w * field[i];
            maSum += w * ma[i];
            msSum += w * ms[i];
            gSum += w * gamma[i];
            qSum += w * c2[i];
            uSum += w * s2[i];
        }
        boolean maps = aug.targetMaps();
        return new Patch(
                split,
                index,
                seed,
                cx,
                cy,
                angle,
                image,
                bSum / wSum,
                maSum / wSum,
                msSum / wSum,
                gSum / wSum,
                Angles.psiDeg(qSum, uSum),
                maps ? c2 : null,
                maps ? s2 : null,
                maps ? gamma : null,
                maps ? field : null,
                maps ? ma : null,
                maps ? ms : null,
                equipartition);
    }

    /** A centre on the pixel grid of the patch (so an unrotated patch is an exact crop) within [lo, hi]. */
    private static double gridCentre(SplittableRandom rng, double lo, double hi, double half) {
        long first = (long) Math.ceil(lo - half - 1e-9);
        long last = (long) Math.floor(hi - half + 1e-9);
        return first + (last > first ? rng.nextLong(last - first + 1) : 0) + half;
    }

    public PatchSource source() {
        return src;
    }
}
