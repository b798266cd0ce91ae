package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImageWriter;
import org.magmap.fits.MapFiles;
import org.magmap.mosaic.SyntheticSurvey;
import org.magmap.sky.SkyFrames;

/**
 * The real mosaic entry point on a synthetic survey: four overlapping H I cubes cut from one periodic sky with
 * known truth, mapped by the real infer job, co-added on the sky's grid. Checked against the weighted mean the
 * test computes itself, against the truth (no seams), against an independent frame rotation, and through a reader
 * that is not magmap's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MosaicIT {
    private static final int SKY = 112;
    private static final int CUBE = 64;
    private static final int STEP = 48;
    private static final double FEATHER = 12;
    private final SyntheticSurvey survey = new SyntheticSurvey(SKY, CUBE, STEP, 150.0, 30.0, 1.0 / 60);

    private Path root;
    private Path mapFile;

    @BeforeAll
    void aSurveyMappedByInfer() throws IOException {
        root = Files.createTempDirectory("magmap-mosaic-");
        JobRuns.smallObservedSuite(root, "[90]");
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "make-patches",
                        "magmap.make-patches.patches-per-map=40",
                        "magmap.make-patches.observables=[HI_CH00]",
                        "magmap.make-patches.target-maps=true"));
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "train",
                        "magmap.train.model=cresnet",
                        "magmap.train.observables=[HI_CH00]",
                        "magmap.train.cresnet.base-channels=4",
                        "magmap.train.cresnet.residual-blocks=1",
                        "magmap.train.max-train-patches=40",
                        "magmap.train.max-validation-patches=20",
                        "magmap.train.max-metrics-patches=20",
                        "magmap.train.epochs=1"));
        mapFile = JobRuns.observeUnseenRunAsPpv(root, "observe-ppv");
        survey.writeCubes(mapFile, root.resolve("survey"), -16.0, 0.5);
        survey.writeSkyTruth(mapFile, root.resolve("sky-truth.fits"));
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "infer",
                        "magmap.infer.output-dir=infer",
                        "magmap.infer.inputs=[\"" + root.resolve("survey") + "\"]",
                        "magmap.infer.windows={ch00=[-1.0, 1.0]}",
                        "magmap.infer.block-pixels=64"));
    }

    @AfterAll
    void cleanUp() throws IOException {
        JobRuns.deleteTree(root);
    }

    /** The sky's own grid: the cubes' common tangent plane, pixel for pixel. */
    private int mosaicOnTheSkyGrid(String outputDir, String... more) {
        List<String> confs = new ArrayList<>(List.of(
                "magmap.mosaic.output-dir=" + outputDir,
                "magmap.mosaic.inputs=[\"" + root.resolve("infer") + "\"]",
                "magmap.mosaic.grid.projection=TAN",
                "magmap.mosaic.grid.center=[150.0, 30.0]",
                "magmap.mosaic.grid.size=[" + SKY + ", " + SKY + "]",
                "magmap.mosaic.grid.pixel-arcmin=1.0",
                "magmap.mosaic.feather-pixels=" + FEATHER));
        confs.addAll(List.of(more));
        return JobRuns.run(root, "mosaic", confs.toArray(String[]::new));
    }

    private static Map<String, MapFiles.Image> maps(Path file) throws IOException {
        Map<String, MapFiles.Image> out = new java.util.LinkedHashMap<>();
        for (MapFiles.Image im : MapFiles.read(file)) {
            out.put(im.extname(), im);
        }
        return out;
    }

    private static double axialDifference(double a, double b) {
        double d = Math.abs(a - b) % 180;
        return Math.min(d, 180 - d);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    /** The feather weight written out from its definition: sin^2 of the distance to the cube's edge. */
    private static double feather(int i, int j) {
        double d = Math.min(Math.min(i + 0.5, CUBE - 0.5 - i), Math.min(j + 0.5, CUBE - 0.5 - j));
        double s = Math.sin(Math.PI / 2 * Math.min(1, d / FEATHER));
        return s * s;
    }

    @Test
    void overlapsAreTheWeightedMeanOfTheCubesAndTheRestIsTheSingleCube() throws Exception {
        assertEquals(0, mosaicOnTheSkyGrid("mosaic"));
        Map<String, MapFiles.Image> mosaic = maps(root.resolve("mosaic/maps/mosaic__ch00.fits"));
        assertEquals(
                List.of(
                        "PSI_DEG",
                        "GAMMA_DEG",
                        "B_UG",
                        "M_A",
                        "M_S",
                        "WINDOW",
                        "VGT_PSI_DEG",
                        "AM",
                        "COVERAGE",
                        "N_INPUTS"),
                List.copyOf(mosaic.keySet()));
        List<int[]> origins = survey.origins();
        assertEquals(4, origins.size());
        List<Map<String, MapFiles.Image>> cubes = new ArrayList<>();
        for (int[] o : origins) {
            cubes.add(maps(
                    root.resolve("infer/maps/" + SyntheticSurvey.cubeName(o).replace(".fits", "__ch00.fits"))));
        }
        int inOverlaps = 0;
        int single = 0;
        for (int y = 0; y < SKY; y++) {
            for (int x = 0; x < SKY; x++) {
                double w = 0;
                double b = 0;
                double c2 = 0;
                double s2 = 0;
                int n = 0;
                for (int k = 0; k < cubes.size(); k++) {
                    int i = x - origins.get(k)[0];
                    int j = y - origins.get(k)[1];
                    if (i < 0 || j < 0 || i >= CUBE || j >= CUBE) {
                        continue;
                    }
                    int p = j * CUBE + i;
                    double wk = cubes.get(k).get("COVERAGE").data()[p] * feather(i, j);
                    double psi = Math.toRadians(cubes.get(k).get("PSI_DEG").data()[p]);
                    w += wk;
                    b += wk * cubes.get(k).get("B_UG").data()[p];
                    c2 += wk * Math.cos(2 * psi);
                    s2 += wk * Math.sin(2 * psi);
                    n++;
                }
                int q = y * SKY + x;
                assertEquals(n, mosaic.get("N_INPUTS").data()[q], "inputs at " + x + ", " + y);
                assertEquals(w, mosaic.get("COVERAGE").data()[q], 1e-6 * w, "coverage at " + x + ", " + y);
                double expectedB = b / w;
                assertEquals(
                        expectedB, mosaic.get("B_UG").data()[q], 1e-6 * Math.abs(expectedB), "B at " + x + ", " + y);
                double expectedPsi = Math.toDegrees(0.5 * Math.atan2(s2, c2));
                assertTrue(
                        axialDifference(expectedPsi, mosaic.get("PSI_DEG").data()[q]) < 2e-5,
                        "psi at " + x + ", " + y + ": " + mosaic.get("PSI_DEG").data()[q] + " vs " + expectedPsi);
                if (n > 1) {
                    inOverlaps++;
                } else {
                    single++;
                }
            }
        }
        // Overlaps: two 16-pixel bands each way across the 112-pixel sky (four cubes meet in the middle square).
        assertEquals(SKY * SKY - (SKY - 16) * (SKY - 16), inOverlaps, "pixels in overlaps");
        assertEquals((SKY - 16) * (SKY - 16), single, "pixels under one cube");

        // The same mosaic from 16-pixel blocks over 3 partitions, bit for bit.
        assertEquals(
                0,
                mosaicOnTheSkyGrid(
                        "mosaic-small-blocks", "magmap.mosaic.block-pixels=16", "magmap.mosaic.partitions=3"));
        Map<String, MapFiles.Image> again = maps(root.resolve("mosaic-small-blocks/maps/mosaic__ch00.fits"));
        for (String m : mosaic.keySet()) {
            float[] a = mosaic.get(m).data();
            float[] z = again.get(m).data();
            for (int k = 0; k < a.length; k++) {
                assertEquals(Float.floatToIntBits(a[k]), Float.floatToIntBits(z[k]), m + " pixel " + k);
            }
        }
    }

    @Test
    void noSeamAlongTheCubeBorders() throws Exception {
        assertEquals(0, mosaicOnTheSkyGrid("mosaic-seams"));
        Map<String, MapFiles.Image> mosaic = maps(root.resolve("mosaic-seams/maps/mosaic__ch00.fits"));
        Map<String, MapFiles.Image> truth = maps(root.resolve("sky-truth.fits"));
        // The window is observe's own 2 km/s channel map, repeated over the periodic sky: everywhere, seams too.
        MapFiles.Image channel = maps(mapFile).get("HI_CH00");
        int n = channel.shape()[0];
        float[] window = mosaic.get("WINDOW").data();
        for (int y = 0; y < SKY; y++) {
            for (int x = 0; x < SKY; x++) {
                float expected = channel.data()[(y % n) * n + x % n];
                assertEquals(
                        expected, window[y * SKY + x], 1e-4 * Math.abs(expected) + 1e-6, "window at " + x + ", " + y);
            }
        }
        // The VGT orientation against the true position angle: no worse along a cube's border than away from one.
        List<Double> border = new ArrayList<>();
        List<Double> inside = new ArrayList<>();
        float[] vgt = mosaic.get("VGT_PSI_DEG").data();
        float[] truePa = truth.get("TRUTH_PSI_DEG").data();
        for (int y = 0; y < SKY; y++) {
            for (int x = 0; x < SKY; x++) {
                int q = y * SKY + x;
                if (!Float.isFinite(vgt[q])) {
                    continue;
                }
                boolean nearBorder = false;
                for (int[] o : survey.origins()) {
                    for (int edge : new int[] {o[0], o[0] + CUBE - 1}) {
                        nearBorder |= Math.abs(x - edge) <= 2 && y >= o[1] && y < o[1] + CUBE && x > 2 && x < SKY - 3;
                    }
                    for (int edge : new int[] {o[1], o[1] + CUBE - 1}) {
                        nearBorder |= Math.abs(y - edge) <= 2 && x >= o[0] && x < o[0] + CUBE && y > 2 && y < SKY - 3;
                    }
                }
                (nearBorder ? border : inside).add(axialDifference(vgt[q], truePa[q]));
            }
        }
        double b = median(border);
        double in = median(inside);
        System.out.printf(
                "mosaic seams: VGT median |error| %.2f deg along %d border pixels, %.2f deg at %d others%n",
                b, border.size(), in, inside.size());
        assertTrue(border.size() > 300 && inside.size() > 3000, border.size() + " / " + inside.size());
        assertTrue(in < 15, "the VGT follows the true field away from borders: " + in);
        assertTrue(b <= in + 1.0, "border error " + b + " deg against " + in + " deg inside");
    }

    /** A uniform field, psi = 30 deg east of north, on an equatorial TAN grid, as infer's output would carry it. */
    private Path uniformField(String name, String lonType, String latType) throws IOException {
        Path file = root.resolve("uniform/" + name + ".fits");
        Files.createDirectories(file.getParent());
        int side = 120;
        FitsCards wcs = new FitsCards()
                .add("CTYPE1", lonType, null)
                .add("CTYPE2", latType, null)
                .add("CRPIX1", 60.5, null)
                .add("CRPIX2", 60.5, null)
                .add("CRVAL1", 150.0, null)
                .add("CRVAL2", 30.0, null)
                .add("CDELT1", -2.0 / 60, null)
                .add("CDELT2", 2.0 / 60, null);
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.writeEmptyPrimary(new FitsCards().add("WINDOW", "lvc", null));
            for (String map : new String[] {"PSI_DEG", "B_UG", "COVERAGE"}) {
                float[] v = new float[side * side];
                java.util.Arrays.fill(v, map.equals("PSI_DEG") ? 30f : map.equals("B_UG") ? 3f : 1f);
                w.beginImage(map, new int[] {side, side}, wcs.copy());
                w.write(v);
                w.endImage();
            }
        }
        return file;
    }

    @Test
    void aGalacticGridTurnsPositionAnglesAsTheFramesDo() throws Exception {
        Path in = uniformField("equatorial", "RA---TAN", "DEC--TAN");
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "mosaic",
                        "magmap.mosaic.output-dir=mosaic-galactic",
                        "magmap.mosaic.inputs=[\"" + in + "\"]",
                        "magmap.mosaic.grid.frame=galactic",
                        "magmap.mosaic.grid.projection=CAR",
                        "magmap.mosaic.grid.pixel-arcmin=3.0"));
        Path out = root.resolve("mosaic-galactic/maps/mosaic__lvc.fits");
        // Read with nom-tam alone, and the plate carree's pixels written out by hand: x = CRPIX1 - 1 + (l -
        // CRVAL1) / CDELT1 and y = CRPIX2 - 1 + b / CDELT2 (CRVAL2 = 0), 0-based.
        try (Fits f = new Fits(out.toFile())) {
            ImageHDU psiHdu = (ImageHDU) f.getHDU(1);
            Header h = psiHdu.getHeader();
            assertEquals("PSI_DEG", h.getStringValue("EXTNAME"));
            assertEquals("GLON-CAR", h.getStringValue("CTYPE1"));
            assertEquals("GLAT-CAR", h.getStringValue("CTYPE2"));
            assertEquals(0.0, h.getDoubleValue("CRVAL2"));
            assertEquals(-0.05, h.getDoubleValue("CDELT1"), 1e-12);
            float[][] psi = (float[][]) psiHdu.getKernel();
            float[][] n = (float[][]) ((ImageHDU) f.getHDU(4)).getKernel();
            assertEquals("N_INPUTS", f.getHDU(4).getHeader().getStringValue("EXTNAME"));
            int checked = 0;
            double smallest = 180;
            double largest = 0;
            for (int y = 0; y < psi.length; y += 7) {
                for (int x = 0; x < psi[0].length; x += 7) {
                    if (n[y][x] < 1) {
                        continue;
                    }
                    double l = h.getDoubleValue("CRVAL1")
                            + (x + 1 - h.getDoubleValue("CRPIX1")) * h.getDoubleValue("CDELT1");
                    double b = (y + 1 - h.getDoubleValue("CRPIX2")) * h.getDoubleValue("CDELT2");
                    double expected = galacticAngleOfEquatorial30(l, b);
                    assertTrue(
                            axialDifference(expected, psi[y][x]) < 1e-3,
                            "at l = " + l + ", b = " + b + ": " + psi[y][x] + " vs " + expected);
                    double turn = axialDifference(expected, 30);
                    smallest = Math.min(smallest, turn);
                    largest = Math.max(largest, turn);
                    checked++;
                }
            }
            assertTrue(checked > 100, "checked " + checked);
            // Seen from RA 150, Dec 30 the north galactic pole (RA 192.9, Dec 27.1) lies nearly due east: the turn is
            // large, and varies over the 4-degree field.
            assertTrue(smallest > 70 && largest - smallest > 2, "the turn ranges over " + smallest + " to " + largest);
        }
    }

    @Test
    void aHealpixMapHasItsNsideOrderingAndPixelsInAnIndependentReader() throws Exception {
        Path in = uniformField("equatorial-healpix", "RA---TAN", "DEC--TAN");
        java.util.Map<String, long[]> pixelsByOrdering = new java.util.HashMap<>();
        for (String ordering : new String[] {"RING", "NESTED"}) {
            assertEquals(
                    0,
                    JobRuns.run(
                            root,
                            "mosaic",
                            "magmap.mosaic.output-dir=mosaic-healpix-" + ordering,
                            "magmap.mosaic.inputs=[\"" + in + "\"]",
                            "magmap.mosaic.grid.frame=galactic",
                            "magmap.mosaic.grid.healpix.nside=1024",
                            "magmap.mosaic.grid.healpix.ordering=" + ordering));
            Path out = root.resolve("mosaic-healpix-" + ordering + "/maps/mosaic__lvc.healpix.fits");
            try (Fits f = new Fits(out.toFile())) {
                nom.tam.fits.BinaryTableHDU t = (nom.tam.fits.BinaryTableHDU) f.getHDU(1);
                Header h = t.getHeader();
                assertEquals("HEALPIX", h.getStringValue("PIXTYPE"));
                assertEquals(ordering, h.getStringValue("ORDERING"));
                assertEquals(1024, h.getLongValue("NSIDE"));
                assertEquals("EXPLICIT", h.getStringValue("INDXSCHM"));
                assertEquals("G", h.getStringValue("COORDSYS"));
                assertEquals(12L * 1024 * 1024 - 1, h.getLongValue("LASTPIX"));
                assertEquals("PIXEL", h.getStringValue("TTYPE1"));
                long[] pixel = (long[]) t.getColumn("PIXEL");
                float[] psi = (float[]) t.getColumn("PSI_DEG");
                float[] b = (float[]) t.getColumn("B_UG");
                // The input covers (120 x 2 arcmin)^2 = 16 square degrees; a pixel at NSIDE 1024 is 41253 / (12 *
                // 1024^2) square degrees.
                double expected = 16 / (41252.96 / (12.0 * 1024 * 1024));
                assertEquals(expected, pixel.length, 0.03 * expected, "pixels reached");
                for (int k = 0; k < pixel.length; k++) {
                    assertTrue(pixel[k] >= 0 && pixel[k] < 12L * 1024 * 1024);
                    assertEquals(3f, b[k], 1e-6f);
                    if (k % 97 == 0) {
                        double[] c = org.magmap.sky.Healpix.centre(
                                1024, org.magmap.sky.Healpix.Ordering.valueOf(ordering), pixel[k]);
                        double want = galacticAngleOfEquatorial30(c[0], c[1]);
                        assertTrue(axialDifference(want, psi[k]) < 1e-3, "pixel " + pixel[k] + ": " + psi[k]);
                    }
                    if (ordering.equals("NESTED") && k > 0) {
                        assertTrue(pixel[k] > pixel[k - 1], "NESTED rows in order");
                    }
                }
                pixelsByOrdering.put(ordering, pixel);
            }
        }
        // The two orderings name the same pixels.
        long[] asRing = java.util.Arrays.stream(pixelsByOrdering.get("NESTED"))
                .map(p -> org.magmap.sky.Healpix.nestedToRing(1024, p))
                .sorted()
                .toArray();
        long[] ring = pixelsByOrdering.get("RING").clone();
        java.util.Arrays.sort(ring);
        org.junit.jupiter.api.Assertions.assertArrayEquals(ring, asRing);
    }

    /**
     * The galactic position angle of the direction at 30 deg east of equatorial north at (l, b): the two ends of a
     * one-arcsecond step along it, placed on the sphere in the equatorial frame, and their bearing in the galactic
     * one. Independent of how magmap turns angles (it uses the bearing of the pole); the positions go through the
     * frame transform checked against astropy.
     */
    private static double galacticAngleOfEquatorial30(double l, double b) {
        double[] eq = SkyFrames.convert(SkyFrames.Frame.GALACTIC, SkyFrames.Frame.EQUATORIAL, l, b);
        double[] end = destination(eq[0], eq[1], 30, 1.0 / 3600);
        double[] g0 = SkyFrames.convert(SkyFrames.Frame.EQUATORIAL, SkyFrames.Frame.GALACTIC, eq[0], eq[1]);
        double[] g1 = SkyFrames.convert(SkyFrames.Frame.EQUATORIAL, SkyFrames.Frame.GALACTIC, end[0], end[1]);
        double p1 = Math.toRadians(g0[1]);
        double p2 = Math.toRadians(g1[1]);
        double dl = Math.toRadians(g1[0] - g0[0]);
        double bearing = Math.toDegrees(Math.atan2(
                Math.sin(dl) * Math.cos(p2), Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl)));
        return ((bearing % 180) + 180) % 180;
    }

    /** The point {@code distDeg} from (lon, lat) at bearing {@code paDeg} east of north (the direct geodesic). */
    private static double[] destination(double lon, double lat, double paDeg, double distDeg) {
        double p = Math.toRadians(lat);
        double d = Math.toRadians(distDeg);
        double a = Math.toRadians(paDeg);
        double p2 = Math.asin(Math.sin(p) * Math.cos(d) + Math.cos(p) * Math.sin(d) * Math.cos(a));
        double l2 = Math.toRadians(lon)
                + Math.atan2(Math.sin(a) * Math.sin(d) * Math.cos(p), Math.cos(d) - Math.sin(p) * Math.sin(p2));
        return new double[] {Math.toDegrees(l2), Math.toDegrees(p2)};
    }

    @Test
    void badInputIsRefusedBeforeAnyWork() throws Exception {
        // A map with no celestial WCS: observe's own map file (linear X/Y axes in pc).
        String noSky = JobRuns.refused(
                root, "mosaic", "magmap.mosaic.output-dir=bad-1", "magmap.mosaic.inputs=[\"" + mapFile + "\"]");
        assertTrue(noSky.contains(mapFile.toString()) && noSky.contains("no celestial axis pair"), noSky);
        // Ecliptic maps and a galactic grid: no transform between them here.
        Path ecliptic = uniformField("ecliptic", "ELON-TAN", "ELAT-TAN");
        String frames = JobRuns.refused(
                root,
                "mosaic",
                "magmap.mosaic.output-dir=bad-2",
                "magmap.mosaic.inputs=[\"" + ecliptic + "\"]",
                "magmap.mosaic.grid.frame=galactic");
        assertTrue(frames.contains(ecliptic.toString()) && frames.contains("ecliptic"), frames);
        // A grid of absurd size: a typo in the size, and a pixel far finer than the inputs' over their extent.
        Path ok = uniformField("equatorial-2", "RA---TAN", "DEC--TAN");
        String size = JobRuns.refused(
                root,
                "mosaic",
                "magmap.mosaic.output-dir=bad-3",
                "magmap.mosaic.inputs=[\"" + ok + "\"]",
                "magmap.mosaic.grid.center=[150.0, 30.0]",
                "magmap.mosaic.grid.size=[400000, 400000]",
                "magmap.mosaic.grid.pixel-arcmin=0.001");
        assertTrue(size.contains("magmap.mosaic.grid") && size.contains("max-pixels"), size);
        String fine = JobRuns.refused(
                root,
                "mosaic",
                "magmap.mosaic.output-dir=bad-4",
                "magmap.mosaic.inputs=[\"" + ok + "\"]",
                "magmap.mosaic.grid.pixel-arcmin=0.0001");
        assertTrue(fine.contains("max-pixels"), fine);
        for (int k = 1; k <= 4; k++) {
            assertFalse(Files.exists(root.resolve("bad-" + k)), "nothing written for bad input " + k);
        }
    }
}
