package org.magmap.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a real job entry point the way end-to-end tests do: local[2], no UI, output under a test directory. */
final class JobRuns {
    private JobRuns() {}

    /**
     * Simulates the small suite the end-to-end chains start from (64^3, two snapshots, B0 = 1 and 5 uG at
     * sigma_v = 2.5 km/s, plus the default unseen run) and observes it at the given inclinations, asserting
     * success.
     */
    static void smallObservedSuite(Path root, String inclinations) {
        org.junit.jupiter.api.Assertions.assertEquals(
                0,
                run(
                        root,
                        "simulate",
                        "magmap.simulate.grid-size=64",
                        "magmap.simulate.snapshots=2",
                        "magmap.simulate.b0-microgauss=[1, 5]",
                        "magmap.simulate.sigma-v-km-per-s=[2.5]"));
        org.junit.jupiter.api.Assertions.assertEquals(
                0, run(root, "observe", "magmap.observe.inclinations-deg=" + inclinations));
    }

    /**
     * Observes the suite's unseen run (the test split) face-on into a 64-channel PPV cube of 0.5 km/s channels from
     * -16 km/s, with its truth maps, into {@code outputDir}; returns its map file.
     */
    static Path observeUnseenRunAsPpv(Path root, String outputDir) throws java.io.IOException {
        Path unseen;
        try (java.util.stream.Stream<Path> cubes = java.nio.file.Files.list(root.resolve("simulate/cubes"))) {
            unseen = cubes.filter(p -> p.getFileName().toString().startsWith("unseen-"))
                    .findFirst()
                    .orElseThrow();
        }
        org.junit.jupiter.api.Assertions.assertEquals(
                0,
                run(
                        root,
                        "observe",
                        "magmap.observe.output-dir=" + outputDir,
                        "magmap.observe.cubes=[\"" + unseen + "\"]",
                        "magmap.observe.inclinations-deg=[90]",
                        "magmap.observe.hi.ppv-channels=64",
                        "magmap.observe.hi.ppv-first-edge-km-per-s=-16.0",
                        "magmap.observe.hi.ppv-channel-width-km-per-s=0.5"));
        try (java.util.stream.Stream<Path> maps = java.nio.file.Files.list(root.resolve(outputDir + "/maps"))) {
            return maps.findFirst().orElseThrow();
        }
    }

    /**
     * Runs a job that must refuse its input: asserts exit status 2 and returns what it printed to stderr (the
     * one-line message naming the file or key).
     */
    static String refused(Path root, String job, String... confs) {
        return expectExit(Magmap.EXIT_BAD_INPUT, root, job, confs);
    }

    /**
     * Runs a job that must fail for a reason outside its input (an unwritable or full disk): asserts exit status 1
     * and returns what it printed to stderr.
     */
    static String failed(Path root, String job, String... confs) {
        return expectExit(Magmap.EXIT_FAILED, root, job, confs);
    }

    /** Runs a job with the test settings, asserts its exit status and returns what it printed to stderr. */
    static String expectExit(int expected, Path root, String job, String... confs) {
        picocli.CommandLine cl = new Magmap().commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err));
        int code = cl.execute(args(root, job, confs));
        org.junit.jupiter.api.Assertions.assertEquals(expected, code, "exit status; stderr: " + err);
        return err.toString();
    }

    private static String[] args(Path root, String job, String... confs) {
        return Magmap.jobArgs(job, "local[2]", root.toString(), List.of(confs));
    }

    /** {@code magmap JOB} with the test settings and an output root on any Hadoop file system (hdfs://...). */
    static int runAt(String outputRoot, String job, String... confs) {
        return new Magmap().execute(Magmap.jobArgs(job, "local[2]", outputRoot, List.of(confs)));
    }

    /**
     * Asserts two make-patches outputs (Parquet, any Hadoop path) hold the same rows, every column included, as
     * multisets: nothing missing, nothing extra, whatever the order or the partitioning.
     */
    static void assertSameParquetRows(String expected, String actual) {
        org.apache.spark.sql.SparkSession spark = org.apache.spark.sql.SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        try {
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> a =
                    spark.read().parquet(expected);
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> b =
                    spark.read().parquet(actual);
            org.junit.jupiter.api.Assertions.assertEquals(
                    java.util.Arrays.asList(a.columns()), java.util.Arrays.asList(b.columns()));
            org.junit.jupiter.api.Assertions.assertEquals(a.count(), b.count(), actual + ": rows");
            org.junit.jupiter.api.Assertions.assertEquals(
                    0, a.exceptAll(b).count(), actual + ": rows of " + expected + " missing");
            org.junit.jupiter.api.Assertions.assertEquals(
                    0, b.exceptAll(a).count(), actual + ": rows not in " + expected);
        } finally {
            spark.stop();
        }
    }

    /**
     * Cuts 40 synchrotron patches per map from an observed suite under {@code outputRoot} (any Hadoop path) and
     * trains a small cluster CNN on them for one epoch into {@code train/}, asserting success: a model for the
     * tests that run infer on continuum images.
     */
    static void trainSmallSyncCnn(String outputRoot) {
        org.junit.jupiter.api.Assertions.assertEquals(
                0,
                runAt(
                        outputRoot,
                        "make-patches",
                        "magmap.make-patches.patches-per-map=40",
                        "magmap.make-patches.observables=[SYNC]",
                        "magmap.make-patches.target-maps=false"));
        org.junit.jupiter.api.Assertions.assertEquals(
                0,
                runAt(
                        outputRoot,
                        "train",
                        "magmap.train.observables=[SYNC]",
                        "magmap.train.cnn.block-channels=[4, 8, 8]",
                        "magmap.train.cnn.dense-units=16",
                        "magmap.train.max-train-patches=40",
                        "magmap.train.epochs=1"));
    }

    /** Asserts two infer map files hold the same HDUs, in order, with the same pixels to the bit. */
    static void assertSameMaps(Path expected, Path actual) throws java.io.IOException {
        List<org.magmap.fits.MapFiles.Image> a = org.magmap.fits.MapFiles.read(expected);
        List<org.magmap.fits.MapFiles.Image> b = org.magmap.fits.MapFiles.read(actual);
        org.junit.jupiter.api.Assertions.assertEquals(a.size(), b.size(), actual + ": HDUs");
        for (int i = 0; i < a.size(); i++) {
            org.junit.jupiter.api.Assertions.assertEquals(
                    a.get(i).extname(), b.get(i).extname());
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    a.get(i).data(),
                    b.get(i).data(),
                    0f,
                    actual + " " + a.get(i).extname());
        }
    }

    /** {@code settings} with {@code more} appended. */
    static String[] with(String[] settings, String... more) {
        String[] out = java.util.Arrays.copyOf(settings, settings.length + more.length);
        System.arraycopy(more, 0, out, settings.length, more.length);
        return out;
    }

    /**
     * The {@code bin/magmap-submit} command line of one job: the cluster's {@code sparkArgs}, then the job with
     * {@code magmap.output-root} and each of {@code confs} as {@code --conf}.
     */
    static List<String> submitCommand(List<String> sparkArgs, String outputRoot, String job, String... confs) {
        List<String> command = new ArrayList<>();
        command.add(
                org.magmap.conf.RepoPaths.root().resolve("bin/magmap-submit").toString());
        command.addAll(sparkArgs);
        command.addAll(List.of("--", job, "--conf", "magmap.output-root=" + outputRoot));
        for (String c : confs) {
            command.addAll(List.of("--conf", c));
        }
        return command;
    }

    /** Deletes a directory tree (a class-wide test directory). */
    static void deleteTree(Path dir) throws java.io.IOException {
        org.magmap.ops.OutputFiles.deleteLocalTree(dir);
    }

    /** {@code magmap JOB --conf ...} with the test settings and {@code magmap.output-root = root}; the exit status. */
    static int run(Path root, String job, String... confs) {
        return new Magmap().execute(args(root, job, confs));
    }

    /** The field names of a JSON object, in order. */
    static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
