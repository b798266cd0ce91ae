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
 * two runs on different machines cannot both hold it. The file names its owner; a lock older than its
 * {@code staleAfter} is taken to belong to a run that died and is broken (held locks here guard steps of
 * seconds, such as a commit's re-check and rename).
 */
public final class FileLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileLock.class);
    private static final long POLL_MILLIS = 200;

    private final FileSystem fs;
    private final Path file;

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
            if (tryCreate(fs, file)) {
                return new FileLock(fs, file);
            }
            FileStatus held = status(fs, file);
            if (held != null
                    && Instant.ofEpochMilli(held.getModificationTime())
                            .plus(staleAfter)
                            .isBefore(Instant.now())) {
                LOG.warn(
                        "Breaking the lock {} (held since {}, longer than {}): its owner died",
                        file,
                        Instant.ofEpochMilli(held.getModificationTime()),
                        staleAfter);
                fs.delete(file, false);
                continue;
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

    private static String owner(FileSystem fs, Path file) {
        try (var in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "owner unknown";
        }
    }

    private static String ownerLine() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        return "pid " + ManagementFactory.getRuntimeMXBean().getPid() + " on " + host + " since " + Instant.now();
    }

    /** Releases the lock. */
    @Override
    public void close() throws IOException {
        fs.delete(file, false);
    }
}
