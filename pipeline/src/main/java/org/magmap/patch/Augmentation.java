package org.magmap.patch;

import java.io.Serializable;

/**
 * How patches are cut and augmented.
 *
 * @param size patch side in pixels (both papers: 32)
 * @param rotate rotate each patch by a uniformly random angle (cluster paper; labels rotate along)
 * @param noiseRatio Gaussian noise sigma as a fraction of the (beamed) map's mean, added per patch pixel after
 *     rotation (0: none)
 * @param beamFwhmPixels Gaussian beam FWHM applied to the whole map before cutting (0: none)
 * @param normalization per-patch input normalisation
 * @param targetMaps whether to store target maps (for the image-to-image model) besides the scalar targets
 * @param seed base seed; each patch's seed derives from it and the patch's identity
 */
public record Augmentation(
        int size,
        boolean rotate,
        double noiseRatio,
        double beamFwhmPixels,
        Normalization normalization,
        boolean targetMaps,
        long seed)
        implements Serializable {
    public Augmentation {
        if (size < 2) {
            throw new IllegalArgumentException("patch size must be at least 2, got " + size);
        }
        if (noiseRatio < 0 || beamFwhmPixels < 0) {
            throw new IllegalArgumentException("noise ratio and beam must not be negative");
        }
    }

    /** Margin between a patch centre and the map edge: the rotated footprint's radius, or half the side. */
    public double margin() {
        return rotate ? PatchGeometry.footprintRadius(size) : (size - 1) / 2.0;
    }
}
