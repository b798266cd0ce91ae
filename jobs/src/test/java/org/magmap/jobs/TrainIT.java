package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.conf.RepoPaths;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The real train entry point on local Spark, on patches the real upstream jobs made. */
class TrainIT {
    @TempDir
    Path dir;

    private int run(String job, String... confs) {
        return JobRuns.run(dir, job, confs);
    }

    private static final String[] SMALL = {
        "magmap.train.observables=[SYNC]",
        "magmap.train.cnn.block-channels=[4, 8, 8]",
        "magmap.train.cnn.dense-units=16",
        "magmap.train.max-train-patches=300"
    };

    @BeforeEach
    void patches() {
        JobRuns.smallObservedSuite(dir, "[90]");
        assertEquals(
                0,
                run(
                        "make-patches",
                        "magmap.make-patches.patches-per-map=100",
                        "magmap.make-patches.observables=[SYNC, HI_CH00]",
                        "magmap.make-patches.target-maps=true"));
    }

    /** The tiny conditional ResNet on the H I channel-map patches. */
    private static final String[] TINY_CRESNET = {
        "magmap.train.model=cresnet",
        // JobRuns' local[2] with one core per task: two ResNet training tasks at once in one JVM
        "magmap.train.observables=[HI_CH00]",
        "magmap.train.cresnet.base-channels=4",
        "magmap.train.cresnet.residual-blocks=1",
        "magmap.train.max-train-patches=100",
        "magmap.train.max-validation-patches=100",
        "magmap.train.max-metrics-patches=60",
        "magmap.train.epochs=3",
        "magmap.train.patience=5",
        "magmap.train.cresnet.psnr-every=5"
    };

    @Test
    void trainsTheConditionalResNetAndDescribesItsInputsAndTargetMaps() throws Exception {
        assertEquals(0, run("train", TINY_CRESNET));
        ComputationGraph net = ModelSerializer.restoreComputationGraph(
                dir.resolve("train/model.zip").toFile());
        INDArray maps = net.output(false, Nd4j.rand(new int[] {2, 1, 32, 32}), Nd4j.rand(new int[] {2, 3}))[0];
        assertArrayEquals(new long[] {2, 6, 32, 32}, maps.shape(), "six target maps per patch");

        JsonNode card =
                new ObjectMapper().readTree(dir.resolve("train/card.json").toFile());
        assertEquals("cresnet", card.get("model").asText());
        assertEquals(
                "[\"channel_width_km_s\",\"beam_fwhm_px\",\"noise_ratio\"]",
                card.get("inputs").get("condition").get("columns").toString());
        assertEquals(
                "[\"HI_CH00\"]",
                card.get("inputs").get("image").get("observables").toString());
        assertEquals(6, card.get("target").get("maps").size());
        assertEquals("uG", card.get("target").get("units").get(3).asText());
        JsonNode test = card.get("metrics").get("test");
        assertEquals(60 * 32 * 32, test.get("pixels").asLong(), "the card's metrics over 60 random test patches");
        double median = test.get("median-psi-deviation-deg").asDouble();
        assertTrue(median >= 0 && median <= 90, "a psi deviation is an angle in [0, 90] deg: " + median);

        // PSNR on the first epoch, every psnr-every (5) epochs and the last: epochs 1 and 3 of 3, not 2.
        JsonNode history =
                new ObjectMapper().readTree(dir.resolve("train/history.json").toFile());
        assertEquals(3, history.size());
        assertTrue(history.get(0).has("psnr-db"));
        assertFalse(history.get(1).has("psnr-db"));
        assertTrue(history.get(2).has("psnr-db"));
        int bestEpoch = card.get("best-epoch").asInt();
        assertTrue(bestEpoch == 1 || bestEpoch == 3, "the kept checkpoint had its PSNR measured: " + bestEpoch);

        // evaluate measures it the H I paper's way, beside the VGT baseline on the whole observed maps
        assertEquals(
                0,
                run(
                        "evaluate",
                        "magmap.evaluate.splits=[test, validation]",
                        "magmap.evaluate.max-patches-per-split=50"));
        JsonNode evaluation = new ObjectMapper()
                .readTree(dir.resolve("evaluate/evaluation.json").toFile());
        assertEquals(
                50 * 32 * 32, evaluation.get("test").get("all").get("pixels").asLong());
        JsonNode unseen = evaluation.get("test").get("by-simulation").get("unseen-b4-s2.5-seed1-snap0");
        assertTrue(unseen.get("median-psi-deviation-deg").asDouble() <= 90);
        double vgt = unseen.get("vgt-alignment-measure-whole-maps").asDouble();
        assertTrue(vgt > -1 && vgt <= 1, "an AM is a mean cosine: " + vgt);
        double vgtOnPatches =
                unseen.get("vgt-on-patches-median-psi-deviation-deg").asDouble();
        assertTrue(vgtOnPatches >= 0 && vgtOnPatches <= 90, "the VGT on the model's patches: " + vgtOnPatches);
        // Seen from the side (inclination 90 deg) the B = 4 uG, sigma_v = 2.5 km/s run's field stays near its mean
        // direction, so the view's position angle turned with each patch (make-patches' random rotation) must
        // nearly give the true psi: a rotation applied in the wrong sense would scatter it to ~45 deg.
        double meanField = unseen.get("mean-field-median-psi-deviation-deg").asDouble();
        assertTrue(meanField < 10, "the mean field's psi against the truth: " + meanField);
        // The test split holds only the unseen run, so its pooled unseen-maps group is the whole split; validation
        // mixes held-out blocks of trained snapshot-0 maps with snapshot-1 maps the model never saw.
        JsonNode testPooled = evaluation.get("test").get("by-" + org.magmap.evaluate.CnnTables.TRAINED_MAP);
        assertEquals(List.of("false"), JobRuns.fieldNames(testPooled));
        assertEquals(
                evaluation
                        .get("test")
                        .get("all")
                        .get("median-psi-deviation-deg")
                        .asDouble(),
                testPooled.get("false").get("median-psi-deviation-deg").asDouble());
        JsonNode validation = evaluation.get("validation");
        JsonNode pooled = validation.get("by-" + org.magmap.evaluate.CnnTables.TRAINED_MAP);
        long snapshot1 = 0;
        for (String sim : JobRuns.fieldNames(validation.get("by-simulation"))) {
            if (sim.endsWith("-snap1")) {
                snapshot1 +=
                        validation.get("by-simulation").get(sim).get("pixels").asLong();
            }
        }
        assertTrue(snapshot1 > 0);
        assertTrue(pooled.get("false").get("pixels").asLong() >= snapshot1, "snapshot 1 was never trained on");
        assertEquals(
                validation.get("all").get("pixels").asLong(),
                pooled.get("false").get("pixels").asLong()
                        + pooled.path("true").path("pixels").asLong(0));
        List<String> table = Files.readAllLines(dir.resolve("evaluate/" + org.magmap.evaluate.ResNetTables.TABLE));
        assertTrue(table.get(0).startsWith("split,simulation,pixels,median_psi_deviation_deg"), table.get(0));
        assertTrue(table.stream().anyMatch(l -> l.startsWith("test,unseen-b4-s2.5-seed1-snap0,")), table.toString());
        assertTrue(Files.size(dir.resolve("evaluate/figures/psi-deviations.png")) > 0);
        String[] header = table.get(0).split(",");
        for (String row : table.subList(1, table.size())) {
            assertEquals(header.length, row.split(",", -1).length, "every row fills the header's columns: " + row);
        }
        JsonNode all = evaluation.get("test").get("all");
        double centre = all.get("centre-half-median-psi-deviation-deg").asDouble();
        assertTrue(centre >= 0 && centre <= 90, "the centre half of each patch: " + centre);
        assertEquals("one pass per patch", evaluation.get("prediction").asText());

        // the same test patches predicted as the mean over their eight rotations and mirrors
        assertEquals(
                0,
                run(
                        "evaluate",
                        "magmap.evaluate.splits=[test]",
                        "magmap.evaluate.max-patches-per-split=50",
                        "magmap.evaluate.dihedral-mean=true",
                        "magmap.evaluate.output-dir=evaluate-dihedral"));
        JsonNode dihedral = new ObjectMapper()
                .readTree(dir.resolve("evaluate-dihedral/evaluation.json").toFile());
        assertTrue(
                dihedral.get("prediction").asText().contains("eight"),
                dihedral.get("prediction").asText());
        JsonNode dihedralAll = dihedral.get("test").get("all");
        assertEquals(all.get("pixels").asLong(), dihedralAll.get("pixels").asLong(), "the same patches");
        assertEquals(
                all.get("mean-field-median-psi-deviation-deg").asDouble(),
                dihedralAll.get("mean-field-median-psi-deviation-deg").asDouble(),
                "the same patches: the reference does not depend on the prediction");

        // an ensemble: a deeper ResNet trained on the same patches (same subset, so the same target scaling), its
        // maps averaged with the first one's. Per pixel, the squared error of a mean is at most the mean of the
        // squared errors (Jensen), so on the same test patches the ensemble's MSE is at most its members' mean.
        assertEquals(
                0,
                run(
                        "train",
                        with(
                                TINY_CRESNET,
                                "magmap.train.epochs=1",
                                "magmap.train.cresnet.residual-blocks=2",
                                "magmap.train.output-dir=train-deeper",
                                "magmap.train.checkpoint-dir=ckpt-deeper")));
        String[] onTest = {"magmap.evaluate.splits=[test]", "magmap.evaluate.max-patches-per-split=50"};
        assertEquals(
                0,
                run(
                        "evaluate",
                        with(
                                onTest,
                                "magmap.evaluate.model-dir=train-deeper",
                                "magmap.evaluate.output-dir=evaluate-deeper")));
        assertEquals(
                0,
                run(
                        "evaluate",
                        with(
                                onTest,
                                "magmap.evaluate.ensemble-model-dirs=[train-deeper]",
                                "magmap.evaluate.output-dir=evaluate-ensemble")));
        JsonNode deeper = new ObjectMapper()
                .readTree(dir.resolve("evaluate-deeper/evaluation.json").toFile())
                .get("test")
                .get("all");
        JsonNode ensemble = new ObjectMapper()
                .readTree(dir.resolve("evaluate-ensemble/evaluation.json").toFile());
        assertEquals(
                2, ensemble.get("ensemble").size(), ensemble.get("ensemble").toString());
        JsonNode ensembleAll = ensemble.get("test").get("all");
        assertEquals(all.get("pixels").asLong(), ensembleAll.get("pixels").asLong(), "the same patches");
        double members =
                (all.get("mse-scaled").asDouble() + deeper.get("mse-scaled").asDouble()) / 2;
        assertTrue(
                ensembleAll.get("mse-scaled").asDouble() <= members * (1 + 1e-6),
                ensembleAll.get("mse-scaled") + " against the members' mean " + members);

        // the evaluated model named again as a member is refused before any Spark work
        String err = JobRuns.refused(
                dir, "evaluate", with(onTest, "magmap.evaluate.ensemble-model-dirs=[train-deeper, train]"));
        assertTrue(err.contains("twice"), err);
    }

    @Test
    void theResNetRefusesPatchesWithoutTargetMaps() {
        assertEquals(
                0,
                run(
                        "make-patches",
                        "magmap.make-patches.output-dir=patches-no-maps",
                        "magmap.make-patches.patches-per-map=20",
                        "magmap.make-patches.observables=[HI_CH00]",
                        "magmap.make-patches.target-maps=false"));
        String[] confs = java.util.Arrays.copyOf(TINY_CRESNET, TINY_CRESNET.length + 1);
        confs[confs.length - 1] = "magmap.train.input-dir=patches-no-maps";
        String err = JobRuns.refused(dir, "train", confs);
        assertTrue(err.contains("patches-no-maps") && err.contains("target-maps = true"), err);
    }

    private String[] with(String... more) {
        return with(SMALL, more);
    }

    private static String[] with(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    /**
     * A run started from a trained model (magmap.train.init-model) begins at its weights: with a learning rate of
     * 1e-9 one epoch of Adam moves no weight by more than about 1e-9 per step, so the first convolution's kernel is
     * still the trained one, far from any fresh initialisation. The card says where it started.
     */
    @Test
    void aRunStartsFromATrainedModelsWeights() throws Exception {
        assertEquals(0, run("train", with("magmap.train.epochs=1")));
        assertEquals(
                0,
                run(
                        "train",
                        with(
                                "magmap.train.epochs=1",
                                "magmap.train.init-model=train",
                                "magmap.train.learning-rate=1e-9",
                                "magmap.train.output-dir=train-tuned",
                                "magmap.train.checkpoint-dir=ckpt-tuned")));
        MultiLayerNetwork trained = ModelSerializer.restoreMultiLayerNetwork(
                dir.resolve("train/model.zip").toFile());
        MultiLayerNetwork tuned = ModelSerializer.restoreMultiLayerNetwork(
                dir.resolve("train-tuned/model.zip").toFile());
        INDArray before = trained.getParam("0_W");
        INDArray after = tuned.getParam("0_W");
        double moved = before.sub(after).norm2Number().doubleValue();
        assertTrue(moved < 1e-5 * before.norm2Number().doubleValue(), "the kernel moved by " + moved);
        JsonNode card =
                new ObjectMapper().readTree(dir.resolve("train-tuned/card.json").toFile());
        assertTrue(card.get("initialised-from").get("model").asText().endsWith("/train"), card.toString());
        JsonNode trainedCard =
                new ObjectMapper().readTree(dir.resolve("train/card.json").toFile());
        assertEquals(
                trainedCard.get("config-hash").asText(),
                card.get("initialised-from").get("config-hash").asText());

        // a model of another architecture is refused before any Spark work, naming its card
        String err = JobRuns.refused(
                dir,
                "train",
                "magmap.train.observables=[SYNC]",
                "magmap.train.cnn.block-channels=[8, 8, 8]",
                "magmap.train.cnn.dense-units=16",
                "magmap.train.init-model=train",
                "magmap.train.output-dir=train-wider");
        assertTrue(err.contains("train/card.json") && err.contains("architecture"), err);
    }

    /**
     * A stacked observable end to end: make-patches cuts the H I channel and the synchrotron map together, a
     * single-map ResNet is widened to the stack (init-model), and evaluate measures the widened model on the
     * stacked test patches with the dihedral mean. At a learning rate of 1e-9 the widened model's first kernels are
     * still the single-map model's for the H I channel and still zero for the synchrotron channel. The CNN, which
     * reads one map, refuses the stack.
     */
    @Test
    void aResNetWidenedToAStackOfTheHiChannelAndTheSynchrotronMap() throws Exception {
        assertEquals(0, run("train", with(TINY_CRESNET, "magmap.train.epochs=1")));
        assertEquals(
                0,
                run(
                        "make-patches",
                        "magmap.make-patches.patches-per-map=60",
                        "magmap.make-patches.observables=[\"HI_CH00+SYNC\"]",
                        "magmap.make-patches.target-maps=true",
                        "magmap.make-patches.output-dir=patches-stack"));
        String[] stack = {
            "magmap.train.input-dir=patches-stack",
            "magmap.train.observables=[\"HI_CH00+SYNC\"]",
            "magmap.train.epochs=1",
            "magmap.train.init-model=train",
            "magmap.train.learning-rate=1e-9",
            "magmap.train.output-dir=train-stack",
            "magmap.train.checkpoint-dir=ckpt-stack"
        };
        assertEquals(0, run("train", with(TINY_CRESNET, stack)));
        JsonNode card =
                new ObjectMapper().readTree(dir.resolve("train-stack/card.json").toFile());
        assertEquals(
                "[\"HI_CH00+SYNC\"]",
                card.get("inputs").get("image").get("observables").toString());
        assertEquals("[2,32,32]", card.get("inputs").get("image").get("shape").toString());
        INDArray single = ModelSerializer.restoreComputationGraph(
                        dir.resolve("train/model.zip").toFile())
                .getLayer("enc_conv")
                .getParam("W");
        INDArray widened = ModelSerializer.restoreComputationGraph(
                        dir.resolve("train-stack/model.zip").toFile())
                .getLayer("enc_conv")
                .getParam("W");
        assertArrayEquals(new long[] {4, 2, 7, 7}, widened.shape());
        INDArray hi =
                widened.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray sync =
                widened.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.all());
        double moved = hi.sub(single).norm2Number().doubleValue();
        assertTrue(moved < 1e-5 * single.norm2Number().doubleValue(), "the H I kernels moved by " + moved);
        assertTrue(sync.amaxNumber().doubleValue() < 1e-6, "the synchrotron kernels left zero: " + sync);

        assertEquals(
                0,
                run(
                        "evaluate",
                        "magmap.evaluate.input-dir=patches-stack",
                        "magmap.evaluate.model-dir=train-stack",
                        "magmap.evaluate.output-dir=evaluate-stack",
                        "magmap.evaluate.dihedral-mean=true",
                        "magmap.evaluate.max-patches-per-split=20"));
        JsonNode evaluation = new ObjectMapper()
                .readTree(dir.resolve("evaluate-stack/evaluation.json").toFile());
        assertEquals(
                20 * 32 * 32, evaluation.get("test").get("all").get("pixels").asLong());

        String err = JobRuns.refused(
                dir,
                "train",
                "magmap.train.input-dir=patches-stack",
                "magmap.train.observables=[\"HI_CH00+SYNC\"]",
                "magmap.train.output-dir=train-cnn-stack");
        assertTrue(err.contains("cnn") && err.contains("stack"), err);
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
        state = findState(); // the newest committed epoch, now that nothing moves
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
            // Only committed epochs (epoch-0001/state.json), not one being written under a hidden name.
            return s.filter(f -> f.getFileName().toString().equals("state.json")
                            && f.getParent().getFileName().toString().matches("epoch-\\d+"))
                    .max(java.util.Comparator.comparing(Path::toString))
                    .orElse(null);
        } catch (java.io.UncheckedIOException e) {
            return null; // a file was renamed while walking: look again
        }
    }
}
