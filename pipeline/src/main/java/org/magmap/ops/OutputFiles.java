package org.magmap.ops;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;

/**
 * Moving files that a task wrote locally into an output directory on any Hadoop file system (local disk,
 * a shared parallel file system, HDFS, S3), from inside the task.
 */
public final class OutputFiles {
    private OutputFiles() {}

    /**
     * The Hadoop settings a task needs to reach the output file system: {@code spark.hadoop.*} keys from the
     * driver's configuration with the prefix removed. Small and serializable (a Hadoop Configuration is not).
     */
    public record HadoopSettings(Map<String, String> entries) implements Serializable {
        public HadoopSettings {
            entries = Map.copyOf(entries);
        }

        /** A Hadoop configuration with the site defaults plus these entries. */
        public Configuration toConfiguration() {
            Configuration c = new Configuration();
            entries.forEach(c::set);
            return c;
        }
    }

    /**
     * A local directory for a task's scratch files: the first of {@code SPARK_LOCAL_DIRS} (what the cluster
     * manager gives executors) or else java.io.tmpdir.
     */
    public static Path scratchDirectory(String prefix) throws IOException {
        String dirs = System.getenv("SPARK_LOCAL_DIRS");
        Path base = dirs != null && !dirs.isBlank()
                ? Path.of(dirs.split(",")[0])
                : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(base);
        return Files.createTempDirectory(base, prefix);
    }

    /**
     * A local copy of {@code file} (any Hadoop path) for readers that need random access through java.nio: the
     * file itself when it is on a local file system, else a copy in {@code scratch}.
     */
    public static Path localCopy(String file, Path scratch, HadoopSettings hadoop) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
        FileSystem fs = p.getFileSystem(hadoop.toConfiguration());
        if (fs instanceof LocalFileSystem) {
            return localPath(file);
        }
        Path local = scratch.resolve(p.getName());
        fs.copyToLocalFile(false, p, new org.apache.hadoop.fs.Path(local.toUri()), true);
        return local;
    }

    /** Work that needs a scratch directory. */
    @FunctionalInterface
    public interface ScratchWork<T> {
        T run(Path scratch) throws IOException;
    }

    /** Runs {@code work} in a fresh scratch directory ({@link #scratchDirectory}) and deletes it afterwards. */
    public static <T> T withScratch(String prefix, ScratchWork<T> work) throws IOException {
        Path scratch = scratchDirectory(prefix);
        try {
            return work.run(scratch);
        } finally {
            deleteLocalTree(scratch);
        }
    }

    /** Deletes a local directory and everything in it (nothing when it does not exist). */
    public static void deleteLocalTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * Creates a directory and its parents, or says why not: Hadoop's {@code mkdirs} on a local disk answers only
     * false, so there java.nio does it and its exception carries the system's reason ("Read-only file system",
     * "Not a directory", "No space left on device", "Permission denied").
     *
     * @param what the directory's role, for the message
     */
    public static void mkdirs(FileSystem fs, org.apache.hadoop.fs.Path dir, String what) throws IOException {
        if (fs instanceof LocalFileSystem) {
            Path local = localPath(dir.toString());
            try {
                Files.createDirectories(local);
            } catch (IOException e) {
                // No cause: the reason is the whole story, and a cause would print it a second time.
                throw new IOException("cannot create " + what + " " + local + ": " + reason(e));
            }
            return;
        }
        if (!fs.mkdirs(dir)) {
            throw new IOException("cannot create " + what + " " + dir);
        }
    }

    /**
     * Replaces {@code file} (any Hadoop path) with {@code bytes} all at once: written beside it under a hidden
     * name, then renamed over it with {@link org.apache.hadoop.fs.Options.Rename#OVERWRITE}, which HDFS and POSIX
     * file systems do atomically. A reader sees the old content or the new, never a part; a run killed while
     * writing leaves the old file and a hidden temporary one.
     */
    public static void replaceAtomically(FileSystem fs, org.apache.hadoop.fs.Path file, byte[] bytes)
            throws IOException {
        org.apache.hadoop.fs.Path temporary = new org.apache.hadoop.fs.Path(
                file.getParent(), "." + file.getName() + ".tmp-" + java.util.UUID.randomUUID());
        try (java.io.OutputStream out = fs.create(temporary, false)) {
            out.write(bytes);
        }
        try {
            org.apache.hadoop.fs.FileContext.getFileContext(fs.getUri(), fs.getConf())
                    .rename(
                            fs.makeQualified(temporary),
                            fs.makeQualified(file),
                            org.apache.hadoop.fs.Options.Rename.OVERWRITE);
        } catch (IOException e) {
            fs.delete(temporary, false);
            throw e;
        }
    }

    /** The operating system's words for a java.nio failure (its reason, else its message, else its type). */
    public static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException || e instanceof java.nio.file.NotDirectoryException) {
            return "a file is in the way (" + e.getMessage() + ")";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** java.nio path of a local Hadoop path (file:/x or /x). */
    public static Path localPath(String directory) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(directory);
        return Path.of(p.toUri().getPath());
    }

    /**
     * Moves a local file into {@code directory} (any Hadoop path), replacing a file of the same name.
     * {@code directory} is created if missing, but its parent must exist: it is (in) an output's staging
     * directory, which only the driver makes. A task still running after its job failed and the staging directory
     * was deleted then fails here, instead of recreating the staging directory and leaving it behind.
     */
    public static void publish(Path localFile, String directory, HadoopSettings hadoop) throws IOException {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(directory);
        FileSystem fs = dir.getFileSystem(hadoop.toConfiguration());
        if (fs instanceof LocalFileSystem) {
            Path target = localPath(directory).resolve(localFile.getFileName());
            Path parent = target.getParent();
            if (!Files.isDirectory(parent)) {
                try {
                    Files.createDirectory(parent); // NoSuchFileException when the staging directory is gone
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another task of the same output made it
                }
            }
            Files.move(localFile, target, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        if (!fs.exists(dir)) {
            if (!fs.exists(dir.getParent())) {
                throw new java.io.FileNotFoundException(
                        dir.getParent() + " does not exist (the run's staging directory was removed)");
            }
            fs.mkdirs(dir);
        }
        fs.copyFromLocalFile(
                true,
                true,
                new org.apache.hadoop.fs.Path(localFile.toUri()),
                new org.apache.hadoop.fs.Path(dir, localFile.getFileName().toString()));
    }
}
