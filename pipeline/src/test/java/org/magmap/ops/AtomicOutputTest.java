package org.magmap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
    @TempDir
    Path dir;

    private final Configuration hadoop = new Configuration();

    private static void write(AtomicOutput out, String name, String text) throws IOException {
        FileSystem fs = out.fileSystem();
        try (OutputStream o = fs.create(new org.apache.hadoop.fs.Path(out.staging(), name))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void anInterruptedRunCommitsNothingAndARerunCompletes() throws IOException {
        Path target = dir.resolve("simulate");
        AtomicOutput first = AtomicOutput.prepare(hadoop, target.toString(), "h1", false, "x.overwrite");
        write(first, "part-1", "half of the work");
        // ... the process dies here: no commit.
        assertFalse(Files.exists(target), "nothing appears under the final name before the commit");

        AtomicOutput second = AtomicOutput.prepare(hadoop, target.toString(), "h1", false, "x.overwrite");
        assertFalse(second.alreadyComplete());
        write(second, "part-1", "all of the work");
        second.commit();
        assertEquals("all of the work", Files.readString(target.resolve("part-1")));
        assertTrue(Files.exists(target.resolve(AtomicOutput.MARKER)));
    }

    @Test
    void theSameConfigurationIsANoOpAndAnotherOneIsRefusedUnlessOverwriting() throws IOException {
        Path target = dir.resolve("out");
        AtomicOutput a = AtomicOutput.prepare(hadoop, target.toString(), "h1", false, "magmap.x.overwrite");
        write(a, "f", "v1");
        a.commit();

        assertTrue(AtomicOutput.prepare(hadoop, target.toString(), "h1", false, "magmap.x.overwrite")
                .alreadyComplete());

        BadInputException e = assertThrows(
                BadInputException.class,
                () -> AtomicOutput.prepare(hadoop, target.toString(), "h2", false, "magmap.x.overwrite"));
        assertTrue(
                e.getMessage().contains("different configuration")
                        && e.getMessage().contains("magmap.x.overwrite"),
                e.getMessage());
        assertEquals("v1", Files.readString(target.resolve("f")), "a refused run leaves the old output untouched");

        AtomicOutput b = AtomicOutput.prepare(hadoop, target.toString(), "h2", true, "magmap.x.overwrite");
        write(b, "g", "v2");
        b.commit();
        assertFalse(Files.exists(target.resolve("f")), "the old output is replaced whole");
        assertEquals("v2", Files.readString(target.resolve("g")));
        try (var s = Files.list(dir)) {
            assertEquals(
                    java.util.List.of("out"),
                    s.map(p -> p.getFileName().toString()).toList(),
                    "no staging or replaced directories are left behind");
        }
    }

    @Test
    void aForeignDirectoryIsNeverReplacedWithoutPermission() throws IOException {
        Path target = dir.resolve("data");
        Files.createDirectories(target);
        Files.writeString(target.resolve("precious.fits"), "x");
        BadInputException e = assertThrows(
                BadInputException.class,
                () -> AtomicOutput.prepare(hadoop, target.toString(), "h", false, "magmap.x.overwrite"));
        assertTrue(e.getMessage().contains("not a committed magmap output"), e.getMessage());
        assertTrue(Files.exists(target.resolve("precious.fits")));
    }

    @Test
    void abortRemovesTheStagingDirectory() throws IOException {
        AtomicOutput a = AtomicOutput.prepare(hadoop, dir.resolve("o").toString(), "h", false, "x");
        write(a, "f", "v");
        a.abort();
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void aRunThatCommitsAfterAnotherOfADifferentConfigurationIsRefusedAndTheFirstKept() throws IOException {
        // Two runs started before either committed: both saw no output at prepare.
        Path target = dir.resolve("out");
        AtomicOutput first = AtomicOutput.prepare(hadoop, target.toString(), "h1", false, "magmap.x.overwrite");
        AtomicOutput second = AtomicOutput.prepare(hadoop, target.toString(), "h2", false, "magmap.x.overwrite");
        write(first, "f", "first");
        write(second, "f", "second");
        assertEquals(AtomicOutput.Commit.COMMITTED, first.commit());
        BadInputException e = assertThrows(BadInputException.class, second::commit);
        assertTrue(e.getMessage().contains("another run committed it while this one ran"), e.getMessage());
        assertTrue(e.getMessage().contains("magmap.x.overwrite"), e.getMessage());
        assertEquals("first", Files.readString(target.resolve("f")), "the first run's output is intact");
        try (var s = Files.list(dir)) {
            assertEquals(
                    java.util.List.of("out"),
                    s.map(p -> p.getFileName().toString()).toList(),
                    "the refused run's staging directory and the commit lock are gone");
        }
    }

    @Test
    void aRunThatCommitsAfterAnIdenticalOneKeepsTheFirstOutput() throws IOException {
        Path target = dir.resolve("out");
        AtomicOutput first = AtomicOutput.prepare(hadoop, target.toString(), "h1", false, "x");
        AtomicOutput second = AtomicOutput.prepare(hadoop, target.toString(), "h1", false, "x");
        write(first, "f", "first");
        write(second, "f", "second");
        first.commit();
        assertEquals(AtomicOutput.Commit.ALREADY_COMMITTED_BY_ANOTHER_RUN, second.commit());
        assertEquals("first", Files.readString(target.resolve("f")));
    }

    @Test
    void withOverwriteTheLastCommitWins() throws IOException {
        Path target = dir.resolve("out");
        AtomicOutput first = AtomicOutput.prepare(hadoop, target.toString(), "h1", true, "x");
        AtomicOutput second = AtomicOutput.prepare(hadoop, target.toString(), "h2", true, "x");
        write(first, "f", "first");
        write(second, "f", "second");
        first.commit();
        assertEquals(AtomicOutput.Commit.COMMITTED, second.commit());
        assertEquals("second", Files.readString(target.resolve("f")));
    }

    @Test
    void aStagingDirectoryThatCannotBeMadeSaysWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        java.io.IOException e = assertThrows(
                java.io.IOException.class,
                () -> AtomicOutput.prepare(hadoop, file.resolve("out").toString(), "h", false, "x"));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("a file is in the way"), e.getMessage());
    }

    @Test
    void aHeldLockIsWaitedForAndADeadOnesIsBroken() throws Exception {
        FileSystem fs = FileSystem.getLocal(hadoop);
        org.apache.hadoop.fs.Path lock =
                new org.apache.hadoop.fs.Path(dir.resolve("l").toString());
        java.time.Duration wait = java.time.Duration.ofMillis(600);
        java.time.Duration stale = java.time.Duration.ofMinutes(5);
        try (FileLock held = FileLock.acquire(fs, lock, wait, stale)) {
            java.io.IOException busy =
                    assertThrows(java.io.IOException.class, () -> FileLock.acquire(fs, lock, wait, stale));
            assertTrue(busy.getMessage().contains("held by another run (pid"), busy.getMessage());
        }
        try (FileLock again = FileLock.acquire(fs, lock, wait, stale)) {
            assertTrue(Files.exists(dir.resolve("l")), "released, then taken again");
        }
        Files.writeString(dir.resolve("l"), "pid 1 on a host that crashed");
        Files.setLastModifiedTime(
                dir.resolve("l"),
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(600)));
        try (FileLock broken = FileLock.acquire(fs, lock, wait, stale)) {
            assertTrue(Files.readString(dir.resolve("l"))
                    .startsWith("pid " + ProcessHandle.current().pid()));
        }
    }
}
