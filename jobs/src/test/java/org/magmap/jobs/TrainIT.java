package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.conf.RepoPaths;
import org.nd4j.linalg.factory.Nd4j;

/** The real train entry point on local Spark, on patches the real upstream jobs made. */
class TrainIT {
    @TempDir
    Path dir;

    private int run(String job, String... confs) {
        return JobRuns.run(dir, job, confs);
    }

    private static final String[] SMALL = {
        "magmap.train.cnn.block-channels=[4, 8, 8]",
        "magmap.train.cnn.dense-units=16",
        "magmap.train.max-train-patches=300"
    };

    @BeforeEach
    void patches() {
        assertEquals(
                0,
                run(
                        "simulate",
                        "magmap.simulate.grid-size=64",
                        "magmap.simulate.snapshots=2",
                        "magmap.simulate.b0-microgauss=[1, 5]",
                        "magmap.simulate.sigma-v-km-per-s=[2.5]"));
        assertEquals(0, run("observe", "magmap.observe.inclinations-deg=[90]"));
        assertEquals(
                0,
                run(
                        "make-patches",
                        "magmap.make-patches.patches-per-map=100",
                        "magmap.make-patches.target-maps=false"));
    }

    private String[] with(String... more) {
        String[] out = java.util.Arrays.copyOf(SMALL, SMALL.length + more.length);
        System.arraycopy(more, 0, out, SMALL.length, more.length);
        return out;
    }

    @Test
    void writesARestorableModelAndACardThatDescribesIt() throws Exception {
        assertEquals(0, run("train", with("magmap.train.epochs=2")));
        Path model = dir.resolve("train/model.zip");
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(model.toFile());
        double y = net.output(Nd4j.rand(new int[] {1, 1, 32, 32}), false).getDouble(0);
        assertTrue(Double.isFinite(y));
        JsonNode card =
                new ObjectMapper().readTree(dir.resolve("train/card.json").toFile());
        assertEquals("cnn", card.get("model").asText());
        assertEquals("uG", card.get("target").get("unit").asText());
        assertEquals(32, card.get("patch-size").asInt());
        assertEquals(
                "zscore", card.get("inputs").get("image").get("normalization").asText());
        JsonNode data =
                new ObjectMapper().readTree(dir.resolve("patches/manifest.json").toFile());
        assertEquals(
                data.get("config-hash").asText(),
                card.get("data-manifest-config-hash").asText());
        assertTrue(card.get("metrics").has("test"), "the unseen run is evaluated");
        assertFalse(
                Files.exists(dir.resolve("train-checkpoints")
                        .resolve(card.get("config-hash").asText())),
                "checkpoints of a finished run are removed");
    }

    @Test
    void aKilledRunResumesFromItsLastCheckpoint() throws Exception {
        // A real kill: the run is a separate process (bin/magmap), killed with SIGKILL once it has checkpointed.
        List<String> cmd = new ArrayList<>(List.of(
                RepoPaths.root().resolve("bin/magmap").toString(),
                "train",
                "--conf",
                "spark.master=local[2]",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "magmap.output-root=" + dir));
        for (String c : with("magmap.train.epochs=3", "magmap.train.patience=5")) {
            cmd.add("--conf");
            cmd.add(c);
        }
        Path log = Files.createTempFile("magmap-train", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MAGMAP_DRIVER_MEMORY", "3g");
        Process p = pb.start();
        long deadline = System.currentTimeMillis() + 300_000;
        Path state = null;
        while (System.currentTimeMillis() < deadline && state == null && p.isAlive()) {
            Thread.sleep(100);
            state = findState();
        }
        p.destroyForcibly();
        p.waitFor();
        assertTrue(state != null, "a checkpoint appeared:\n" + Files.readString(log));
        assertFalse(Files.exists(dir.resolve("train")), "nothing committed by the killed run");
        JsonNode saved = new ObjectMapper().readTree(state.toFile());
        int epochsDone = saved.get("epoch").asInt();
        assertTrue(epochsDone >= 1 && epochsDone < 3, "killed after " + epochsDone + " epoch(s)");

        assertEquals(0, run("train", with("magmap.train.epochs=3", "magmap.train.patience=5")));
        JsonNode history =
                new ObjectMapper().readTree(dir.resolve("train/history.json").toFile());
        assertEquals(3, history.size(), "three epochs in all");
        assertEquals(
                saved.get("history").get(0).get("seconds").asDouble(),
                history.get(0).get("seconds").asDouble(),
                0.0,
                "the first epoch was resumed, not trained again");
    }

    private Path findState() throws java.io.IOException {
        Path checkpoints = dir.resolve("train-checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            return null;
        }
        try (var s = Files.walk(checkpoints)) {
            return s.filter(f -> f.getFileName().toString().equals("state.json"))
                    .findFirst()
                    .orElse(null);
        } catch (java.io.UncheckedIOException e) {
            return null; // a file was renamed while walking: look again
        }
    }
}
