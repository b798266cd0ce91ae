package org.magmap.mosaic;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import nom.tam.fits.Header;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImage;
import org.magmap.fits.FitsImageReader;
import org.magmap.ops.BadInputException;
import org.magmap.sky.CelestialWcs;

/**
 * One input map file of a mosaic, from its headers only: an {@code infer} output (or any FITS of 2D image HDUs on
 * one celestial grid), its window, its maps and the grid they share. Its COVERAGE map, where it has one, is its
 * weight; without one every pixel weighs 1.
 *
 * @param file the file (any Hadoop path)
 * @param window the velocity window (the primary header's WINDOW card; "image" without one)
 * @param nx pixels along the first celestial axis
 * @param ny pixels along the second
 * @param wcs the maps' celestial WCS
 * @param maps the co-added maps' EXTNAMEs, in file order
 * @param hdus their HDU indices
 * @param coverageHdu the COVERAGE map's HDU index, or -1
 */
public record MosaicInput(
        String file,
        String window,
        int nx,
        int ny,
        CelestialWcs wcs,
        List<String> maps,
        List<Integer> hdus,
        int coverageHdu)
        implements Serializable {
    /** Maps that are the weights or counts of an earlier stage, or are tied to the input's own pixel grid. */
    private static final Set<String> NOT_CO_ADDED = Set.of("COVERAGE", "N_INPUTS", "PSI_PIX_DEG");

    public MosaicInput {
        maps = List.copyOf(maps);
        hdus = List.copyOf(hdus);
    }

    /** Whether a map is an orientation (a position angle in degrees, axial: psi and psi + 180 are one). */
    public static boolean isAngle(String map) {
        return map.endsWith("PSI_DEG");
    }

    /**
     * Reads an input's headers.
     *
     * @param file the input as the user named it (for messages)
     * @param local a local copy of it
     * @throws BadInputException if it has no 2D image HDU with a celestial WCS, or its maps' grids differ
     */
    public static MosaicInput read(String file, Path local) throws IOException {
        try (FitsImageReader r = FitsImageReader.open(local)) {
            String window = FitsCards.stringValue(r.primaryHeader(), "WINDOW");
            List<String> maps = new ArrayList<>();
            List<Integer> hdus = new ArrayList<>();
            int coverage = -1;
            int nx = 0;
            int ny = 0;
            CelestialWcs wcs = null;
            Header first = null;
            for (int i = 0; i < r.hduCount(); i++) {
                Header h = r.header(i);
                if (h.getIntValue("NAXIS", 0) == 0) {
                    continue;
                }
                FitsImage im = r.image(i);
                int[] shape = im.effectiveShape();
                if (shape.length != 2) {
                    throw new BadInputException(
                            file,
                            im.hduLabel() + " has shape " + java.util.Arrays.toString(shape)
                                    + "; a mosaic co-adds 2D maps (infer's output), not cubes");
                }
                String name = im.extname() == null || im.extname().isBlank() ? "HDU" + i : im.extname();
                if (wcs == null) {
                    try {
                        wcs = CelestialWcs.of(h, file);
                    } catch (IllegalArgumentException e) {
                        throw new BadInputException(file, e.getMessage().replace(file + ": ", ""), e);
                    }
                    nx = shape[0];
                    ny = shape[1];
                    first = h;
                } else if (shape[0] != nx || shape[1] != ny || !sameGrid(first, h)) {
                    throw new BadInputException(file, im.hduLabel() + " is not on the grid of the file's first map");
                }
                if (name.equals("COVERAGE")) {
                    coverage = i;
                } else if (!NOT_CO_ADDED.contains(name)) {
                    maps.add(name);
                    hdus.add(i);
                }
            }
            if (wcs == null) {
                throw new BadInputException(file, "has no image HDU to co-add");
            }
            if (maps.isEmpty()) {
                throw new BadInputException(file, "has no map to co-add beside its COVERAGE");
            }
            return new MosaicInput(
                    file, window == null || window.isBlank() ? "image" : window, nx, ny, wcs, maps, hdus, coverage);
        }
    }

    /**
     * Sky positions (lon, lat in the input's frame) that outline the input: its outer pixel edges every few pixels
     * and a coarse lattice inside (an input about a pole has an outline that does not bound it on every grid).
     */
    public List<double[]> outlineSky() {
        int stepX = Math.max(1, nx / 32);
        int stepY = Math.max(1, ny / 32);
        List<double[]> samples = new ArrayList<>();
        for (int i = 0; i <= nx; i += stepX) {
            samples.add(new double[] {i - 0.5, -0.5});
            samples.add(new double[] {i - 0.5, ny - 0.5});
        }
        for (int j = 0; j <= ny; j += stepY) {
            samples.add(new double[] {-0.5, j - 0.5});
            samples.add(new double[] {nx - 0.5, j - 0.5});
        }
        samples.add(new double[] {nx - 0.5, ny - 0.5});
        for (int j = 0; j < ny; j += Math.max(1, ny / 8)) {
            for (int i = 0; i < nx; i += Math.max(1, nx / 8)) {
                samples.add(new double[] {i, j});
            }
        }
        List<double[]> out = new ArrayList<>();
        for (double[] p : samples) {
            double[] sky = wcs.pixelToWorld(p[0], p[1]);
            if (!Double.isNaN(sky[0])) {
                out.add(sky);
            }
        }
        return out;
    }

    private static boolean sameGrid(Header a, Header b) {
        for (String key : new String[] {"CRPIX1", "CRPIX2", "CRVAL1", "CRVAL2"}) {
            if (FitsCards.doubleValue(a, key, 0) != FitsCards.doubleValue(b, key, 0)) {
                return false;
            }
        }
        return java.util.Objects.equals(FitsCards.stringValue(a, "CTYPE1"), FitsCards.stringValue(b, "CTYPE1"));
    }

    /** One line for the log. */
    public String describe() {
        return String.format(
                java.util.Locale.ROOT,
                "%s: window %s, %d x %d %s %s, %.3g arcmin pixels, %d maps%s",
                file,
                window,
                nx,
                ny,
                wcs.frame(),
                wcs.projection(),
                wcs.pixelScaleDeg() * 60,
                maps.size(),
                coverageHdu < 0 ? " (no COVERAGE: weight 1)" : "");
    }
}
