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
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.magmap.artifact.NightlyRunSummary;
import org.magmap.artifact.RunLedger;
import org.magmap.conf.RepoPaths;

/**
 * Two real runs of one job (separate {@code bin/magmap} processes) into one output root at the same time: one
 * wins, the other refuses or finds the work done, and the output is always one run's whole output, never a mix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentRunsIT {
    private Path root;

    @BeforeAll
    void aSuiteAndAModel() throws IOException {
        root = Files.createTempDirectory("magmap-concurrent-");
        JobRuns.smallObservedSuite(root, "[90]");
    }

    @AfterAll
    void cleanUp() throws IOException {
        JobRuns.deleteTree(root);
    }

    /** Starts {@code bin/magmap JOB} with the test settings; its output goes to a log file. */
    private Process start(Path log, String job, String... confs) throws IOException {
        List<String> command =
                new ArrayList<>(List.of(RepoPaths.root().resolve("bin/magmap").toString()));
        command.addAll(List.of(Magmap.jobArgs(job, "local[2]", root.toString(), List.of(confs))));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(RepoPaths.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("MAGMAP_DRIVER_MEMORY", "2g");
        return pb.start();
    }

    /** Runs both at once; their exit statuses and logs. */
    private List<String> bothAtOnce(String job, String[] a, String[] b) throws Exception {
        Path logA = Files.createTempFile("magmap-concurrent-a", ".log");
        Path logB = Files.createTempFile("magmap-concurrent-b", ".log");
        Process pa = start(logA, job, a);
        Process pb = start(logB, job, b);
        for (Process p : List.of(pa, pb)) {
            assertTrue(p.waitFor(6, TimeUnit.MINUTES), job + " hangs");
        }
        return List.of(
                String.valueOf(pa.exitValue()),
                String.valueOf(pb.exitValue()),
                Files.readString(logA, StandardCharsets.UTF_8),
                Files.readString(logB, StandardCharsets.UTF_8));
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("."))
                    .toList();
        }
    }

    @Test
    void twoIdenticalRunsCommitOneOutputEqualToARunAlone() throws Exception {
        String[] same = {"magmap.make-patches.output-dir=twins", "magmap.make-patches.patches-per-map=50"};
        List<String> r = bothAtOnce("make-patches", same, same);
        assertEquals(List.of("0", "0"), r.subList(0, 2), "both succeed:\n" + r.get(2) + "\n" + r.get(3));
        assertEquals(List.of(), leftovers(), "no staging directory or lock left beside the output");
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "make-patches",
                        "magmap.make-patches.output-dir=alone",
                        "magmap.make-patches.patches-per-map=50"));
        JobRuns.assertSameParquetRows(
                root.resolve("alone/patches").toString(),
                root.resolve("twins/patches").toString());
    }

    @Test
    void ofTwoDifferentRunsOneWinsWholeAndTheOtherIsRefused() throws Exception {
        String[] fifty = {"magmap.make-patches.output-dir=rivals", "magmap.make-patches.patches-per-map=50"};
        String[] eighty = {"magmap.make-patches.output-dir=rivals", "magmap.make-patches.patches-per-map=80"};
        List<String> r = bothAtOnce("make-patches", fifty, eighty);
        List<String> statuses = r.subList(0, 2);
        assertTrue(
                statuses.contains("0") && statuses.contains(String.valueOf(Magmap.EXIT_BAD_INPUT)),
                "one wins, one is refused: " + statuses + "\n" + r.get(2) + "\n" + r.get(3));
        String loser = statuses.get(0).equals("0") ? r.get(3) : r.get(2);
        assertTrue(loser.contains("holds the output of a different configuration"), loser);
        int winner = statuses.get(0).equals("0") ? 50 : 80;
        // The whole output is the winner's: its rows and its manifest, none of the other's.
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "make-patches",
                        "magmap.make-patches.output-dir=winner-alone",
                        "magmap.make-patches.patches-per-map=" + winner));
        JobRuns.assertSameParquetRows(
                root.resolve("winner-alone/patches").toString(),
                root.resolve("rivals/patches").toString());
        org.magmap.artifact.PatchManifest rivals =
                org.magmap.artifact.PatchManifest.read(root.resolve("rivals").toString());
        org.magmap.artifact.PatchManifest alone = org.magmap.artifact.PatchManifest.read(
                root.resolve("winner-alone").toString());
        assertEquals(alone.configHash(), rivals.configHash(), "the manifest is the winner's");
        assertEquals(alone.patches(), rivals.patches());
        assertEquals(List.of(), leftovers(), "no staging directory or lock left beside the output");
    }

    @Test
    void twoNightlyRunsAtOnceProcessEachInputOnce() throws Exception {
        JobRuns.trainSmallSyncCnn(root.toString());
        Path survey = root.resolve("survey");
        Files.createDirectories(survey);
        for (int i = 0; i < 4; i++) {
            Files.copy(RepoPaths.realData().resolve("1904-66_SIN.fits"), survey.resolve("field-" + i + ".fits"));
        }
        String[] nightly = {"magmap.nightly.inputs=[\"" + survey + "\"]"};
        List<String> r = bothAtOnce("nightly", nightly, nightly);
        // The second either found the lock held (4) or, started after the first ended, nothing to do (0).
        assertTrue(
                List.of("0", "4").containsAll(r.subList(0, 2))
                        && r.subList(0, 2).contains("0"),
                r.subList(0, 2) + "\n" + r.get(2) + "\n" + r.get(3));
        int processed = 0;
        try (Stream<Path> files = Files.list(root.resolve("nightly/runs"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                processed += NightlyRunSummary.read(new org.apache.hadoop.fs.Path(f.toString()))
                        .processed();
            }
        }
        assertEquals(4, processed, "every input processed exactly once over both runs");
        RunLedger ledger = RunLedger.read(
                FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(root.resolve("nightly").toString()));
        assertEquals(4, ledger.entries().size());
        assertTrue(ledger.entries().values().stream().allMatch(e -> e.status() == RunLedger.Status.OK));
    }
}
