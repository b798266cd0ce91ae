package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.magmap.conf.RepoPaths;
import org.magmap.fits.MapFiles;

/**
 * The corpus of bad inputs and hostile conditions, each run through the real entry points: what a person is
 * told (one line naming the file or key and the problem), the exit status (2 for input to fix, 1 for a failure
 * of the machine), and that nothing is lost or left half-written. Later jobs (infer, nightly) add their cases
 * here. Cases below the job level have their own tests: two runs committing into one output
 * ({@code AtomicOutputTest}), a kill between the steps of a checkpoint ({@code CheckpointsTest}), a fraction
 * given for a whole number ({@code MagmapConfigTest}), Spark's task failures turned into one line
 * ({@code FailuresTest}).
 *
 * <p>One small suite is simulated, observed, cut into patches and trained on once for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
    private Path root;

    @BeforeAll
    void smallSuiteWithPatchesAndAModel() throws IOException {
        root = Files.createTempDirectory("magmap-bad-input-");
        JobRuns.smallObservedSuite(root, "[90]");
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "make-patches",
                        "magmap.make-patches.patches-per-map=20",
                        "magmap.make-patches.target-maps=false"));
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "train",
                        "magmap.train.cnn.block-channels=[4, 8, 8]",
                        "magmap.train.cnn.dense-units=16",
                        "magmap.train.max-train-patches=60",
                        "magmap.train.epochs=1"));
    }

    @AfterAll
    void cleanUp() throws IOException {
        JobRuns.deleteTree(root);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private Path firstCube() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("simulate/cubes"))) {
            return s.filter(p -> p.toString().endsWith(".fits"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** What is left beside an output: staging or replaced directories of runs that should have cleaned up. */
    private static List<String> leftovers(Path parent) throws IOException {
        try (Stream<Path> s = Files.list(parent)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("."))
                    .filter(n -> n.contains(".staging-") || n.contains(".replaced-") || n.endsWith("-lock"))
                    .toList();
        }
    }

    /**
     * Copies a FITS file with every value of the image HDU {@code extname} (a cube field or a map) replaced by
     * NaN where {@code blank} says so (index over the flattened data).
     */
    private static void blankOut(Path in, Path out, String extname, java.util.function.IntPredicate blank)
            throws Exception {
        try (Fits fits = new Fits(in.toFile());
                Fits copy = new Fits()) {
            for (BasicHDU<?> hdu : fits.read()) {
                if (extname.equalsIgnoreCase(hdu.getHeader().getStringValue("EXTNAME"))) {
                    int[] index = {0};
                    blank(hdu.getKernel(), blank, index);
                }
                copy.addHDU(hdu);
            }
            copy.write(out.toFile());
        }
    }

    private static void blank(Object array, java.util.function.IntPredicate blank, int[] index) {
        if (array instanceof float[] row) {
            for (int i = 0; i < row.length; i++) {
                if (blank.test(index[0]++)) {
                    row[i] = Float.NaN;
                }
            }
            return;
        }
        for (Object sub : (Object[]) array) {
            blank(sub, blank, index);
        }
    }

    @Test
    void anAllBlankCubeIsRefusedByObserveNamingTheFileAndTheField() throws Exception {
        Path nan = root.resolve("all-blank.fits");
        blankOut(firstCube(), nan, "dens", i -> true);
        String err = JobRuns.refused(
                root,
                "observe",
                "magmap.observe.cubes=[\"" + nan + "\"]",
                "magmap.observe.output-dir=observe-all-blank");
        assertTrue(err.contains(nan.toString()) && err.contains("field 'dens' is 100 % blank"), err);
        assertTrue(err.contains("magmap.observe.max-blank-fraction"), err);
        assertFalse(Files.exists(root.resolve("observe-all-blank")), "nothing committed");
        assertEquals(List.of(), leftovers(root), "the failed task's staging directory is gone");
    }

    @Test
    void aPartlyBlankCubeWithinTheThresholdGivesFiniteMapsAndOneAboveItIsRefused() throws Exception {
        Path partly = root.resolve("partly-blank.fits");
        blankOut(firstCube(), partly, "velz", i -> i % 100 == 7); // 1 % of the cells
        String err = JobRuns.refused(
                root,
                "observe",
                "magmap.observe.cubes=[\"" + partly + "\"]",
                "magmap.observe.output-dir=observe-partly",
                "magmap.observe.max-blank-fraction=0.005");
        assertTrue(err.contains("field 'velz' is 1 % blank"), err);
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "observe",
                        "magmap.observe.cubes=[\"" + partly + "\"]",
                        "magmap.observe.output-dir=observe-partly",
                        "magmap.observe.inclinations-deg=[90]",
                        "magmap.observe.max-blank-fraction=0.02"));
        try (Stream<Path> s = Files.list(root.resolve("observe-partly/maps"))) {
            Path file = s.findFirst().orElseThrow();
            for (MapFiles.Image map : MapFiles.read(file)) {
                for (float v : map.data()) {
                    if (!map.extname().equals("VGT_PSI_DEG")) {
                        assertTrue(Float.isFinite(v), map.extname() + " has a blank pixel");
                    }
                }
            }
        }
    }

    @Test
    void aMapWithBlankPixelsIsRefusedByMakePatchesNamingTheFileAndTheMap() throws Exception {
        Path observed = root.resolve("observe-with-a-blank-map");
        copyTree(root.resolve("observe"), observed);
        Path file;
        try (Stream<Path> s = Files.list(observed.resolve("maps"))) {
            file = s.sorted().reduce((a, b) -> b).orElseThrow(); // the last: not the one the driver checks first
        }
        Path edited = Files.createTempFile(root, "edited", ".fits");
        blankOut(file, edited, "B_UG", i -> i < 10);
        Files.move(edited, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String err = JobRuns.refused(
                root,
                "make-patches",
                "magmap.make-patches.input-dir=observe-with-a-blank-map",
                "magmap.make-patches.output-dir=patches-from-a-blank-map",
                "magmap.make-patches.patches-per-map=5");
        assertTrue(err.contains(file.toString()) && err.contains("map 'B_UG' has 10 blank"), err);
        assertFalse(Files.exists(root.resolve("patches-from-a-blank-map")));
        assertEquals(List.of(), leftovers(root));
    }

    @Test
    void twoCubesWithOneRunIdAreRefusedNamingBoth() throws IOException {
        Path cube = firstCube();
        Path twin = root.resolve("twin.fits");
        Files.copy(cube, twin, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String err = JobRuns.refused(root, "observe", "magmap.observe.cubes=[\"" + cube + "\", \"" + twin + "\"]");
        assertTrue(err.contains(twin.toString()) && err.contains(cube.toString()) && err.contains("RUNID"), err);
    }

    @Test
    void aDirectoryListedAsACubeAndANegativePatchSizeNameTheirKeys() {
        String dirErr = JobRuns.refused(root, "observe", "magmap.observe.cubes=[\"" + root.resolve("simulate") + "\"]");
        assertTrue(dirErr.contains("magmap.observe.cubes") && dirErr.contains("a directory"), dirErr);
        String sizeErr = JobRuns.refused(root, "make-patches", "magmap.make-patches.patch-size=-32");
        assertTrue(
                sizeErr.contains("magmap.make-patches") && sizeErr.contains("patch-size must be at least 2"), sizeErr);
    }

    @Test
    void aGridThatIsNotAWholeNumberOrDoesNotFitIsRefusedBeforeAnyWork() {
        String fraction = JobRuns.refused(root, "simulate", "magmap.simulate.grid-size=32.5");
        assertTrue(fraction.contains("magmap.simulate.grid-size must be a whole number, got 32.5"), fraction);
        String huge = JobRuns.refused(root, "simulate", "magmap.simulate.grid-size=100000");
        assertTrue(huge.contains("at most 1022"), huge);
        String tooBig = JobRuns.refused(
                root, "simulate", "magmap.simulate.grid-size=1000", "magmap.simulate.output-dir=simulate-huge");
        assertTrue(tooBig.contains("magmap.simulate.grid-size") && tooBig.contains("needs about 33.5 GiB"), tooBig);
        assertFalse(Files.exists(root.resolve("simulate-huge")), "refused before any staging");
    }

    @Test
    void aCorruptParquetFileFailsTheTaskAsBadInputNamingItAndLeavesNoStaging() throws IOException {
        Path patches = root.resolve("patches-corrupt");
        copyTree(root.resolve("patches"), patches);
        Path part;
        try (Stream<Path> s = Files.walk(patches.resolve("patches/split=train"))) {
            part = s.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length / 2)); // truncated: no footer
        Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
        String err = JobRuns.refused(
                root,
                "train",
                "magmap.train.input-dir=patches-corrupt",
                "magmap.train.output-dir=train-corrupt",
                "magmap.train.cnn.block-channels=[4, 8, 8]",
                "magmap.train.cnn.dense-units=16",
                "magmap.train.epochs=1");
        assertTrue(err.contains(part.getFileName().toString()), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
        assertFalse(Files.exists(root.resolve("train-corrupt")));
        assertEquals(List.of(), leftovers(root), "no staging directory is left behind");
    }

    @Test
    void aTruncatedModelOrACardThatDoesNotDescribeItsModelIsRefusedOnTheDriverNamingTheFile() throws Exception {
        Path truncated = root.resolve("train-truncated");
        copyTree(root.resolve("train"), truncated);
        byte[] model = Files.readAllBytes(truncated.resolve("model.zip"));
        Files.write(truncated.resolve("model.zip"), java.util.Arrays.copyOf(model, model.length / 3));
        Files.deleteIfExists(truncated.resolve(".model.zip.crc")); // as a copy without Hadoop's checksum would be
        String err = JobRuns.refused(
                root,
                "evaluate",
                "magmap.evaluate.model-dir=train-truncated",
                "magmap.evaluate.output-dir=evaluate-truncated");
        assertTrue(err.contains(truncated.resolve("model.zip").toString()) && err.contains("not a saved"), err);

        // A network of another patch size beside the real card: the card no longer describes it.
        Path swapped = root.resolve("train-swapped");
        copyTree(root.resolve("train"), swapped);
        Files.deleteIfExists(swapped.resolve(".model.zip.crc"));
        org.magmap.model.Cnn.Config other = new org.magmap.model.Cnn.Config(
                16, List.of(4, 8, 8), 16, org.magmap.model.Cnn.Head.FLATTEN, 1e-3, 0.5, 0.999, 1);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net =
                new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(org.magmap.model.Cnn.build(other));
        net.init();
        org.deeplearning4j.util.ModelSerializer.writeModel(
                net, swapped.resolve("model.zip").toFile(), false);
        String shape = JobRuns.refused(
                root,
                "evaluate",
                "magmap.evaluate.model-dir=train-swapped",
                "magmap.evaluate.output-dir=evaluate-swapped");
        assertTrue(
                shape.contains(swapped.resolve("card.json").toString()) && shape.contains("does not describe"), shape);
        assertFalse(Files.exists(root.resolve("evaluate-truncated")) || Files.exists(root.resolve("evaluate-swapped")));
        assertEquals(List.of(), leftovers(root));
    }

    @Test
    void evaluationLabelsMapsByWhatTheModelSawNotByThePatchSetsOwnSplits() throws IOException {
        // Another split of the same maps: b1's first snapshot, which the model trained on, is this set's test split.
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "make-patches",
                        "magmap.make-patches.output-dir=patches-resplit",
                        "magmap.make-patches.patches-per-map=20",
                        "magmap.make-patches.target-maps=false",
                        "magmap.make-patches.splits.test-simulations=[\"^b1-.*-snap0$\"]",
                        "magmap.make-patches.splits.validation-simulations=[\"^unseen-\"]"));
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "evaluate",
                        "magmap.evaluate.input-dir=patches-resplit",
                        "magmap.evaluate.output-dir=evaluate-resplit",
                        "magmap.evaluate.splits=[test]"));
        JsonNode card =
                new ObjectMapper().readTree(root.resolve("train/card.json").toFile());
        List<String> seen = new ArrayList<>();
        card.get("trained-on-simulations").forEach(n -> seen.add(n.asText()));
        assertTrue(
                seen.stream().anyMatch(s -> s.startsWith("b1-"))
                        && seen.stream().noneMatch(s -> s.startsWith("unseen-")),
                "the card lists the maps of the original train split: " + seen);
        JsonNode test = new ObjectMapper()
                .readTree(root.resolve("evaluate-resplit/evaluation.json").toFile())
                .get("test");
        JsonNode byTrained = test.get("by-" + org.magmap.evaluate.CnnTables.TRAINED_MAP);
        assertEquals(List.of("true"), JobRuns.fieldNames(byTrained), "every test map here is one the model trained on");
        assertEquals(
                test.get("all").get("patches").asLong(),
                byTrained.get("true").get("patches").asLong());
    }

    @Test
    void anUnwritableOutputLocationSaysWhyInOneLine() {
        // sysfs refuses new directories even to root: a real "Operation not permitted" from the kernel.
        String err = JobRuns.failed(root, "simulate", "magmap.output-root=/sys/magmap-bad-input-test");
        assertTrue(err.contains("/sys/magmap-bad-input-test") && err.contains("Operation not permitted"), err);
        assertEquals(1, err.strip().lines().count(), "one line: " + err);
    }

    @Test
    void aFullDiskSaysSoAndKeepsThePreviousOutput() throws Exception {
        Path small = root.resolve("small-disk");
        Files.createDirectories(small);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
                .redirectErrorStream(true)
                .start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a 1 MiB tmpfs");
        try {
            String[] tiny = {
                "magmap.simulate.grid-size=16",
                "magmap.simulate.snapshots=1",
                "magmap.simulate.b0-microgauss=[5]",
                "magmap.simulate.extra-runs=[]"
            };
            assertEquals(0, JobRuns.run(small, "simulate", tiny));
            byte[] before = Files.readAllBytes(small.resolve("simulate/manifest.json"));
            String err = JobRuns.failed(
                    small,
                    "simulate",
                    "magmap.simulate.grid-size=64",
                    "magmap.simulate.snapshots=1",
                    "magmap.simulate.b0-microgauss=[5]",
                    "magmap.simulate.extra-runs=[]",
                    "magmap.simulate.overwrite=true");
            assertTrue(err.contains("No space left on device"), err);
            assertEquals(1, err.strip().lines().count(), "one line: " + err);
            assertTrue(
                    java.util.Arrays.equals(before, Files.readAllBytes(small.resolve("simulate/manifest.json"))),
                    "the previous output is intact");
            assertEquals(List.of(), leftovers(small), "the staging directory was deleted");
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }

    @Test
    void anErrorIsPrintedOnce() throws Exception {
        // Through bin/magmap, as a user runs it: the log and stderr together.
        Process p = new ProcessBuilder(
                        RepoPaths.root().resolve("bin/magmap").toString(),
                        "simulate",
                        "--conf",
                        "magmap.output-root=" + root,
                        "--conf",
                        "magmap.simulate.grid-size=32.5")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(Magmap.EXIT_BAD_INPUT, p.waitFor(), out);
        assertEquals(1, out.split("must be a whole number", -1).length - 1, "printed once:\n" + out);
    }
}
