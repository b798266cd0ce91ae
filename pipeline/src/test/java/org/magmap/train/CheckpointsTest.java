package org.magmap.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A kill at any step of saving an epoch leaves a checkpoint whose weights and state belong to one epoch, and
 * whose best model is the one its state names. The "networks" here are labelled bytes, so what was resumed is
 * read back directly.
 */
class CheckpointsTest {
    @TempDir
    Path dir;

    private static final class Killed extends IOException {
        Killed(String step) {
            super("killed after: " + step);
        }
    }

    private static TrainingRun.State state(int epoch, int bestEpoch) {
        return new TrainingRun.State(
                epoch, 1.0 / epoch, 1.0 / bestEpoch, bestEpoch, epoch - bestEpoch, List.of(Map.of("epoch", epoch)));
    }

    private static Checkpoints.Content bytes(String text) {
        return out -> out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void save(Checkpoints c, int epoch, int bestEpoch) throws IOException {
        c.save(
                state(epoch, bestEpoch),
                epoch == bestEpoch,
                bytes("weights+updater of epoch " + epoch),
                bytes("weights of epoch " + epoch));
    }

    private static String read(FileSystem fs, org.apache.hadoop.fs.Path p) throws IOException {
        try (var in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "writing the resume model",
                "resume model written",
                "best model written",
                "state written",
                "epoch committed"
            })
    void aKillAtAnyStepLeavesAConsistentEpochToResumeFrom(String killAt) throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path root =
                new org.apache.hadoop.fs.Path(dir.resolve("ckpt").toString());
        Checkpoints undisturbed = new Checkpoints(fs, root);
        save(undisturbed, 1, 1);
        save(undisturbed, 2, 2);

        Checkpoints dying = new Checkpoints(fs, root, step -> {
            if (step.equals(killAt)) {
                throw new Killed(step);
            }
        });
        // Epoch 3 is the best so far; a kill while its resume model is being written is a failing content writer.
        Checkpoints.Content resume = killAt.equals("writing the resume model")
                ? out -> {
                    out.write("half a zip".getBytes(StandardCharsets.UTF_8));
                    throw new Killed(killAt);
                }
                : bytes("weights+updater of epoch 3");
        assertThrows(Killed.class, () -> dying.save(state(3, 3), true, resume, bytes("weights of epoch 3")));

        Checkpoints.Saved latest = new Checkpoints(fs, root).latest().orElseThrow();
        int epoch = latest.state().epoch();
        assertTrue(epoch == 2 || epoch == 3, "resumes after epoch 2 or 3, got " + epoch);
        assertEquals(killAt.equals("epoch committed") ? 3 : 2, epoch, "an epoch counts once its directory is renamed");
        assertEquals("weights+updater of epoch " + epoch, read(fs, latest.resumeModel()), "weights match the state");
        assertEquals(
                "weights of epoch " + latest.state().bestEpoch(),
                new String(new Checkpoints(fs, root).bestModel(latest.state()), StandardCharsets.UTF_8),
                "the best model is the one the state names");

        // The resumed run goes on: epoch 4, not the best; epoch 3 (or 2) stays as the best, the rest is cleaned.
        Checkpoints resumed = new Checkpoints(fs, root);
        save(resumed, epoch + 1, epoch);
        List<String> left = java.util.Arrays.stream(fs.listStatus(root))
                .map(s -> s.getPath().getName())
                .sorted()
                .toList();
        assertEquals(
                List.of(String.format("epoch-%04d", epoch), String.format("epoch-%04d", epoch + 1)),
                left,
                "only the best and the newest epoch are kept; half-written ones are gone");
        assertEquals(
                "weights of epoch " + epoch,
                new String(resumed.bestModel(state(epoch + 1, epoch)), StandardCharsets.UTF_8));
    }
}
