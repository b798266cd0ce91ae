package org.magmap.patch;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import org.magmap.conf.ConfigException;

/**
 * The {@code magmap.make-patches} settings, read once.
 *
 * @param observables input map names to cut (SYNC, HI_CH00, ...); a name joining maps with '+' (HI_CH01+SYNC) cuts
 *     them together into one multi-channel patch ({@link StackedObservable})
 * @param patchesPerMap patches per map file x observable x noise level x beam
 * @param patchesPerTask patches one task makes (the unit of work and of output files)
 * @param noiseRatios noise levels; each is a separate set of patches (cluster paper: 0.1, 0.2, 0.33, 0.5)
 * @param beamFwhmPixels beams; each is a separate set
 * @param size patch side
 * @param rotate random rotation
 * @param normalization per-patch normalisation
 * @param targetMaps store target maps
 * @param seed base seed
 * @param splits split policy
 * @param protonElectronRatio K0 of the equipartition baseline column {@code b_eq_ug} (Beck &amp; Krause 2005: 100)
 */
public record PatchSettings(
        List<String> observables,
        int patchesPerMap,
        int patchesPerTask,
        List<Double> noiseRatios,
        List<Double> beamFwhmPixels,
        int size,
        boolean rotate,
        Normalization normalization,
        boolean targetMaps,
        long seed,
        Splits splits,
        double protonElectronRatio)
        implements Serializable {
    public PatchSettings {
        observables = List.copyOf(observables);
        noiseRatios = List.copyOf(noiseRatios);
        beamFwhmPixels = List.copyOf(beamFwhmPixels);
        if (observables.isEmpty()) {
            throw new IllegalArgumentException("no observables to cut patches from");
        }
        observables.forEach(StackedObservable::maps); // a malformed stack is refused here, naming it
        if (patchesPerMap < 1 || patchesPerTask < 1) {
            throw new IllegalArgumentException("patches per map and per task must be positive");
        }
        if (size < 2) {
            throw new IllegalArgumentException("patch-size must be at least 2 pixels, got " + size);
        }
        if (noiseRatios.isEmpty() || beamFwhmPixels.isEmpty()) {
            throw new IllegalArgumentException("noise-ratios and beam-fwhm-pixels need at least one value (0 = none)");
        }
        if (!(protonElectronRatio >= 0) || !Double.isFinite(protonElectronRatio)) {
            throw new IllegalArgumentException(
                    "equipartition.proton-electron-ratio must be finite and >= 0, got " + protonElectronRatio);
        }
    }

    /** Reads the section, naming the key at fault. */
    public static PatchSettings from(Config c) {
        try {
            Config sp = c.getConfig("splits");
            Splits splits = new Splits(
                    sp.getStringList("test-simulations"),
                    sp.getStringList("validation-simulations"),
                    sp.getBoolean("spatial.enabled"),
                    sp.getInt("spatial.block-pixels"),
                    sp.getInt("spatial.buffer-pixels"),
                    sp.getDouble("spatial.validation-fraction"),
                    sp.getDouble("spatial.test-fraction"));
            return new PatchSettings(
                    c.getStringList("observables"),
                    c.getInt("patches-per-map"),
                    c.getInt("patches-per-task"),
                    c.getDoubleList("noise-ratios"),
                    c.getDoubleList("beam-fwhm-pixels"),
                    c.getInt("patch-size"),
                    c.getBoolean("rotate"),
                    Normalization.parse(c.getString("normalization")),
                    c.getBoolean("target-maps"),
                    c.getLong("seed"),
                    splits,
                    c.getDouble("equipartition.proton-electron-ratio"));
        } catch (com.typesafe.config.ConfigException | IllegalArgumentException e) {
            throw new ConfigException("magmap.make-patches: " + e.getMessage(), e);
        }
    }

    /** The augmentation for one noise level and beam. */
    public Augmentation augmentation(double noiseRatio, double beamFwhm) {
        return new Augmentation(size, rotate, noiseRatio, beamFwhm, normalization, targetMaps, seed);
    }
}
