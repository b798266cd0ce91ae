package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.magmap.conf.RepoPaths;

/**
 * A real Spark standalone cluster (a Master and two Workers started by {@code bin/magmap-standalone} from the
 * Maven-resolved Spark jars, on loopback): {@code make-patches} and {@code infer} submitted through {@code
 * bin/magmap-submit} in client and cluster deploy modes give the outputs of a {@code local[2]} run, and a
 * Worker killed with {@code kill -9} in the middle of {@code make-patches} changes nothing in its output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    private Path root;
    private Path cluster;
    private String master;
    private final Path parkes = RepoPaths.realData().resolve("1904-66_SIN.fits");

    @BeforeAll
    void aSuiteAModelAndACluster() throws Exception {
        root = Files.createTempDirectory("magmap-standalone-");
        JobRuns.smallObservedSuite(root, "[90]");
        JobRuns.trainSmallSyncCnn(root.toString());
        cluster = root.resolve("cluster");
        String out = script("start", cluster.toString(), "--workers", "2", "--cores", "2", "--memory", "3g");
        master = Files.readString(cluster.resolve("master-url")).strip();
        assertTrue(master.matches("spark://127\\.0\\.0\\.1:\\d+"), out);
    }

    @AfterAll
    void stopTheCluster() throws Exception {
        if (cluster != null) {
            script("stop", cluster.toString());
        }
        JobRuns.deleteTree(root);
    }

    private static String script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(RepoPaths.root().resolve("bin/magmap-standalone").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .directory(RepoPaths.root().toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "magmap-standalone " + args[0] + " hangs");
        assertEquals(0, p.exitValue(), "magmap-standalone " + String.join(" ", args) + ":\n" + out);
        return out;
    }

    /** {@code bin/magmap-submit} of one job to the cluster; returns the process (its log in {@code log}). */
    private Process submit(String deployMode, Path log, String job, String... confs) throws IOException {
        List<String> command = JobRuns.submitCommand(
                List.of(
                        "--master",
                        master,
                        "--deploy-mode",
                        deployMode,
                        "--driver-memory",
                        "1g",
                        "--executor-memory",
                        "1g",
                        "--executor-cores",
                        "1",
                        "--conf",
                        "spark.ui.enabled=false",
                        // Loopback only, as the cluster is.
                        "--conf",
                        "spark.driver.host=127.0.0.1",
                        "--conf",
                        "spark.driver.bindAddress=127.0.0.1",
                        "--conf",
                        "spark.standalone.submit.waitAppCompletion=true"),
                root.toString(),
                job,
                confs);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(RepoPaths.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("MAGMAP_DRIVER_MEMORY", "2g");
        return pb.start();
    }

    private void submitAndWait(String deployMode, String job, String... confs) throws Exception {
        Path log = Files.createTempFile("magmap-standalone-" + job + "-" + deployMode, ".log");
        Process p = submit(deployMode, log, job, confs);
        assertTrue(
                p.waitFor(8, TimeUnit.MINUTES), job + " in " + deployMode + " mode hangs:\n" + Files.readString(log));
        assertEquals(0, p.exitValue(), job + " in " + deployMode + " mode:\n" + Files.readString(log));
        if (deployMode.equals("client")) {
            // The driver ran here and logged its banner: the job really ran on the cluster.
            String out = Files.readString(log);
            assertTrue(out.contains("master " + master), out);
        }
    }

    @Test
    @Order(1)
    void makePatchesOnTheClusterInBothDeployModesWritesTheLocalRows() throws Exception {
        String[] settings = {"magmap.make-patches.patches-per-map=60", "magmap.make-patches.patches-per-task=20"};
        assertEquals(
                0, JobRuns.run(root, "make-patches", JobRuns.with(settings, "magmap.make-patches.output-dir=p-local")));
        submitAndWait("client", "make-patches", JobRuns.with(settings, "magmap.make-patches.output-dir=p-client"));
        submitAndWait("cluster", "make-patches", JobRuns.with(settings, "magmap.make-patches.output-dir=p-cluster"));
        assertSameRows(root.resolve("p-local/patches"), root.resolve("p-client/patches"));
        assertSameRows(root.resolve("p-local/patches"), root.resolve("p-cluster/patches"));
    }

    @Test
    @Order(2)
    void inferOnTheClusterInBothDeployModesWritesTheLocalMaps() throws Exception {
        String inputs = "magmap.infer.inputs=[\"" + parkes + "\"]";
        String[] settings = {inputs, "magmap.infer.block-pixels=64"};
        assertEquals(0, JobRuns.run(root, "infer", JobRuns.with(settings, "magmap.infer.output-dir=i-local")));
        submitAndWait("client", "infer", JobRuns.with(settings, "magmap.infer.output-dir=i-client"));
        submitAndWait("cluster", "infer", JobRuns.with(settings, "magmap.infer.output-dir=i-cluster"));
        for (String mode : List.of("i-client", "i-cluster")) {
            JobRuns.assertSameMaps(
                    root.resolve("i-local/maps/1904-66_SIN__image.fits"),
                    root.resolve(mode + "/maps/1904-66_SIN__image.fits"));
        }
    }

    @Test
    @Order(3)
    void aWorkerKilledInTheMiddleOfMakePatchesChangesNothingInItsOutput() throws Exception {
        String[] settings = {
            "magmap.make-patches.patches-per-map=3000",
            "magmap.make-patches.patches-per-task=250",
            "magmap.make-patches.target-maps=false"
        };
        Path log = Files.createTempFile("magmap-standalone-kill", ".log");
        Process p = submit(
                "client", log, "make-patches", JobRuns.with(settings, "magmap.make-patches.output-dir=p-killed"));
        // Kill the second worker (and its executor) once the first task has written its part of the output.
        waitFor(() -> !taskOutputs(root).isEmpty() || !p.isAlive(), 5);
        assertTrue(p.isAlive(), "the job ended before a worker could be killed:\n" + Files.readString(log));
        int writtenWhenKilled = taskOutputs(root).size();
        script("kill-worker", cluster.toString(), "2");
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "the job hangs after losing a worker:\n" + Files.readString(log));
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertEquals(
                0,
                JobRuns.run(
                        root, "make-patches", JobRuns.with(settings, "magmap.make-patches.output-dir=p-undisturbed")));
        assertSameRows(root.resolve("p-undisturbed/patches"), root.resolve("p-killed/patches"));
        System.out.println("StandaloneClusterIT: worker 2 killed after " + writtenWhenKilled + " task outputs");
    }

    /** The task output files of the make-patches run in flight (in its staging directory). */
    private static List<Path> taskOutputs(Path root) {
        try (Stream<Path> files = Files.walk(root, 12)) {
            return files.filter(f -> f.toString().contains(".p-killed.staging-")
                            && f.getFileName().toString().startsWith("part-"))
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of(); // a file moved while walked: look again
        }
    }

    private static void waitFor(BooleanSupplier done, int minutes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void assertSameRows(Path expected, Path actual) {
        JobRuns.assertSameParquetRows(expected.toString(), actual.toString());
    }
}
