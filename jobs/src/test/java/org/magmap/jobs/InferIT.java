package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.magmap.conf.RepoPaths;
import org.magmap.fits.MapFiles;
import org.magmap.sky.CelestialWcs;

/**
 * The real infer entry point with models the real train job made, on the real survey files in
 * data-samples/real: maps on the input's sky grid, the same for any division into blocks and partitions, and
 * each input failing alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InferIT {
    /** The HDUs of an H I window's output, in order (a cresnet with the VGT beside it). */
    private static final List<String> H_I_MAPS = List.of(
            "PSI_DEG", "PSI_PIX_DEG", "GAMMA_DEG", "B_UG", "M_A", "M_S", "COVERAGE", "WINDOW", "VGT_PSI_DEG", "AM");

    private Path root;
    private final Path ngc6946 = RepoPaths.realData().resolve("ngc6946.fits");
    private final Path exampleCube = RepoPaths.realData().resolve("example_cube.fits");
    private final Path parkes = RepoPaths.realData().resolve("1904-66_SIN.fits");

    @BeforeAll
    void modelsTrainedOnASmallSuite() throws IOException {
        root = Files.createTempDirectory("magmap-infer-");
        JobRuns.smallObservedSuite(root, "[90]");
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "make-patches",
                        "magmap.make-patches.patches-per-map=60",
                        "magmap.make-patches.observables=[SYNC, HI_CH00]",
                        "magmap.make-patches.target-maps=true"));
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "train",
                        "magmap.train.output-dir=train-hi",
                        "magmap.train.model=cresnet",
                        "magmap.train.observables=[HI_CH00]",
                        "magmap.train.cresnet.base-channels=4",
                        "magmap.train.cresnet.residual-blocks=1",
                        "magmap.train.max-train-patches=60",
                        "magmap.train.max-validation-patches=30",
                        "magmap.train.max-metrics-patches=30",
                        "magmap.train.epochs=1"));
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "train",
                        "magmap.train.output-dir=train-sync",
                        "magmap.train.observables=[SYNC]",
                        "magmap.train.cnn.block-channels=[4, 8, 8]",
                        "magmap.train.cnn.dense-units=16",
                        "magmap.train.max-train-patches=60",
                        "magmap.train.epochs=1"));
    }

    @AfterAll
    void cleanUp() throws IOException {
        JobRuns.deleteTree(root);
    }

    private int infer(String outputDir, String model, String inputs, String... more) {
        String[] confs = new String[3 + more.length];
        confs[0] = "magmap.infer.output-dir=" + outputDir;
        confs[1] = "magmap.infer.model-dir=" + model;
        confs[2] = "magmap.infer.inputs=" + inputs;
        System.arraycopy(more, 0, confs, 3, more.length);
        return JobRuns.run(root, "infer", confs);
    }

    private static Map<String, MapFiles.Image> maps(Path file) throws IOException {
        Map<String, MapFiles.Image> out = new java.util.LinkedHashMap<>();
        for (MapFiles.Image im : MapFiles.read(file)) {
            out.put(im.extname(), im);
        }
        return out;
    }

    private static Header imageHeader(Path file, int hdu) throws Exception {
        try (Fits f = new Fits(file.toFile())) {
            return f.getHDU(hdu).getHeader();
        }
    }

    @Test
    void mapsACubeOnItsOwnSkyGridAndAnInputTooSmallFailsAlone() throws Exception {
        int code = infer(
                "infer-hi",
                "train-hi",
                "[\"" + ngc6946 + "\", \"" + exampleCube + "\"]",
                "magmap.infer.windows={disk=[0.0, 120.0]}",
                "magmap.infer.block-pixels=64");
        assertEquals(Magmap.EXIT_PARTIAL, code, "one input mapped, one refused");
        Path out = root.resolve("infer-hi/maps/ngc6946__disk.fits");
        Map<String, MapFiles.Image> maps = maps(out);
        assertEquals(H_I_MAPS, List.copyOf(maps.keySet()));
        // The VGT beside the network: 16-pixel blocks, whole ones only (96 of the 100 pixels each way), and the
        // Alignment Measure cos 2(psi - psi_VGT) per pixel, from the two position angles on the sky.
        float[] vgt = maps.get("VGT_PSI_DEG").data();
        float[] am = maps.get("AM").data();
        int withVgt = 0;
        for (int k = 0; k < vgt.length; k++) {
            if (Float.isFinite(vgt[k])) {
                withVgt++;
                assertTrue(vgt[k] >= 0 && vgt[k] < 180);
                if (Float.isFinite(am[k])) {
                    double d = Math.toRadians(maps.get("PSI_DEG").data()[k] - vgt[k]);
                    assertEquals(Math.cos(2 * d), am[k], 1e-4, "AM from the two position angles");
                }
            }
        }
        assertTrue(withVgt > 0 && withVgt <= 96 * 96, "VGT where whole blocks with emission are: " + withVgt);
        // The output's celestial WCS is the input's: the same sky at every pixel.
        CelestialWcs in = CelestialWcs.of(imageHeader(ngc6946, 0), "in");
        CelestialWcs outWcs = CelestialWcs.of(imageHeader(out, 1), "out");
        for (int[] p : new int[][] {{0, 0}, {99, 0}, {37, 81}, {99, 99}}) {
            double[] a = in.pixelToWorld(p[0], p[1]);
            double[] b = outWcs.pixelToWorld(p[0], p[1]);
            assertEquals(a[0], b[0], 1e-9);
            assertEquals(a[1], b[1], 1e-9);
        }
        assertSameSky(ngc6946, out);
        Header h = imageHeader(out, 1);
        assertEquals(2, h.getIntValue("WCSAXES"));
        assertEquals("RA---NCP", h.getStringValue("CTYPE1").strip());
        assertFalse(h.containsKey("CTYPE3"), "the spectral axis is dropped");
        float[] psi = maps.get("PSI_DEG").data();
        float[] pix = maps.get("PSI_PIX_DEG").data();
        float[] coverage = maps.get("COVERAGE").data();
        int covered = 0;
        for (int k = 0; k < psi.length; k++) {
            if (coverage[k] > 0) {
                covered++;
                assertTrue(psi[k] >= 0 && psi[k] < 180, "a position angle in [0, 180): " + psi[k]);
                // NCP near the reference with RA increasing to the left: +y is north and +x west, so a direction
                // at pixel angle a (from +x towards +y) has east component -cos a and north component sin a:
                // PA = atan2(-cos a, sin a) = a - 90 (mod 180).
                double expected = ((pix[k] - 90) % 180 + 180) % 180;
                double d = Math.abs(psi[k] - expected);
                assertTrue(Math.min(d, 180 - d) < 2.0, "PA " + psi[k] + " for pixel angle " + pix[k]);
            }
        }
        assertTrue(covered > 0.99 * psi.length, "nearly every pixel mapped: " + covered);

        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            List<Row> rows = spark.read()
                    .parquet(root.resolve("infer-hi/summary.parquet").toString())
                    .select("input", "window", "status", "error", "tiles", "mean_am")
                    .orderBy("input")
                    .collectAsList();
            assertEquals(2, rows.size(), rows.toString());
            assertTrue(rows.get(0).getString(0).endsWith("example_cube.fits")
                    && rows.get(0).getString(2).equals("refused"));
            assertTrue(
                    rows.get(0).getString(3).contains("smaller than the model's 32 x 32 tile"),
                    rows.get(0).getString(3));
            assertEquals("ok", rows.get(1).getString(2));
            assertEquals(36, rows.get(1).getLong(4), "6 x 6 tiles of 32 pixels stepping 16 over 100 x 100");
            double meanAm = rows.get(1).getDouble(5);
            assertTrue(meanAm >= -1 && meanAm <= 1, "mean AM " + meanAm);
        } finally {
            spark.stop();
        }
    }

    @Test
    void theStitchedMapsAreTheSameForAnyBlocksAndPartitions() throws Exception {
        String input = "[\"" + ngc6946 + "\"]";
        assertEquals(
                0,
                infer(
                        "infer-a",
                        "train-hi",
                        input,
                        "magmap.infer.windows={w=[20.0, 60.0]}",
                        "magmap.infer.block-pixels=100",
                        "magmap.infer.partitions=1"));
        assertEquals(
                0,
                infer(
                        "infer-b",
                        "train-hi",
                        input,
                        "magmap.infer.windows={w=[20.0, 60.0]}",
                        "magmap.infer.block-pixels=27",
                        "magmap.infer.partitions=4"));
        Map<String, MapFiles.Image> a = maps(root.resolve("infer-a/maps/ngc6946__w.fits"));
        Map<String, MapFiles.Image> b = maps(root.resolve("infer-b/maps/ngc6946__w.fits"));
        for (String name : a.keySet()) {
            float[] x = a.get(name).data();
            float[] y = b.get(name).data();
            for (int k = 0; k < x.length; k++) {
                if (Float.isNaN(x[k])) {
                    assertTrue(Float.isNaN(y[k]), name);
                } else {
                    // The float32 network outputs' last bits depend on the batch a tile lands in (the BLAS kernel's
                    // blocking differs between CPUs), so "the same" is to 1e-5; a misplaced tile or block is off by
                    // far more. Angles come through arctan/arccos of those outputs: compared in degrees.
                    double tol = name.endsWith("_DEG") ? 1e-3 : 1e-5 * Math.max(1, Math.abs(x[k]));
                    double d = Math.abs(x[k] - y[k]);
                    if (name.startsWith("PSI")) {
                        d = Math.min(d, 180 - d);
                    }
                    assertTrue(d <= tol, name + "[" + k + "]: " + x[k] + " vs " + y[k]);
                }
            }
        }
    }

    @Test
    void theClusterCnnMapsAContinuumImageAndLeavesItsBlankSkyBlank() throws Exception {
        assertEquals(0, infer("infer-sync", "train-sync", "[\"" + parkes + "\"]"));
        Map<String, MapFiles.Image> maps = maps(root.resolve("infer-sync/maps/1904-66_SIN__image.fits"));
        assertEquals(List.of("B_UG", "COVERAGE", "WINDOW"), List.copyOf(maps.keySet()));
        float[] b = maps.get("B_UG").data();
        float[] image = maps.get("WINDOW").data();
        int finite = 0;
        for (int k = 0; k < b.length; k++) {
            if (Float.isNaN(image[k])) {
                assertTrue(Float.isNaN(b[k]), "a blank input pixel is blank in the B map");
            } else if (Float.isFinite(b[k])) {
                finite++;
            }
        }
        assertTrue(finite > 10000, "the image's sky is mapped: " + finite + " pixels");

        // A galactic-frame image: the output keeps GLON/GLAT and says psi angles would be galactic.
        Path galactic = RepoPaths.realData().resolve("galactic_2d.fits");
        assertEquals(0, infer("infer-galactic", "train-sync", "[\"" + galactic + "\"]"));
        Path out = root.resolve("infer-galactic/maps/galactic_2d__image.fits");
        Header h = imageHeader(out, 1);
        assertEquals("GLON-CAR", h.getStringValue("CTYPE1").strip());
        assertEquals("GLAT-CAR", h.getStringValue("CTYPE2").strip());
        assertTrue(imageHeader(out, 0).getStringValue("PSICONV").contains("galactic"));
        CelestialWcs in = CelestialWcs.of(imageHeader(galactic, 0), "in");
        CelestialWcs outWcs = CelestialWcs.of(h, "out");
        double[] a = in.pixelToWorld(5, 40);
        double[] b2 = outWcs.pixelToWorld(5, 40);
        assertEquals(a[0], b2[0], 1e-9);
        assertEquals(a[1], b2[1], 1e-9);
    }

    @Test
    void theDihedralMeanAddsEachQuantitysSpreadOverTheEightTurns() throws Exception {
        assertEquals(
                0,
                infer(
                        "infer-spread",
                        "train-hi",
                        "[\"" + ngc6946 + "\"]",
                        "magmap.infer.windows={w=[20.0, 22.0]}",
                        "magmap.infer.dihedral-mean=true"));
        Map<String, MapFiles.Image> maps = maps(root.resolve("infer-spread/maps/ngc6946__w.fits"));
        assertEquals(
                java.util.stream.Stream.concat(
                                H_I_MAPS.stream(),
                                java.util.stream.Stream.of(
                                        "PSI_DEG_ERR", "GAMMA_DEG_ERR", "B_UG_ERR", "M_A_ERR", "M_S_ERR"))
                        .toList(),
                List.copyOf(maps.keySet()));
        float[] coverage = maps.get("COVERAGE").data();
        for (String err : List.of("PSI_DEG_ERR", "B_UG_ERR", "M_S_ERR")) {
            float[] e = maps.get(err).data();
            double sum = 0;
            for (int k = 0; k < e.length; k++) {
                if (coverage[k] > 0) {
                    assertTrue(e[k] >= 0 && (!err.equals("PSI_DEG_ERR") || e[k] <= 90), err + " = " + e[k]);
                    sum += e[k];
                }
            }
            assertTrue(sum > 0, err + ": a one-epoch network answers the turns differently");
        }
    }

    @Test
    void conditionsOutsideTheModelsTrainingRangeAreRefusedWhenStrict() throws IOException {
        // The model trained on clean 2 km/s channels: no beam, and windows 2 km/s wide.
        com.fasterxml.jackson.databind.JsonNode ranges = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(root.resolve("train-hi/card.json").toFile())
                .get("condition-ranges");
        assertEquals("[2.0,2.0]", ranges.get("channel_width_km_s").toString());
        assertEquals("[0.0,0.0]", ranges.get("beam_fwhm_px").toString());
        String err = JobRuns.refused(
                root,
                "infer",
                "magmap.infer.model-dir=train-hi",
                "magmap.infer.inputs=[\"" + ngc6946 + "\"]",
                "magmap.infer.windows={w=[20.0, 22.0]}",
                "magmap.infer.conditions.strict=true");
        assertTrue(
                err.contains("ngc6946.fits")
                        && err.contains("beam_fwhm_px 2.5 outside the training range [0, 0]")
                        && !err.contains("channel_width"),
                err);
    }

    @Test
    void badInputsAreRefusedNamingTheFileAndTheProblem() throws IOException {
        Path notFits = root.resolve("not-a-cube.fits");
        Files.writeString(notFits, "SIMPLE  = this is not FITS at all");
        String err = JobRuns.refused(
                root,
                "infer",
                "magmap.infer.model-dir=train-hi",
                "magmap.infer.inputs=[\"" + notFits + "\"]",
                "magmap.infer.windows={w=[0.0, 10.0]}");
        assertTrue(err.contains(notFits.toString()), err);
        String outside = JobRuns.refused(
                root,
                "infer",
                "magmap.infer.model-dir=train-hi",
                "magmap.infer.inputs=[\"" + ngc6946 + "\"]",
                "magmap.infer.windows={far=[900.0, 950.0]}");
        assertTrue(outside.contains("ngc6946.fits") && outside.contains("outside the cube's velocity range"), outside);
        String image = JobRuns.refused(
                root,
                "infer",
                "magmap.infer.model-dir=train-hi",
                "magmap.infer.inputs=[\"" + parkes + "\"]",
                "magmap.infer.windows={w=[0.0, 10.0]}");
        assertTrue(image.contains("1904-66_SIN.fits") && image.contains("no spectral axis"), image);
        String cubeForAnImageModel = JobRuns.refused(
                root, "infer", "magmap.infer.model-dir=train-sync", "magmap.infer.inputs=[\"" + ngc6946 + "\"]");
        assertTrue(
                cubeForAnImageModel.contains("ngc6946.fits") && cubeForAnImageModel.contains("the model reads a 2D"),
                cubeForAnImageModel);
        // A download cut short, and a header that claims far more data than the file holds (60000 x 60000 x 1000
        // 16-bit values, 7 TB: refused from the file's length, never allocated).
        Path truncated = root.resolve("truncated.fits");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(ngc6946), 1_000_000));
        String cut = JobRuns.refused(
                root,
                "infer",
                "magmap.infer.model-dir=train-hi",
                "magmap.infer.inputs=[\"" + truncated + "\"]",
                "magmap.infer.windows={w=[0.0, 10.0]}");
        assertTrue(cut.contains("truncated.fits") && cut.contains("truncated"), cut);
        Path claims = root.resolve("claims-too-much.fits");
        byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(ngc6946), 2880 * 2);
        String text = new String(header, java.nio.charset.StandardCharsets.US_ASCII);
        for (String[] axis : new String[][] {{"NAXIS1", "60000"}, {"NAXIS2", "60000"}, {"NAXIS3", "1000"}}) {
            int at = text.indexOf(String.format("%-8s=", axis[0]));
            String card = String.format("%-8s= %20s", axis[0], axis[1]);
            System.arraycopy(card.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, header, at, card.length());
        }
        Files.write(claims, header);
        String tooMuch = JobRuns.refused(
                root,
                "infer",
                "magmap.infer.model-dir=train-hi",
                "magmap.infer.inputs=[\"" + claims + "\"]",
                "magmap.infer.windows={w=[0.0, 10.0]}");
        assertTrue(tooMuch.contains("claims-too-much.fits") && tooMuch.contains("truncated"), tooMuch);
        assertEquals(1, tooMuch.strip().lines().count(), "one line: " + tooMuch);
        assertFalse(Files.exists(root.resolve("infer")), "nothing committed");
    }

    /** The angle between two axial directions (180-degree ambiguous), in [0, 90]. */
    private static double axialDifference(double a, double b) {
        double d = Math.abs(a - b) % 180;
        return Math.min(d, 180 - d);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    @Test
    void aSurveyCubeWithKnownTruthIsMappedWithinTheModelsTestErrorAndWithoutSeams() throws Exception {
        // The unseen run (the test split) observed into a PPV cube, put on the sky as a survey cube with its truth.
        Path mapFile = JobRuns.observeUnseenRunAsPpv(root, "observe-ppv");
        Path survey = root.resolve("survey-unseen.fits");
        org.magmap.infer.SurveySample.writeCube(mapFile, survey, 150.0, 30.0, 1.0 / 60, -16.0, 0.5);
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "evaluate",
                        "magmap.evaluate.output-dir=evaluate-hi",
                        "magmap.evaluate.model-dir=train-hi",
                        "magmap.evaluate.splits=[test]"));
        double testMedianPsi = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(root.resolve("evaluate-hi/evaluation.json").toFile())
                .get("test")
                .get("all")
                .get("median-psi-deviation-deg")
                .asDouble();
        // The observe window the model trained on: HI_CH00, 2 km/s about 0.
        assertEquals(
                0, infer("infer-truth", "train-hi", "[\"" + survey + "\"]", "magmap.infer.windows={ch00=[-1.0, 1.0]}"));
        Map<String, MapFiles.Image> out = maps(root.resolve("infer-truth/maps/survey-unseen__ch00.fits"));
        Map<String, MapFiles.Image> observed = maps(mapFile);
        Map<String, MapFiles.Image> truth = maps(survey);
        int n = 64;

        // The window integrated from the cube's 0.5 km/s channels is observe's own 2 km/s channel map (K km/s).
        float[] window = out.get("WINDOW").data();
        float[] channel = observed.get("HI_CH00").data();
        for (int k = 0; k < window.length; k++) {
            assertEquals(channel[k], window[k], 1e-4 * Math.abs(channel[k]) + 1e-6, "window map pixel " + k);
        }

        float[] psiPix = out.get("PSI_PIX_DEG").data();
        float[] psiSky = out.get("PSI_DEG").data();
        float[] truePsi = truth.get("TRUTH_PSI_DEG").data();
        List<Double> all = new java.util.ArrayList<>();
        List<Double> allSky = new java.util.ArrayList<>();
        List<Double> onTileEdges = new java.util.ArrayList<>();
        List<Double> inside = new java.util.ArrayList<>();
        for (int y = 2; y < n - 2; y++) {
            for (int x = 2; x < n - 2; x++) {
                int k = y * n + x;
                double d = axialDifference(psiPix[k], truePsi[k]);
                all.add(d);
                // North up, east left: a pixel angle a (from +x towards +y) is the position angle a - 90.
                allSky.add(axialDifference(psiSky[k], truePsi[k] - 90));
                // 32-pixel tiles stepping 16: an edge of some tile runs along every 16th row and column.
                boolean edge = Math.floorMod(x + 1, 16) <= 1 || Math.floorMod(y + 1, 16) <= 1;
                (edge ? onTileEdges : inside).add(d);
            }
        }
        double stitched = median(all);
        assertTrue(
                stitched <= 1.25 * testMedianPsi + 2,
                "stitched median |psi error| " + stitched + " deg against the model's test median " + testMedianPsi);
        assertEquals(stitched, median(allSky), 0.5, "the position angle is the pixel angle turned to north");
        double edges = median(onTileEdges);
        double interiors = median(inside);
        assertTrue(
                edges <= 1.15 * interiors + 1,
                "no seams: median |psi error| " + edges + " deg on tile edges, " + interiors + " inside tiles");
        // The VGT beside it needs no training: its position angles against the truth test the sky orientation
        // with a real signal (the one-epoch network of this test is near chance, 45 deg).
        float[] vgt = out.get("VGT_PSI_DEG").data();
        List<Double> vgtSky = new java.util.ArrayList<>();
        for (int k = 0; k < vgt.length; k++) {
            if (Float.isFinite(vgt[k])) {
                vgtSky.add(axialDifference(vgt[k], truePsi[k] - 90));
            }
        }
        double vgtMedian = median(vgtSky);
        System.out.printf(java.util.Locale.ROOT, "survey cube: VGT median |psi error| %.2f deg%n", vgtMedian);
        assertTrue(
                vgtSky.size() > 3000 && vgtMedian < 15,
                "VGT position angles against the truth turned to north: median " + vgtMedian + " deg");
        System.out.printf(
                java.util.Locale.ROOT,
                "survey cube: median |psi error| %.2f deg stitched (model's test median %.2f); on tile edges %.2f,"
                        + " inside tiles %.2f%n",
                stitched,
                testMedianPsi,
                edges,
                interiors);
    }

    /** A copy of a FITS file with one more header card before END (the header has room in its last block). */
    private static Path withCard(Path in, Path out, String card) throws IOException {
        byte[] bytes = Files.readAllBytes(in);
        String header = new String(bytes, 0, 2880 * 10, java.nio.charset.StandardCharsets.US_ASCII);
        int end = -1;
        for (int c = 0; c < header.length(); c += 80) {
            if (header.startsWith("END     ", c)
                    || header.substring(c, c + 80).strip().equals("END")) {
                end = c;
                break;
            }
        }
        assertTrue(end >= 0 && (end / 80 + 1) % 36 != 0, "room for a card after END's slot");
        byte[] line = String.format("%-80s", card).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] copy = bytes.clone();
        System.arraycopy(line, 0, copy, end, 80);
        System.arraycopy(
                String.format("%-80s", "END").getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                0,
                copy,
                end + 80,
                80);
        Files.write(out, copy);
        return out;
    }

    @Test
    void psiIsMeasuredFromNorthOnARotatedGrid() throws Exception {
        // The WSRT cube with its grid turned by CROTA2 = 30 deg (the data unchanged). With CDELT1 < 0 < CDELT2 the
        // FITS standard's CROTA2 matrix (Calabretta & Greisen 2002, eq. 189) puts a pixel angle a at the position
        // angle a - 90 - CROTA2 near the reference point.
        Path rotated = withCard(ngc6946, root.resolve("ngc6946-rot30.fits"), "CROTA2  =                 30.0");
        assertEquals(
                0,
                infer(
                        "infer-rotated",
                        "train-hi",
                        "[\"" + rotated + "\"]",
                        "magmap.infer.windows={w=[20.0, 60.0]}",
                        "magmap.infer.vgt-block-pixels=0"));
        Map<String, MapFiles.Image> maps = maps(root.resolve("infer-rotated/maps/ngc6946-rot30__w.fits"));
        float[] psi = maps.get("PSI_DEG").data();
        float[] pix = maps.get("PSI_PIX_DEG").data();
        int checked = 0;
        for (int y = 30; y < 70; y++) {
            for (int x = 30; x < 70; x++) {
                int k = y * 100 + x;
                if (Float.isFinite(psi[k])) {
                    checked++;
                    double d = axialDifference(psi[k], pix[k] - 90 - 30);
                    assertTrue(d < 1.0, "PA " + psi[k] + " for pixel angle " + pix[k]);
                }
            }
        }
        assertTrue(checked > 1000, "pixels checked: " + checked);
        assertEquals(30.0, imageHeader(rotated, 0).getDoubleValue("CROTA2"), 0);
        CelestialWcs in = CelestialWcs.of(imageHeader(rotated, 0), "in");
        CelestialWcs outWcs =
                CelestialWcs.of(imageHeader(root.resolve("infer-rotated/maps/ngc6946-rot30__w.fits"), 1), "out");
        for (int[] p : new int[][] {{0, 0}, {99, 0}, {0, 99}, {99, 99}, {50, 50}}) {
            assertArrayEquals(in.pixelToWorld(p[0], p[1]), outWcs.pixelToWorld(p[0], p[1]), 1e-9);
        }
    }

    /** The output's celestial cards are the input's: the same axes, reference point and sky at every pixel. */
    private static void assertSameSky(Path input, Path output) throws Exception {
        Header in;
        try (org.magmap.fits.FitsImageReader r = org.magmap.fits.FitsImageReader.open(input)) {
            in = r.images().get(0).header();
        }
        Header out = imageHeader(output, 1);
        for (String key : List.of("CTYPE1", "CTYPE2")) {
            assertEquals(in.getStringValue(key).strip(), out.getStringValue(key).strip(), input + " " + key);
        }
        for (String key : List.of("CRVAL1", "CRVAL2", "CRPIX1", "CRPIX2")) {
            assertEquals(in.getDoubleValue(key), out.getDoubleValue(key), 0, input + " " + key);
        }
        assertEquals(2, out.getIntValue("WCSAXES"), "the spectral and Stokes axes are dropped");
        CelestialWcs a = CelestialWcs.of(in, "in");
        CelestialWcs b = CelestialWcs.of(out, "out");
        int nx = in.getIntValue("NAXIS1");
        int ny = in.getIntValue("NAXIS2");
        for (int[] p : new int[][] {{0, 0}, {nx - 1, 0}, {0, ny - 1}, {nx - 1, ny - 1}, {nx / 3, ny / 2}}) {
            assertArrayEquals(a.pixelToWorld(p[0], p[1]), b.pixelToWorld(p[0], p[1]), 1e-9, input.toString());
        }
    }

    @Test
    void everyRealImageAndCubeLargeEnoughIsMappedOnItsOwnSky() throws Exception {
        // Continuum images of four instruments: Parkes, LOFAR (WSClean, leftover FREQ and STOKES cards), the
        // VLA + Effelsberg MAGPIS survey (galactic SIN) and a VLA NVAS image (4D with NaN), plus reproject's image.
        List<String> images = List.of(
                "1904-66_SIN.fits",
                "galactic_2d.fits",
                "lofar_GRB201006A_cutout.fits",
                "magpis_G10.5.fits",
                "nvas_W51_22GHz.fits");
        StringBuilder list = new StringBuilder("[");
        for (String name : images) {
            list.append(list.length() > 1 ? ", " : "")
                    .append('"')
                    .append(RepoPaths.realData().resolve(name))
                    .append('"');
        }
        assertEquals(0, infer("infer-real-images", "train-sync", list + "]"));
        for (String name : images) {
            Path out = root.resolve("infer-real-images/maps/" + name.replace(".fits", "__image.fits"));
            assertSameSky(RepoPaths.realData().resolve(name), out);
            float[] b = maps(out).get("B_UG").data();
            long finite = 0;
            for (float v : b) {
                finite += Float.isFinite(v) ? 1 : 0;
            }
            assertTrue(finite > b.length / 2, name + ": B mapped over most of the image (" + finite + ")");
        }
        // H I cubes: the WSRT cube of NGC 6946 (VELO-HEL in km/s) and a WSRT cube on a FREQ axis with RESTFREQ
        // (radio velocities 2449 to 3125 km/s), 134 x 70 pixels.
        Path wein = RepoPaths.realData().resolve("wsrt_WEIN069.fits");
        assertEquals(
                0,
                infer(
                        "infer-real-freq",
                        "train-hi",
                        "[\"" + wein + "\"]",
                        "magmap.infer.windows={w=[2700.0, 2900.0]}"));
        Path weinOut = root.resolve("infer-real-freq/maps/wsrt_WEIN069__w.fits");
        assertSameSky(wein, weinOut);
        Header primary = imageHeader(weinOut, 0);
        assertEquals("wsrt_WEIN069.fits", primary.getStringValue("INFILE"), "the input is named in the output");
    }
}
