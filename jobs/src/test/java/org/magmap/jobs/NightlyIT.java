package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.magmap.artifact.NightlyRunSummary;
import org.magmap.artifact.RunLedger;
import org.magmap.conf.RepoPaths;

/**
 * The real nightly job, night after night, on real survey images (data-samples/real) with a model the real
 * train job made: each night processes only what is new or changed, a corrupt file is reported once, a second
 * run beside a live one does nothing, a killed run leaves nothing partial and the next one completes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NightlyIT {
    private static final List<String> IMAGES = List.of("1904-66_SIN.fits", "galactic_2d.fits", "nvas_W51_22GHz.fits");

    private Path root;
    private Path survey;

    @BeforeAll
    void aModelAndASurveyFolder() throws IOException {
        root = Files.createTempDirectory("magmap-nightly-");
        JobRuns.smallObservedSuite(root, "[90]");
        JobRuns.trainSmallSyncCnn(root.toString());
        survey = root.resolve("survey");
        Files.createDirectories(survey);
        for (String name : IMAGES) {
            Files.copy(RepoPaths.realData().resolve(name), survey.resolve(name));
        }
        // A transfer cut short: the first 4 of the file's 2880-byte records.
        byte[] whole = Files.readAllBytes(RepoPaths.realData().resolve("magpis_G10.5.fits"));
        Files.write(survey.resolve("cut-short.fits"), java.util.Arrays.copyOf(whole, 4 * 2880));
    }

    @AfterAll
    void cleanUp() throws IOException {
        JobRuns.deleteTree(root);
    }

    private String[] nightly(String... more) {
        List<String> confs = new ArrayList<>(List.of("magmap.nightly.inputs=[\"" + survey + "\"]"));
        confs.addAll(List.of(more));
        return confs.toArray(String[]::new);
    }

    /** An input's ledger key: its path as Hadoop qualifies it. */
    private static String key(Path file) {
        return "file:" + file;
    }

    private RunLedger ledger() throws IOException {
        return RunLedger.read(
                FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(root.resolve("nightly").toString()));
    }

    /** The run summaries, oldest first. */
    private List<NightlyRunSummary> runs() throws IOException {
        List<NightlyRunSummary> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("nightly/runs"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(NightlyRunSummary.read(new org.apache.hadoop.fs.Path(f.toString())));
            }
        }
        out.sort(java.util.Comparator.comparing(r -> Instant.parse(r.started())));
        return out;
    }

    private NightlyRunSummary lastRun() throws IOException {
        List<NightlyRunSummary> all = runs();
        return all.get(all.size() - 1);
    }

    private static String status(NightlyRunSummary run, String name) {
        return run.inputs().stream()
                .filter(i -> i.input().endsWith("/" + name))
                .map(i -> i.action() + " " + i.status() + " (" + i.reason() + ")")
                .findFirst()
                .orElseThrow();
    }

    /** Every visible entry under nightly/maps, with the modification time of its committed maps. */
    private Map<String, FileTime> committedMaps() throws IOException {
        Map<String, FileTime> out = new TreeMap<>();
        Path maps = root.resolve("nightly/maps");
        try (Stream<Path> files = Files.walk(maps)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = maps.relativize(f).toString();
                if (rel.endsWith(".fits")) {
                    out.put(rel, Files.getLastModifiedTime(f));
                }
            }
        }
        return out;
    }

    private static void assertNothingPartialVisible(Path maps) throws IOException {
        try (Stream<Path> entries = Files.list(maps)) {
            for (Path e : entries.toList()) {
                String name = e.getFileName().toString();
                if (!name.startsWith(".")) {
                    assertTrue(
                            Files.exists(e.resolve(org.magmap.ops.AtomicOutput.MARKER)),
                            name + " is visible but not committed");
                }
            }
        }
    }

    @Test
    @Order(1)
    void theFirstNightMapsEveryGoodInputAndRecordsTheBadOne() throws IOException {
        String err = JobRuns.expectExit(Magmap.EXIT_PARTIAL, root, "nightly", nightly());
        assertTrue(err.isBlank(), err);
        RunLedger ledger = ledger();
        assertEquals(IMAGES.size() + 1, ledger.entries().size());
        for (String name : IMAGES) {
            RunLedger.Entry e = ledger.entry(key(survey.resolve(name)));
            assertEquals(RunLedger.Status.OK, e.status(), name + ": " + e.error());
            assertEquals(Files.size(survey.resolve(name)), e.size());
            try (var in = Files.newInputStream(survey.resolve(name))) {
                assertEquals(org.magmap.nightly.Fingerprints.sha256(in), e.fingerprint());
            }
        }
        RunLedger.Entry bad = ledger.entry(key(survey.resolve("cut-short.fits")));
        assertEquals(RunLedger.Status.FAILED, bad.status());
        assertTrue(bad.error().contains("cut-short.fits: truncated"), bad.error());
        assertEquals(1, bad.error().split("cut-short.fits", -1).length - 1, "the file named once: " + bad.error());
        assertEquals("", bad.output(), "nothing committed for it");
        NightlyRunSummary run = lastRun();
        assertEquals(List.of(IMAGES.size(), 0, 1), List.of(run.processed(), run.skipped(), run.failed()));
        assertNothingPartialVisible(root.resolve("nightly/maps"));

        // Each input's maps are exactly what a one-off infer of that file makes.
        Path parkes = survey.resolve("1904-66_SIN.fits");
        assertEquals(
                0,
                JobRuns.run(
                        root,
                        "infer",
                        "magmap.infer.output-dir=infer-once",
                        "magmap.infer.inputs=[\"" + parkes + "\"]"));
        Path once = root.resolve("infer-once/maps/1904-66_SIN__image.fits");
        Path nightly = Path.of(java.net.URI.create(ledger.entry(key(parkes)).output()))
                .resolve("maps/1904-66_SIN__image.fits");
        JobRuns.assertSameMaps(once, nightly);
    }

    @Test
    @Order(2)
    void theSecondNightDoesNothing() throws IOException {
        Map<String, FileTime> before = committedMaps();
        assertEquals(0, JobRuns.run(root, "nightly", nightly()));
        NightlyRunSummary run = lastRun();
        assertEquals(List.of(0, IMAGES.size() + 1, 0), List.of(run.processed(), run.skipped(), run.failed()));
        assertTrue(status(run, "cut-short.fits").contains("unchanged since it failed"), status(run, "cut-short.fits"));
        assertEquals(before, committedMaps(), "no output rewritten");
    }

    @Test
    @Order(3)
    void aChangedFileAloneIsMappedAgainAndATouchedOneIsNot() throws IOException {
        Map<String, FileTime> before = committedMaps();
        // The same bytes with a new time: read again, found the same, skipped.
        Files.setLastModifiedTime(survey.resolve("galactic_2d.fits"), FileTime.from(Instant.now()));
        // New content under an old name: the night's reprocessing.
        Files.copy(
                RepoPaths.realData().resolve("lofar_GRB201006A_cutout.fits"),
                survey.resolve("nvas_W51_22GHz.fits"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, JobRuns.run(root, "nightly", nightly()));
        NightlyRunSummary run = lastRun();
        assertEquals("processed OK (changed)", status(run, "nvas_W51_22GHz.fits"));
        assertEquals("skipped  (unchanged)", status(run, "galactic_2d.fits"));
        assertEquals(List.of(1, IMAGES.size(), 0), List.of(run.processed(), run.skipped(), run.failed()));
        Map<String, FileTime> after = committedMaps();
        assertEquals(before.keySet(), after.keySet(), "the changed input's output replaced, none added");
        after.forEach((file, time) ->
                assertEquals(file.startsWith("nvas_W51_22GHz-"), !time.equals(before.get(file)), file + " rewritten?"));
    }

    @Test
    @Order(4)
    void theBadFileIsRetriedOnceItIsFixed() throws IOException {
        Files.copy(
                RepoPaths.realData().resolve("magpis_G10.5.fits"),
                survey.resolve("cut-short.fits"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, JobRuns.run(root, "nightly", nightly()));
        assertEquals("processed OK (changed)", status(lastRun(), "cut-short.fits"));
        assertEquals(
                RunLedger.Status.OK,
                ledger().entry(key(survey.resolve("cut-short.fits"))).status());
    }

    @Test
    @Order(5)
    void newInferSettingsRemapEverything() throws IOException {
        assertEquals(0, JobRuns.run(root, "nightly", nightly("magmap.infer.tile-overlap=8")));
        NightlyRunSummary run = lastRun();
        assertEquals(IMAGES.size() + 1, run.processed());
        assertTrue(run.inputs().stream().allMatch(i -> i.reason().equals("the settings changed")), run.toString());
    }

    @Test
    @Order(6)
    void aRunBesideALiveOneDoesNothingAndADeadOnesLockIsBroken() throws Exception {
        Path lock = root.resolve("nightly/.nightly.lock");
        String host = java.net.InetAddress.getLocalHost().getHostName();
        // This JVM is alive: its lock stands however old.
        Files.writeString(lock, "pid " + ProcessHandle.current().pid() + " on " + host + " since 2026-12-01T02:15:00Z");
        int runsBefore = runs().size();
        String err = JobRuns.expectExit(Magmap.EXIT_LOCKED, root, "nightly", nightly());
        assertTrue(err.contains(".nightly.lock") && err.contains("held by another run"), err);
        assertEquals(1, err.strip().lines().count(), err);
        assertEquals(runsBefore, runs().size(), "it did nothing, not even a summary");

        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(lock, "pid " + dead.pid() + " on " + host + " since " + Instant.now());
        assertEquals(0, JobRuns.run(root, "nightly", nightly("magmap.infer.tile-overlap=8")));
        assertFalse(Files.exists(lock), "released at the end");
    }

    @Test
    @Order(7)
    void aKilledRunLeavesNothingPartialAndTheNextCompletesItOnce() throws Exception {
        // A second folder of many inputs, so the run is killed with some committed and one in flight.
        Path more = root.resolve("survey-2");
        Files.createDirectories(more);
        for (int i = 0; i < 6; i++) {
            Files.copy(RepoPaths.realData().resolve("1904-66_SIN.fits"), more.resolve("field-" + i + ".fits"));
        }
        String[] confs = {"magmap.nightly.inputs=[\"" + more + "\"]", "magmap.nightly.output-dir=nightly-2"};
        Path out = root.resolve("nightly-2");
        List<String> command =
                new ArrayList<>(List.of(RepoPaths.root().resolve("bin/magmap").toString()));
        command.addAll(List.of(Magmap.jobArgs("nightly", "local[2]", root.toString(), List.of(confs))));
        Path log = Files.createTempFile("magmap-nightly-killed", ".log");
        Process p = new ProcessBuilder(command)
                .directory(RepoPaths.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Path ledgerFile = out.resolve(RunLedger.FILE);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        int recorded = 0;
        while (p.isAlive() && System.nanoTime() < deadline) {
            if (Files.exists(ledgerFile)) {
                recorded = (int) Files.readAllLines(ledgerFile, StandardCharsets.UTF_8).stream()
                        .filter(l -> l.contains("\"input\""))
                        .count();
                if (recorded >= 2) {
                    break;
                }
            }
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "the run ended before it could be killed:\n" + Files.readString(log));
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertTrue(recorded >= 2 && recorded < 6, "killed after " + recorded + " inputs");
        assertNothingPartialVisible(out.resolve("maps"));

        // The dead run's lock is broken at once (its process is gone), its leftovers removed, the rest done.
        assertEquals(0, JobRuns.run(root, "nightly", confs));
        NightlyRunSummary run = lastRunIn(out);
        assertEquals(0, run.failed());
        assertEquals(6, run.processed() + run.skipped());
        assertTrue(run.skipped() >= recorded, "what the killed run committed is not redone: " + run);
        try (Stream<Path> maps = Files.list(out.resolve("maps"))) {
            assertEquals(6, maps.count(), "one output per input, no duplicate and no leftover");
        }
        assertEquals(6, ledgerIn(out).entries().size());
        assertTrue(ledgerIn(out).entries().values().stream().allMatch(e -> e.status() == RunLedger.Status.OK));
    }

    private static RunLedger ledgerIn(Path out) throws IOException {
        return RunLedger.read(
                new org.apache.hadoop.fs.Path(out.toString()).getFileSystem(new Configuration()),
                new org.apache.hadoop.fs.Path(out.toString()));
    }

    private static NightlyRunSummary lastRunIn(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out.resolve("runs"))) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .map(f -> NightlyRunSummary.read(new org.apache.hadoop.fs.Path(f.toString())))
                    .max(java.util.Comparator.comparing(r -> Instant.parse(r.started())))
                    .orElseThrow();
        }
    }

    @Test
    @Order(9)
    void newSimulationCubesAreObservedOnceEach() throws IOException {
        Path cubes = root.resolve("simulate/cubes");
        long count;
        try (Stream<Path> s = Files.list(cubes)) {
            count = s.filter(p -> p.toString().endsWith(".fits")).count();
        }
        String[] confs = {
            "magmap.nightly.stage=observe",
            "magmap.nightly.inputs=[\"" + cubes + "\"]",
            "magmap.nightly.output-dir=nightly-sims",
            // As JobRuns.smallObservedSuite observed them into observe/.
            "magmap.observe.inclinations-deg=[90]"
        };
        assertEquals(0, JobRuns.run(root, "nightly", confs));
        RunLedger ledger = ledgerIn(root.resolve("nightly-sims"));
        assertEquals(count, ledger.entries().size());
        assertEquals("none", ledger.entries().values().iterator().next().modelHash(), "no model in observing");
        // Each cube's maps are those of the one-off observe of the whole suite.
        org.magmap.artifact.ObserveManifest whole =
                org.magmap.artifact.ObserveManifest.read(root.resolve("observe").toString());
        for (RunLedger.Entry e : ledger.entries().values()) {
            assertEquals(RunLedger.Status.OK, e.status(), e.error());
            org.magmap.artifact.ObserveManifest one = org.magmap.artifact.ObserveManifest.read(e.output());
            assertEquals(1, one.maps().size(), e.input());
            org.magmap.artifact.ObserveManifest.MapFile mine = one.maps().get(0);
            org.magmap.artifact.ObserveManifest.MapFile same = whole.maps().stream()
                    .filter(m -> m.runId().equals(mine.runId()) && m.view().equals(mine.view()))
                    .findFirst()
                    .orElseThrow();
            JobRuns.assertSameMaps(
                    org.magmap.ops.OutputFiles.localPath(same.path()),
                    org.magmap.ops.OutputFiles.localPath(mine.path()));
        }
        assertEquals(0, JobRuns.run(root, "nightly", confs));
        assertEquals(0, lastRunIn(root.resolve("nightly-sims")).processed(), "the second night observes nothing");
    }

    @Test
    @Order(8)
    void aReadOnlyOutputFailsInOneLineAndKeepsTheLastNight() throws Exception {
        Path disk = root.resolve("ro-disk");
        Files.createDirectories(disk);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.toString())
                .redirectErrorStream(true)
                .start();
        Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a tmpfs");
        try {
            Files.createDirectories(disk.resolve("train"));
            try (Stream<Path> model = Files.list(root.resolve("train"))) {
                for (Path f : model.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, disk.resolve("train").resolve(f.getFileName()));
                }
            }
            String[] confs = {"magmap.nightly.inputs=[\"" + survey.resolve("galactic_2d.fits") + "\"]"};
            assertEquals(0, JobRuns.run(disk, "nightly", confs));
            Map<String, byte[]> before = snapshot(disk.resolve("nightly"));
            assertEquals(
                    0,
                    new ProcessBuilder("mount", "-o", "remount,ro", disk.toString())
                            .start()
                            .waitFor());
            Files.copy(
                    RepoPaths.realData().resolve("1904-66_SIN.fits"),
                    survey.resolve("galactic_2d.fits"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String err = JobRuns.failed(disk, "nightly", confs);
            assertTrue(err.contains(disk.toString()) && err.contains("Read-only file system"), err);
            assertEquals(1, err.strip().lines().count(), "one line: " + err);
            assertEquals(before.keySet(), snapshot(disk.resolve("nightly")).keySet());
            before.forEach((f, bytes) -> assertArrayEquals(bytes, snapshotFile(disk.resolve("nightly"), f), f));
        } finally {
            new ProcessBuilder("umount", disk.toString()).start().waitFor();
        }
    }

    private static Map<String, byte[]> snapshot(Path dir) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    private static byte[] snapshotFile(Path dir, String relative) {
        try {
            return Files.readAllBytes(dir.resolve(relative));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
