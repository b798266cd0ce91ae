package org.magmap.mosaic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImageWriter;
import org.magmap.fits.MapFiles;
import org.magmap.sky.CelestialWcs;

/**
 * A synthetic survey: one large sky made from an observed simulation (its maps repeated periodically, as the
 * simulation box is periodic), cut into overlapping cubes on a common gnomonic grid, the way a survey delivers
 * its sky. Every pixel's truth is known, so mosaics of the cubes can be checked against it anywhere. The cubes
 * share the sky's tangent point; a cube's pixel (i, j) is the sky's (x0 + i, y0 + j).
 *
 * <p>Truth orientations are written as position angles east of north on the sky grid (TRUTH_PSI_DEG), turned from
 * the simulation's pixel frame with the grid's own WCS at every pixel.
 *
 * @param skyPixels the sky's side
 * @param cubePixels each cube's side
 * @param stepPixels the offset between neighbouring cubes (less than the side: they overlap)
 * @param raDeg the sky's centre (the tangent point)
 * @param decDeg the sky's centre
 * @param pixelDeg pixel size
 */
public record SyntheticSurvey(
        int skyPixels, int cubePixels, int stepPixels, double raDeg, double decDeg, double pixelDeg) {
    public SyntheticSurvey {
        if (cubePixels > skyPixels || stepPixels < 1 || stepPixels > cubePixels) {
            throw new IllegalArgumentException("cubes of " + cubePixels + " px every " + stepPixels
                    + " px must overlap and fit a sky of " + skyPixels + " px");
        }
    }

    /** The cubes' lower corners on the sky, [x0, y0], row by row. */
    public List<int[]> origins() {
        List<int[]> out = new ArrayList<>();
        for (int y = 0; y + cubePixels <= skyPixels; y += stepPixels) {
            for (int x = 0; x + cubePixels <= skyPixels; x += stepPixels) {
                out.add(new int[] {x, y});
            }
        }
        return out;
    }

    /** The sky grid's WCS cards (TAN, north up, east to the left), offset to a cube at {@code origin}. */
    public FitsCards wcsCards(int[] origin) {
        return org.magmap.infer.SurveySample.tanSky(
                (skyPixels + 1) / 2.0 - origin[0], (skyPixels + 1) / 2.0 - origin[1], raDeg, decDeg, pixelDeg);
    }

    /** The file name of the cube at an origin. */
    public static String cubeName(int[] origin) {
        return String.format(Locale.ROOT, "cube-x%04d-y%04d.fits", origin[0], origin[1]);
    }

    private static Map<String, MapFiles.Image> images(Path mapFile) throws IOException {
        Map<String, MapFiles.Image> maps = new LinkedHashMap<>();
        for (MapFiles.Image im : MapFiles.read(mapFile)) {
            maps.put(im.extname(), im);
        }
        return maps;
    }

    /** The periodic sky's values of a map over [x0, x0 + w) x [y0, y0 + h), one plane of a (possibly 3D) map. */
    private static float[] cut(MapFiles.Image im, int plane, int x0, int y0, int w, int h) {
        int n = im.shape()[0];
        int m = im.shape()[1];
        float[] out = new float[w * h];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                out[j * w + i] = im.data()[plane * n * m + Math.floorMod(y0 + j, m) * n + Math.floorMod(x0 + i, n)];
            }
        }
        return out;
    }

    /**
     * Writes the survey's H I cubes into {@code dir}: the map file's PPV cube over each cube's part of the sky,
     * with a radio-velocity axis, as {@code infer} reads survey cubes.
     *
     * @param mapFile an observe map file with a PPV cube (magmap.observe.hi.ppv-channels > 0)
     * @param firstEdgeKmPerS the PPV cube's first channel edge
     * @param channelWidthKmPerS its channel width
     * @return the files written
     */
    public List<Path> writeCubes(Path mapFile, Path dir, double firstEdgeKmPerS, double channelWidthKmPerS)
            throws IOException {
        MapFiles.Image ppv = images(mapFile).get("PPV");
        if (ppv == null) {
            throw new IllegalArgumentException(
                    mapFile + " has no PPV cube (observe it with magmap.observe.hi.ppv-channels > 0)");
        }
        Files.createDirectories(dir);
        int channels = ppv.shape()[2];
        List<Path> out = new ArrayList<>();
        for (int[] o : origins()) {
            FitsCards cards = wcsCards(o)
                    .add("CTYPE3", "VRAD", "radio velocity")
                    .add("CUNIT3", "km/s", null)
                    .add("CRPIX3", 1.0, null)
                    .add("CRVAL3", firstEdgeKmPerS + channelWidthKmPerS / 2, "centre of the first channel")
                    .add("CDELT3", channelWidthKmPerS, null)
                    .add("SPECSYS", "LSRK", null)
                    .add("BUNIT", ppv.unit(), null)
                    .add("OBJECT", "magmap synthetic survey", null)
                    .history("cut from a periodic sky of " + mapFile.getFileName() + ", its PPV cube");
            Path file = dir.resolve(cubeName(o));
            try (FitsImageWriter w = FitsImageWriter.create(file)) {
                w.beginImage(null, new int[] {cubePixels, cubePixels, channels}, cards);
                for (int c = 0; c < channels; c++) {
                    w.write(cut(ppv, c, o[0], o[1], cubePixels, cubePixels));
                }
                w.endImage();
            }
            out.add(file);
        }
        return out;
    }

    /**
     * Writes, into {@code dir}, map files as {@code infer} writes them, with the truth as their maps: PSI_DEG (a
     * position angle), GAMMA_DEG, B_UG, M_A, M_S, and a COVERAGE of 1; window {@code window}. A mosaic of them is
     * the sky's truth wherever they reach, so they time and check the mosaic alone.
     */
    public List<Path> writeTruthMaps(Path mapFile, Path dir, String window) throws IOException {
        Map<String, MapFiles.Image> maps = images(mapFile);
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (int[] o : origins()) {
            Path file = dir.resolve(cubeName(o).replace(".fits", "__" + window + ".fits"));
            try (FitsImageWriter w = FitsImageWriter.create(file)) {
                w.writeEmptyPrimary(new FitsCards()
                        .add("WINDOW", window, null)
                        .history("truth of a synthetic survey cut from " + mapFile.getFileName()));
                writeTruth(w, maps, o, cubePixels, "");
                w.beginImage("COVERAGE", new int[] {cubePixels, cubePixels}, wcsCards(o));
                float[] ones = new float[cubePixels * cubePixels];
                java.util.Arrays.fill(ones, 1f);
                w.write(ones);
                w.endImage();
            }
            out.add(file);
        }
        return out;
    }

    /** Writes the whole sky's truth maps (TRUTH_PSI_DEG a position angle, ...) to one file, on the sky grid. */
    public void writeSkyTruth(Path mapFile, Path file) throws IOException {
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.writeEmptyPrimary(
                    new FitsCards().history("truth of a synthetic survey sky from " + mapFile.getFileName()));
            writeTruth(w, images(mapFile), new int[] {0, 0}, skyPixels, "TRUTH_");
        }
    }

    private void writeTruth(FitsImageWriter w, Map<String, MapFiles.Image> maps, int[] o, int side, String prefix)
            throws IOException {
        FitsCards grid = wcsCards(o);
        CelestialWcs wcs = CelestialWcs.of(grid.copy().add("WCSAXES", 2L, null).toHeader(), "synthetic survey");
        for (String name : new String[] {"PSI_DEG", "GAMMA_DEG", "B_UG", "M_A", "M_S"}) {
            MapFiles.Image im = maps.get(name);
            if (im == null) {
                continue;
            }
            w.beginImage(prefix + name, new int[] {side, side}, grid.copy().add("BUNIT", im.unit(), null));
            for (int j = 0; j < side; j++) { // row by row: a large sky is never held whole
                float[] row = cut(im, 0, o[0], o[1] + j, side, 1);
                if (name.equals("PSI_DEG")) {
                    for (int i = 0; i < side; i++) {
                        row[i] = (float) wcs.positionAngleDeg(i, j, row[i]);
                    }
                }
                w.write(row);
            }
            w.endImage();
        }
    }
}
