package org.magmap.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImageWriter;
import org.magmap.fits.MapFiles;

/**
 * A survey-like image made from a simulated map: one observed map placed on the sky with a celestial WCS (a
 * gnomonic projection, north up, east left, as survey images are), with the truth maps of the same view beside
 * it in further HDUs. {@code infer} reads it as it reads a real image (the first image HDU), so its output can be
 * compared with a known truth.
 */
public final class SurveySample {
    private SurveySample() {}

    /**
     * Writes the sample.
     *
     * @param mapFile an observe map file (local)
     * @param observable the map to put on the sky (e.g. SYNC)
     * @param raDeg right ascension of the map centre
     * @param decDeg declination of the map centre
     * @param pixelDeg pixel size
     * @return the mean of each truth map written (B_UG, PSI_DEG, ...)
     */
    public static Map<String, Double> write(
            Path mapFile, String observable, Path out, double raDeg, double decDeg, double pixelDeg)
            throws IOException {
        Map<String, MapFiles.Image> maps = images(mapFile);
        MapFiles.Image sky = maps.get(observable);
        if (sky == null) {
            throw new IllegalArgumentException(
                    mapFile + " has no map " + observable + " (it has " + maps.keySet() + ")");
        }
        try (FitsImageWriter w = FitsImageWriter.create(out)) {
            w.writeEmptyPrimary(new FitsCards()
                    .add("OBJECT", "magmap survey sample", null)
                    .history("made from " + mapFile.getFileName() + ", map " + observable));
            w.beginImage(observable, sky.shape(), sky(sky, raDeg, decDeg, pixelDeg));
            w.write(sky.data());
            w.endImage();
            return writeTruth(w, maps, sky.shape(), raDeg, decDeg, pixelDeg);
        }
    }

    /**
     * Writes an H I survey-like cube: the map file's PPV cube in the primary HDU (as survey cubes are), on the sky
     * as {@link #write} places maps, with a radio-velocity third axis in km/s, and the truth maps after it.
     *
     * @param firstEdgeKmPerS the PPV cube's first channel edge (magmap.observe.hi.ppv-first-edge-km-per-s)
     * @param channelWidthKmPerS its channel width (magmap.observe.hi.ppv-channel-width-km-per-s)
     * @return the mean of each truth map written
     */
    public static Map<String, Double> writeCube(
            Path mapFile,
            Path out,
            double raDeg,
            double decDeg,
            double pixelDeg,
            double firstEdgeKmPerS,
            double channelWidthKmPerS)
            throws IOException {
        Map<String, MapFiles.Image> maps = images(mapFile);
        MapFiles.Image ppv = maps.get("PPV");
        if (ppv == null) {
            throw new IllegalArgumentException(
                    mapFile + " has no PPV cube (observe it with magmap.observe.hi.ppv-channels > 0)");
        }
        FitsCards cards = sky(ppv, raDeg, decDeg, pixelDeg)
                .add("CTYPE3", "VRAD", "radio velocity")
                .add("CUNIT3", "km/s", null)
                .add("CRPIX3", 1.0, null)
                .add("CRVAL3", firstEdgeKmPerS + channelWidthKmPerS / 2, "centre of the first channel")
                .add("CDELT3", channelWidthKmPerS, null)
                .add("SPECSYS", "LSRK", null)
                .add("OBJECT", "magmap survey sample", null)
                .history("made from " + mapFile.getFileName() + ", its PPV cube");
        int[] shape = {ppv.shape()[0], ppv.shape()[1]};
        try (FitsImageWriter w = FitsImageWriter.create(out)) {
            w.beginImage(null, ppv.shape(), cards);
            w.write(ppv.data());
            w.endImage();
            return writeTruth(w, maps, shape, raDeg, decDeg, pixelDeg);
        }
    }

    private static Map<String, MapFiles.Image> images(Path mapFile) throws IOException {
        Map<String, MapFiles.Image> maps = new LinkedHashMap<>();
        for (MapFiles.Image im : MapFiles.read(mapFile)) {
            maps.put(im.extname(), im);
        }
        return maps;
    }

    /** A gnomonic sky grid centred on the map, north up and east to the left. */
    private static FitsCards sky(MapFiles.Image im, double raDeg, double decDeg, double pixelDeg) {
        return tanSky((im.shape()[0] + 1) / 2.0, (im.shape()[1] + 1) / 2.0, raDeg, decDeg, pixelDeg)
                .add("BUNIT", im.unit(), null);
    }

    /**
     * The WCS cards of a gnomonic (TAN) sky grid, north up and east to the left, square pixels, ICRS, with its
     * tangent point (raDeg, decDeg) at FITS pixel (crpix1, crpix2).
     */
    public static FitsCards tanSky(double crpix1, double crpix2, double raDeg, double decDeg, double pixelDeg) {
        return new FitsCards()
                .add("CTYPE1", "RA---TAN", null)
                .add("CTYPE2", "DEC--TAN", null)
                .add("CRPIX1", crpix1, null)
                .add("CRPIX2", crpix2, null)
                .add("CRVAL1", raDeg, null)
                .add("CRVAL2", decDeg, null)
                .add("CDELT1", -pixelDeg, "east to the left")
                .add("CDELT2", pixelDeg, null)
                .add("CUNIT1", "deg", null)
                .add("CUNIT2", "deg", null)
                .add("RADESYS", "ICRS", null);
    }

    private static Map<String, Double> writeTruth(
            FitsImageWriter w,
            Map<String, MapFiles.Image> maps,
            int[] shape,
            double raDeg,
            double decDeg,
            double pixelDeg)
            throws IOException {
        Map<String, Double> means = new LinkedHashMap<>();
        for (String name : new String[] {"B_UG", "PSI_DEG", "GAMMA_DEG", "M_A", "M_S"}) {
            MapFiles.Image im = maps.get(name);
            if (im == null) {
                continue;
            }
            w.beginImage(
                    "TRUTH_" + name, shape, sky(im, raDeg, decDeg, pixelDeg).comment("truth: " + im.description()));
            w.write(im.data());
            w.endImage();
            double sum = 0;
            for (float v : im.data()) {
                sum += v;
            }
            means.put(name, sum / im.data().length);
        }
        return means;
    }
}
