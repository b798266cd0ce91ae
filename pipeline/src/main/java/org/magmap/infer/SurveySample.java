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
        Map<String, MapFiles.Image> maps = new LinkedHashMap<>();
        for (MapFiles.Image im : MapFiles.read(mapFile)) {
            maps.put(im.extname(), im);
        }
        MapFiles.Image sky = maps.get(observable);
        if (sky == null) {
            throw new IllegalArgumentException(
                    mapFile + " has no map " + observable + " (it has " + maps.keySet() + ")");
        }
        int nx = sky.shape()[0];
        int ny = sky.shape()[1];
        Map<String, Double> means = new LinkedHashMap<>();
        try (FitsImageWriter w = FitsImageWriter.create(out)) {
            w.writeEmptyPrimary(new FitsCards()
                    .add("OBJECT", "magmap survey sample", null)
                    .history("made from " + mapFile.getFileName() + ", map " + observable));
            for (String name : new String[] {observable, "B_UG", "PSI_DEG", "GAMMA_DEG", "M_A", "M_S"}) {
                MapFiles.Image im = maps.get(name);
                if (im == null) {
                    continue;
                }
                FitsCards cards = new FitsCards()
                        .add("CTYPE1", "RA---TAN", null)
                        .add("CTYPE2", "DEC--TAN", null)
                        .add("CRPIX1", (nx + 1) / 2.0, null)
                        .add("CRPIX2", (ny + 1) / 2.0, null)
                        .add("CRVAL1", raDeg, null)
                        .add("CRVAL2", decDeg, null)
                        .add("CDELT1", -pixelDeg, "east to the left")
                        .add("CDELT2", pixelDeg, null)
                        .add("CUNIT1", "deg", null)
                        .add("CUNIT2", "deg", null)
                        .add("RADESYS", "ICRS", null)
                        .add("BUNIT", im.unit(), null);
                if (!name.equals(observable)) {
                    cards.comment("truth: " + im.description());
                }
                w.beginImage(name.equals(observable) ? name : "TRUTH_" + name, new int[] {nx, ny}, cards);
                w.write(im.data());
                w.endImage();
                double sum = 0;
                for (float v : im.data()) {
                    sum += v;
                }
                means.put(name, sum / im.data().length);
            }
        }
        return means;
    }
}
