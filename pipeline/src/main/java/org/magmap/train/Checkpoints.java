package org.magmap.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.magmap.ops.Json;
import org.magmap.ops.OutputFiles;

/**
 * The checkpoints of one training configuration. Each epoch is one directory ({@code epoch-0007}) holding the
 * network with its updater state ({@value #RESUME}), the training state ({@value #STATE}) and, when the epoch is
 * the best so far, the network without updater state ({@value #BEST}). The directory is written under a hidden
 * name and renamed into place, one atomic step, so a kill at any moment leaves every visible epoch complete:
 * a resume reads the newest one, whose weights and state belong together. Only the newest epoch and the best
 * epoch are kept.
 */
final class Checkpoints {
    static final String RESUME = "resume.zip";
    static final String STATE = "state.json";
    static final String BEST = "best.zip";
    private static final Pattern EPOCH = Pattern.compile("epoch-(\\d+)");

    /** What writes one file of a checkpoint. */
    @FunctionalInterface
    interface Content {
        void write(OutputStream out) throws IOException;
    }

    /** Where a save has got to: a test stops it there, as a kill would. */
    @FunctionalInterface
    interface Progress {
        void reached(String step) throws IOException;

        Progress NONE = step -> {};
    }

    /** A saved epoch: its state, and its directory. */
    record Saved(TrainingRun.State state, Path directory) {
        Path resumeModel() {
            return new Path(directory, RESUME);
        }
    }

    private final FileSystem fs;
    private final Path root;
    private final Progress progress;

    Checkpoints(FileSystem fs, Path root) {
        this(fs, root, Progress.NONE);
    }

    Checkpoints(FileSystem fs, Path root, Progress progress) {
        this.fs = fs;
        this.root = root;
        this.progress = progress;
    }

    private Path epochDir(int epoch) {
        return new Path(root, String.format(Locale.ROOT, "epoch-%04d", epoch));
    }

    /**
     * Saves one epoch.
     *
     * @param best whether this epoch is the best so far ({@code state.bestEpoch() == state.epoch()})
     * @param withUpdater the network with its updater state, to resume from
     * @param withoutUpdater the network alone, the run's result if this epoch stays the best
     */
    void save(TrainingRun.State state, boolean best, Content withUpdater, Content withoutUpdater) throws IOException {
        OutputFiles.mkdirs(fs, root, "the checkpoint directory");
        Path tmp = new Path(root, ".epoch-" + state.epoch() + ".tmp-" + UUID.randomUUID());
        OutputFiles.mkdirs(fs, tmp, "a checkpoint directory");
        write(new Path(tmp, RESUME), withUpdater);
        progress.reached("resume model written");
        if (best) {
            write(new Path(tmp, BEST), withoutUpdater);
            progress.reached("best model written");
        }
        write(new Path(tmp, STATE), out -> Json.mapper().writeValue(out, state));
        progress.reached("state written");
        Path target = epochDir(state.epoch());
        if (fs.exists(target)) {
            fs.delete(target, true); // left by a run killed after this epoch and resumed before it
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
        progress.reached("epoch committed");
        for (FileStatus s : fs.listStatus(root)) {
            String name = s.getPath().getName();
            int epoch = epochOf(name);
            boolean keep = epoch == state.epoch() || epoch == state.bestEpoch();
            if (!keep) {
                fs.delete(s.getPath(), true); // older epochs, and half-written ones of killed runs
            }
        }
    }

    private void write(Path file, Content content) throws IOException {
        try (OutputStream out = fs.create(file, false)) {
            content.write(out);
        }
    }

    private static int epochOf(String name) {
        Matcher m = EPOCH.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The newest saved epoch, if any. */
    Optional<Saved> latest() throws IOException {
        if (!fs.exists(root)) {
            return Optional.empty();
        }
        int newest = -1;
        for (FileStatus s : fs.listStatus(root)) {
            newest = Math.max(newest, epochOf(s.getPath().getName()));
        }
        if (newest < 0) {
            return Optional.empty();
        }
        Path dir = epochDir(newest);
        try (InputStream in = fs.open(new Path(dir, STATE))) {
            return Optional.of(new Saved(Json.mapper().readValue(in, TrainingRun.State.class), dir));
        }
    }

    /** The best epoch's network (without updater state) as the newest state names it. */
    byte[] bestModel(TrainingRun.State state) throws IOException {
        try (InputStream in = fs.open(new Path(epochDir(state.bestEpoch()), BEST))) {
            return in.readAllBytes();
        }
    }

    /** Deletes every checkpoint (the run is complete: nothing to resume). */
    void clear() throws IOException {
        fs.delete(root, true);
    }
}
