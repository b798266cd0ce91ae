package org.magmap.patch;

import java.io.Serializable;

/**
 * The make-patches job's work unit: patches {@code firstIndex .. firstIndex + count - 1} of one observable of
 * one map file, at one noise level and beam. Small and serializable; the map is read by the task.
 *
 * @param mapFile the observe output file (any Hadoop path)
 * @param simulation its run id (for splits and provenance)
 * @param observable the input map's EXTNAME
 * @param noiseRatio noise sigma / map mean
 * @param beamFwhmPixels beam FWHM in pixels
 * @param firstIndex index of the unit's first patch
 * @param count patches in the unit
 */
public record PatchUnit(
        String mapFile,
        String simulation,
        String observable,
        double noiseRatio,
        double beamFwhmPixels,
        long firstIndex,
        int count)
        implements Serializable {}
