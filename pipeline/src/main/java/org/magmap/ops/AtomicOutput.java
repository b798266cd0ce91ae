package org.magmap.ops;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's output directory, committed all at once: everything is written under a hidden staging directory
 * beside the final one, and {@link #commit} renames it into place (a single rename on HDFS and local file
 * systems), so a reader sees either the previous complete output or the new complete output, never a part.
 *
 * <p>A committed directory carries a {@value #MARKER} file with the hash of the configuration that made it.
 * Running the same configuration again is a no-op; a different configuration refuses to replace it unless
 * told to overwrite. Inputs are never touched.
 */
public final class AtomicOutput {
    /** Marker file written last into a committed output. */
    public static final String MARKER = "_MAGMAP_COMMITTED";

    // The commit lock guards a re-check and two renames: held for milliseconds, so a minute-old one is a dead run's.
    private static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(30);
    private static final java.time.Duration LOCK_STALE = java.time.Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(AtomicOutput.class);

    private final FileSystem fs;
    private final Path target;
    private final Path staging;
    private final String configHash;
    private final boolean alreadyComplete;
    private final boolean overwrite;
    private final String settingName;

    /** How a commit ended. */
    public enum Commit {
        /** This run's output is now the target. */
        COMMITTED,
        /**
         * Another run of the same configuration committed first; this run's (identical) output was discarded and
         * the other's kept.
         */
        ALREADY_COMMITTED_BY_ANOTHER_RUN
    }

    private AtomicOutput(
            FileSystem fs,
            Path target,
            Path staging,
            String configHash,
            boolean alreadyComplete,
            boolean overwrite,
            String settingName) {
        this.fs = fs;
        this.target = target;
        this.staging = staging;
        this.configHash = configHash;
        this.alreadyComplete = alreadyComplete;
        this.overwrite = overwrite;
        this.settingName = settingName;
    }

    /**
     * Checks the target and, unless an identical committed output is already there, creates a fresh staging
     * directory.
     *
     * @param target the final output directory (any Hadoop path)
     * @param configHash a hash of everything that determines the output
     * @param overwrite whether an output of a different configuration may be replaced
     * @param settingName the setting that allows overwriting, for the error message
     * @throws BadInputException if the target holds something else and overwrite is off
     */
    public static AtomicOutput prepare(
            Configuration hadoop, String target, String configHash, boolean overwrite, String settingName)
            throws IOException {
        Path t = new Path(target);
        FileSystem fs = t.getFileSystem(hadoop);
        t = fs.makeQualified(t);
        if (fs.exists(t)) {
            String existing = committedHash(fs, t);
            if (configHash.equals(existing)) {
                return new AtomicOutput(fs, t, null, configHash, true, overwrite, settingName);
            }
            if (!overwrite) {
                throw refusal(t, existing, configHash, settingName, "");
            }
        }
        Path parent = t.getParent();
        OutputFiles.mkdirs(fs, parent, "the output's parent directory");
        warnAboutStaleStaging(fs, parent, t.getName());
        Path staging = new Path(parent, "." + t.getName() + ".staging-" + UUID.randomUUID());
        OutputFiles.mkdirs(fs, staging, "the staging directory");
        return new AtomicOutput(fs, t, staging, configHash, false, overwrite, settingName);
    }

    private static BadInputException refusal(
            Path target, String existing, String configHash, String settingName, String when) {
        String what = existing == null
                ? "exists and is not a committed magmap output"
                : "holds the output of a different configuration (hash " + existing + ", this run " + configHash + ")";
        return new BadInputException(
                target.toString(), what + when + "; choose another output directory or set " + settingName + " = true");
    }

    private static String committedHash(FileSystem fs, Path dir) throws IOException {
        Path marker = new Path(dir, MARKER);
        if (!fs.exists(marker)) {
            return null;
        }
        try (FSDataInputStream in = fs.open(marker)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.startsWith("config-hash=")) {
                    return line.substring("config-hash=".length()).trim();
                }
            }
        }
        return null;
    }

    private static void warnAboutStaleStaging(FileSystem fs, Path parent, String name) throws IOException {
        for (FileStatus s : fs.listStatus(parent)) {
            if (s.getPath().getName().startsWith("." + name + ".staging-")) {
                LOG.warn(
                        "Found {} from an earlier run that did not finish (or one running now); it is not used."
                                + " Delete it once no run is writing there.",
                        s.getPath());
            }
        }
    }

    /** Whether an identical, committed output already exists (then there is nothing to do). */
    public boolean alreadyComplete() {
        return alreadyComplete;
    }

    /** The final directory. */
    public Path target() {
        return target;
    }

    /** Where to write before the commit. */
    public Path staging() {
        if (staging == null) {
            throw new IllegalStateException(target + " is already complete; nothing to stage");
        }
        return staging;
    }

    /** The file system of the output. */
    public FileSystem fileSystem() {
        return fs;
    }

    /**
     * Moves the staged output into place; an older output of another configuration is removed after. The target
     * is checked again under a lock beside it, since another run may have committed while this one worked: an
     * output of another configuration is then refused (unless overwriting) and this run's staging deleted; one of
     * the same configuration is kept and this run's identical output discarded.
     *
     * @throws BadInputException if another run committed a different configuration meanwhile and overwrite is off
     */
    public Commit commit() throws IOException {
        Path stage = staging();
        try (OutputStream out = fs.create(new Path(stage, MARKER), true)) {
            out.write(("config-hash=" + configHash + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path lockFile = new Path(target.getParent(), "." + target.getName() + ".commit-lock");
        try (FileLock lock = FileLock.acquire(fs, lockFile, LOCK_WAIT, LOCK_STALE)) {
            if (fs.exists(target)) {
                String existing = committedHash(fs, target);
                if (configHash.equals(existing)) {
                    abort();
                    return Commit.ALREADY_COMMITTED_BY_ANOTHER_RUN;
                }
                if (!overwrite) {
                    abort();
                    throw refusal(
                            target,
                            existing,
                            configHash,
                            settingName,
                            " (another run committed it while this one ran; this run's output was discarded)");
                }
            }
            moveIntoPlace(stage);
        }
        return Commit.COMMITTED;
    }

    private void moveIntoPlace(Path stage) throws IOException {
        Path old = null;
        if (fs.exists(target)) {
            old = new Path(target.getParent(), "." + target.getName() + ".replaced-" + UUID.randomUUID());
            if (!fs.rename(target, old)) {
                throw new IOException("Cannot move the previous output " + target + " aside to " + old);
            }
        }
        if (!fs.rename(stage, target)) {
            if (old != null) {
                fs.rename(old, target); // put the previous output back
            }
            throw new IOException("Cannot rename " + stage + " to " + target);
        }
        if (old != null) {
            fs.delete(old, true);
        }
    }

    /** Deletes the staging directory after a failure; the target is left as it was. */
    public void abort() {
        if (staging == null) {
            return;
        }
        try {
            fs.delete(staging, true);
        } catch (IOException e) {
            LOG.warn("Could not delete staging directory {}: {}", staging, e.getMessage());
        }
    }
}
