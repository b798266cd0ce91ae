package org.magmap.patch;

/**
 * One training example: the augmented, normalised input and its targets, cut and rotated together.
 *
 * @param split train, validation or test
 * @param index the patch's index within its source and augmentation
 * @param seed the patch's own seed (derived from its identity)
 * @param centreX patch centre in map pixels (x)
 * @param centreY patch centre in map pixels (y)
 * @param rotationDeg rotation applied (content turned counter-clockwise by this angle)
 * @param image size*size normalised input, x fastest; a stacked observable's planes back to back, each normalised
 *     on its own
 * @param fieldMicrogauss surface-density-weighted mean of the truth |B| over the patch (uG): the cluster CNN's target
 * @param alfvenMach weighted mean M_A over the patch
 * @param sonicMach weighted mean M_s over the patch
 * @param gammaDeg weighted mean inclination over the patch (deg)
 * @param psiDeg mean POS angle over the patch from weighted pseudo-Stokes sums, rotated with the patch (deg)
 * @param mapCos2Psi per-pixel cos 2psi (rotated), or null without target maps
 * @param mapSin2Psi per-pixel sin 2psi (rotated), or null
 * @param mapGammaDeg per-pixel inclination, or null
 * @param mapFieldMicrogauss per-pixel |B|, or null
 * @param mapAlfvenMach per-pixel M_A, or null
 * @param mapSonicMach per-pixel M_s, or null
 * @param equipartitionMicrogauss the equipartition baseline for this patch (uG): Beck &amp; Krause's field of the
 *     mean calibrated intensity over the patch footprint, before noise; NaN without a calibrated synchrotron input
 */
public record Patch(
        String split,
        long index,
        long seed,
        double centreX,
        double centreY,
        double rotationDeg,
        float[] image,
        double fieldMicrogauss,
        double alfvenMach,
        double sonicMach,
        double gammaDeg,
        double psiDeg,
        float[] mapCos2Psi,
        float[] mapSin2Psi,
        float[] mapGammaDeg,
        float[] mapFieldMicrogauss,
        float[] mapAlfvenMach,
        float[] mapSonicMach,
        double equipartitionMicrogauss) {}
