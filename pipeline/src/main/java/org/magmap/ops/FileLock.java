package org.magmap.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock held by creating a file that must not exist yet: exclusive creation is atomic on a local or shared
 * POSIX file system ({@code O_EXCL}, through java.nio) and on HDFS (the NameNode refuses a second create), so
 * two runs on different machines cannot both hold it. The file names its owner (pid and host).
 *
 * <p>A lock whose owner died is broken: at once when the owner ran on this host and its process is gone, and
 * otherwise once the file is older than {@code staleAfter}. A holder of a long lock (a nightly run of hours)
 * keeps it fresh with {@link #heartbeat}, which touches the file; a lock nobody touches for {@code staleAfter}
 * is a dead run's. Breaking renames the file aside (only one breaker's rename can succeed) and checks that what
 * it moved is the lock it judged dead, not a newer one another breaker made meanwhile.
 */
public final class FileLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileLock.class);
    private static final long POLL_MILLIS = 200;

    private final FileSystem fs;
    private final Path file;
    private java.util.concurrent.ScheduledExecutorService heartbeat;

    private FileLock(FileSystem fs, Path file) {
        this.fs = fs;
        this.file = file;
    }

    /**
     * Takes the lock, waiting up to {@code wait} while another run holds it.
     *
     * @param staleAfter age of a lock file after which its owner is taken to have died
     * @throws IOException if the lock is still held after {@code wait}, or the file cannot be created
     */
    public static FileLock acquire(FileSystem fs, Path file, Duration wait, Duration staleAfter) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            java.util.Optional<FileLock> lock = tryAcquire(fs, file, staleAfter);
            if (lock.isPresent()) {
                return lock.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the lock " + file + " is held by another run (" + owner(fs, file) + ")");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the lock " + file, e);
            }
        }
    }

    /**
     * Takes the lock if nobody alive holds it, without waiting: empty while another live run holds it.
     *
     * @param staleAfter age of an untouched lock file after which its owner is taken to have died
     */
    public static java.util.Optional<FileLock> tryAcquire(FileSystem fs, Path file, Duration staleAfter)
            throws IOException {
        for (int attempt = 0; attempt < 10; attempt++) {
            if (tryCreate(fs, file)) {
                return java.util.Optional.of(new FileLock(fs, file));
            }
            FileStatus held = status(fs, file);
            if (held == null) {
                continue; // released between our create and our look
            }
            String owner = owner(fs, file);
            String dead = deadOwner(owner, held, staleAfter);
            if (dead == null) {
                return java.util.Optional.empty();
            }
            LOG.warn("Breaking the lock {} ({}): {}", file, owner, dead);
            breakLock(fs, file, owner);
        }
        return java.util.Optional.empty();
    }

    /** Why the lock's owner is dead, or null while it may be alive. */
    private static String deadOwner(String owner, FileStatus held, Duration staleAfter) {
        java.util.regex.Matcher m = OWNER.matcher(owner);
        if (m.lookingAt() && m.group(2).equals(hostName())) {
            long pid = Long.parseLong(m.group(1));
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return null; // alive on this host, however long it has held the lock
            }
            return "its process " + pid + " on this host is gone";
        }
        Instant touched = Instant.ofEpochMilli(held.getModificationTime());
        if (touched.plus(staleAfter).isBefore(Instant.now())) {
            return "untouched since " + touched + ", longer than " + staleAfter + ": its owner died";
        }
        return null;
    }

    /** Moves a dead run's lock aside; puts it back if what moved is not the lock judged dead. */
    private static void breakLock(FileSystem fs, Path file, String deadOwner) throws IOException {
        Path aside = new Path(file.getParent(), file.getName() + ".broken-" + java.util.UUID.randomUUID());
        if (!fs.rename(file, aside)) {
            return; // another breaker moved it first, or its owner released it
        }
        if (!owner(fs, aside).equals(deadOwner)) {
            // Another breaker replaced the dead lock with its own between our look and our rename.
            if (!fs.rename(aside, file)) {
                LOG.warn("Could not put back the lock {} moved aside to {}", file, aside);
            }
            return;
        }
        fs.delete(aside, false);
    }

    /**
     * Touches the lock file every {@code every} while it is held, so that other runs see its owner alive (keep
     * {@code every} well below their {@code staleAfter}).
     */
    public synchronized FileLock heartbeat(Duration every) {
        if (heartbeat == null) {
            heartbeat = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "magmap-lock-heartbeat");
                t.setDaemon(true);
                return t;
            });
            heartbeat.scheduleAtFixedRate(
                    () -> {
                        try {
                            fs.setTimes(file, System.currentTimeMillis(), -1);
                        } catch (IOException e) {
                            LOG.warn("Could not touch the lock {}: {}", file, e.getMessage());
                        }
                    },
                    every.toMillis(),
                    every.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** The lock's file. */
    public Path file() {
        return file;
    }

    private static boolean tryCreate(FileSystem fs, Path file) throws IOException {
        byte[] owner = ownerLine().getBytes(StandardCharsets.UTF_8);
        if (fs instanceof LocalFileSystem) {
            // Hadoop's local create(overwrite = false) checks and then opens: not atomic. java.nio's is O_EXCL.
            try {
                Files.write(
                        OutputFiles.localPath(file.toString()),
                        owner,
                        java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(owner);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(file)) {
                return false; // HDFS reports a lease held by another client this way
            }
            throw e;
        }
    }

    private static FileStatus status(FileSystem fs, Path file) throws IOException {
        try {
            return fs.getFileStatus(file);
        } catch (java.io.FileNotFoundException e) {
            return null;
        }
    }

    /** What the lock file says of its owner ("owner unknown" if it cannot be read). */
    public static String owner(FileSystem fs, Path file) {
        try (var in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "owner unknown";
        }
    }

    private static final java.util.regex.Pattern OWNER = java.util.regex.Pattern.compile("pid (\\d+) on (\\S+) since");

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    private static String ownerLine() {
        return "pid " + ManagementFactory.getRuntimeMXBean().getPid() + " on " + hostName() + " since " + Instant.now();
    }

    /** Releases the lock. */
    @Override
    public synchronized void close() throws IOException {
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        fs.delete(file, false);
    }
}
