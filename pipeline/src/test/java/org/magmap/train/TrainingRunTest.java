package org.magmap.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.magmap.artifact.ModelCard;
import org.magmap.artifact.PatchManifest;
import org.magmap.conf.MagmapConfig;
import org.magmap.ops.BadInputException;
import org.magmap.ops.Json;

/**
 * The one-training-task-per-executor rule, read off the master and the Spark settings a job would be given; the
 * checks on a model to start from.
 */
class TrainingRunTest {
    /** The check train runs on the card of magmap.train.init-model against this run's settings and patches. */
    private static void checkInitialModel(
            JsonNode card, String cardName, TrainSettings settings, List<String> observables, JsonNode data) {
        ModelCard.of(cardName, card)
                .checkCanStart(
                        settings.model(),
                        settings.target(),
                        settings.model().equals(ModelCard.CNN) ? settings.cnn() : settings.cresnet(),
                        observables,
                        PatchManifest.of("data/manifest.json", data));
    }

    private static void check(SparkConf conf, String master) {
        TrainingRun.requireOneTaskPerExecutor(conf, master, "magmap.train.distribution = gradient-sharing", "why");
    }

    @Test
    void clusterExecutorsWithSeveralTaskSlotsAreRefusedUntilATaskTakesAllCores() {
        SparkConf fourCores = new SparkConf().set("spark.executor.cores", "4");
        BadInputException refused = assertThrows(BadInputException.class, () -> check(fourCores, "spark://head:7077"));
        assertTrue(refused.getMessage().contains("spark.task.cpus=4"), refused.getMessage());
        assertTrue(refused.getMessage().contains("gradient-sharing"), refused.getMessage());
        assertDoesNotThrow(() -> check(fourCores.clone().set("spark.task.cpus", "4"), "spark://head:7077"));
    }

    @Test
    void localModeCountsItsThreads() {
        assertDoesNotThrow(() -> check(new SparkConf(), "local"));
        assertDoesNotThrow(() -> check(new SparkConf(), "local[1]"));
        assertThrows(BadInputException.class, () -> check(new SparkConf(), "local[2]"));
        assertDoesNotThrow(() -> check(new SparkConf().set("spark.task.cpus", "2"), "local[2]"));
    }

    private static TrainSettings resnet(Map<String, String> more) {
        Map<String, String> o = new java.util.HashMap<>(Map.of(
                "magmap.train.model", "cresnet",
                "magmap.train.cresnet.base-channels", "8",
                "magmap.train.learning-rate", "1e-3"));
        o.putAll(more);
        return TrainSettings.from(MagmapConfig.load(List.of(), o).section("magmap.train"), 32);
    }

    /** A card as train writes it for a model trained with {@code trained}'s settings on HI_CH01, zscore. */
    private static ObjectNode card(TrainSettings trained) {
        ObjectNode card = Json.mapper().createObjectNode();
        card.put("model", trained.model());
        card.put("patch-size", 32);
        ObjectNode image = card.putObject("inputs").putObject("image");
        image.put("normalization", "zscore");
        image.putArray("observables").add("HI_CH01");
        card.set("architecture", Json.mapper().valueToTree(trained.cresnet()));
        return card;
    }

    /** A make-patches manifest of two H I channels with target maps, normalised as given. */
    private static JsonNode data(String normalization) {
        ObjectNode m = Json.mapper().createObjectNode().put("patch-size", 32).put("normalization", normalization);
        m.put("target-maps", true);
        m.putArray("observables").add("HI_CH00").add("HI_CH01");
        return m;
    }

    private static final JsonNode DATA = data("zscore");

    @Test
    void aModelToStartFromMustTakeTheSameInputAndArchitecture() {
        TrainSettings run = resnet(Map.of());
        List<String> input = List.of("HI_CH01");
        // another learning rate is this run's to choose
        TrainSettings slower = resnet(Map.of("magmap.train.learning-rate", "2e-4"));
        assertDoesNotThrow(() -> checkInitialModel(card(slower), "init/card.json", run, input, DATA));

        BadInputException wider = assertThrows(
                BadInputException.class,
                () -> checkInitialModel(
                        card(resnet(Map.of("magmap.train.cresnet.base-channels", "16"))),
                        "init/card.json",
                        run,
                        input,
                        DATA));
        assertTrue(wider.getMessage().contains("init/card.json"), wider.getMessage());
        assertTrue(wider.getMessage().contains("architecture"), wider.getMessage());

        BadInputException channel = assertThrows(
                BadInputException.class,
                () -> checkInitialModel(card(run), "init/card.json", run, List.of("HI_CH00"), DATA));
        assertTrue(channel.getMessage().contains("HI_CH01"), channel.getMessage());

        ObjectNode cnn = card(run).put("model", "cnn");
        BadInputException kind =
                assertThrows(BadInputException.class, () -> checkInitialModel(cnn, "init/card.json", run, input, DATA));
        assertTrue(kind.getMessage().contains("'cnn'"), kind.getMessage());

        JsonNode max = data("max");
        BadInputException norm = assertThrows(
                BadInputException.class, () -> checkInitialModel(card(run), "init/card.json", run, input, max));
        assertTrue(norm.getMessage().contains("zscore"), norm.getMessage());
    }

    /**
     * A single-map ResNet may start a run on a stack that begins with its map (the added map's kernels start at
     * zero); a stack in the other order, or a CNN, may not.
     */
    @Test
    void aResNetMayStartAStackThatBeginsWithItsMap() {
        TrainSettings single = resnet(Map.of());
        TrainSettings stacked = single.withInputChannels(2);
        ObjectNode stackData = (ObjectNode) data("zscore");
        stackData.putArray("observables").add("HI_CH01+SYNC").add("SYNC+HI_CH01");
        assertDoesNotThrow(
                () -> checkInitialModel(card(single), "init/card.json", stacked, List.of("HI_CH01+SYNC"), stackData));
        BadInputException reversed = assertThrows(
                BadInputException.class,
                () -> checkInitialModel(card(single), "init/card.json", stacked, List.of("SYNC+HI_CH01"), stackData));
        assertTrue(reversed.getMessage().contains("HI_CH01"), reversed.getMessage());
        assertTrue(ModelCard.widens("cresnet", List.of("HI_CH01"), List.of("HI_CH01+SYNC")));
        assertTrue(ModelCard.widens("cresnet", List.of("HI_CH01+SYNC"), List.of("HI_CH01+SYNC+HI_CH00")));
        assertFalse(ModelCard.widens("cnn", List.of("HI_CH01"), List.of("HI_CH01+SYNC")));
        assertFalse(ModelCard.widens("cresnet", List.of("HI_CH01"), List.of("HI_CH01")));
        assertThrows(IllegalArgumentException.class, () -> resnet(Map.of("magmap.train.model", "cnn"))
                .withInputChannels(2));
    }
}
