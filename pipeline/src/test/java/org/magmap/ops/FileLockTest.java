package org.magmap.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long-held lock of scheduled runs: a live owner keeps it, a dead one loses it. */
class FileLockTest {
    @TempDir
    Path dir;

    private static String host() throws Exception {
        return java.net.InetAddress.getLocalHost().getHostName();
    }

    @Test
    void aLiveOwnerOnThisHostKeepsItsLockHoweverOld() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path file = dir.resolve("lock");
        Files.writeString(
                file, "pid " + ProcessHandle.current().pid() + " on " + host() + " since 2026-01-01T00:00:00Z");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
        Optional<FileLock> lock =
                FileLock.tryAcquire(fs, new org.apache.hadoop.fs.Path(file.toString()), Duration.ofSeconds(1));
        assertFalse(lock.isPresent(), "its process is alive: the lock stands");
    }

    @Test
    void aDeadProcessOnThisHostLosesItsLockAtOnce() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path file = dir.resolve("lock");
        Files.writeString(file, "pid " + gone.pid() + " on " + host() + " since " + Instant.now());
        Optional<FileLock> lock =
                FileLock.tryAcquire(fs, new org.apache.hadoop.fs.Path(file.toString()), Duration.ofHours(1));
        assertTrue(lock.isPresent(), "fresh, but its owner's process is gone");
        assertTrue(Files.readString(file)
                .startsWith("pid " + ProcessHandle.current().pid() + " "));
        lock.get().close();
        assertFalse(Files.exists(file));
        try (var left = Files.list(dir)) {
            assertTrue(left.findAny().isEmpty(), "nothing left beside it");
        }
    }

    @Test
    void anOtherHostsLockStandsWhileTouchedAndFallsOnceStale() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path file = dir.resolve("lock");
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toString());
        Files.writeString(file, "pid 12345 on another-node.cluster since " + Instant.now());
        assertFalse(FileLock.tryAcquire(fs, path, Duration.ofSeconds(30)).isPresent(), "fresh: alive");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        Optional<FileLock> lock = FileLock.tryAcquire(fs, path, Duration.ofSeconds(30));
        assertTrue(lock.isPresent(), "untouched for longer than staleAfter: its owner died");
        lock.get().close();
    }

    @Test
    void theHeartbeatKeepsALockFresh() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Path file = dir.resolve("lock");
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toString());
        try (FileLock lock =
                FileLock.tryAcquire(fs, path, Duration.ofSeconds(30)).orElseThrow()) {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(600)));
            lock.heartbeat(Duration.ofMillis(50));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (Files.getLastModifiedTime(file)
                            .toInstant()
                            .isBefore(Instant.now().minusSeconds(10))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(
                    Files.getLastModifiedTime(file)
                            .toInstant()
                            .isAfter(Instant.now().minusSeconds(10)),
                    "touched by the heartbeat");
        }
        assertFalse(Files.exists(file), "released");
    }
}
