package org.magmap.artifact;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.magmap.ops.BadInputException;

/** The card's checks against patches, ensemble members and the dihedral mean, each naming the file and field. */
class ModelCardTest {
    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    private static final String CARD = "{\"patch-size\": 32, \"inputs\": {\"image\": {\"normalization\": \"zscore\","
            + " \"observables\": [\"SYNC\"]}}}";

    /** The check evaluate runs of a card against the patches it is given. */
    private static void checkCardMatchesData(JsonNode card, JsonNode data, String cardName) {
        ModelCard.of(cardName, card).checkMatchesPatches(PatchManifest.of("patches/manifest.json", data));
    }

    /** The check evaluate runs of an ensemble member's card against the first model's. */
    private static void checkEnsembleMember(JsonNode card, JsonNode member, String cardName, String memberName) {
        ModelCard.of(cardName, card)
                .checkEnsembleMember(ModelCard.of(memberName, member), "magmap.evaluate.ensemble-model-dirs");
    }

    /** The dihedral-mean check, against patches whose manifest holds only {@code data}'s rotate field. */
    private static void checkDihedralMeanApplies(JsonNode card, JsonNode data, String cardName) {
        PatchManifest patches = new PatchManifest(
                "patches/manifest.json",
                "",
                32,
                List.of("HI_CH01"),
                true,
                "zscore",
                data.path("rotate").asBoolean(true), // manifests before the field: rotation was the default
                "",
                0,
                Map.of(),
                List.of());
        ModelCard.of(cardName, card).checkDihedralMeanApplies(patches, "magmap.evaluate.dihedral-mean");
    }

    @Test
    void aModelOnlyAcceptsDataLikeItsTrainingData() throws Exception {
        checkCardMatchesData(
                json(CARD),
                json("{\"patch-size\": 32, \"normalization\": \"zscore\", \"observables\": [\"SYNC\"]}"),
                "card.json");
        BadInputException size = assertThrows(
                BadInputException.class,
                () -> checkCardMatchesData(
                        json(CARD),
                        json("{\"patch-size\": 48, \"normalization\": \"zscore\", \"observables\": [\"SYNC\"]}"),
                        "card.json"));
        assertTrue(size.getMessage().contains("32-pixel") && size.getMessage().contains("48"), size.getMessage());
        BadInputException norm = assertThrows(
                BadInputException.class,
                () -> checkCardMatchesData(
                        json(CARD),
                        json("{\"patch-size\": 32, \"normalization\": \"max\", \"observables\": [\"SYNC\"]}"),
                        "card.json"));
        assertTrue(norm.getMessage().contains("zscore"), norm.getMessage());
        BadInputException obs = assertThrows(
                BadInputException.class,
                () -> checkCardMatchesData(
                        json(CARD),
                        json("{\"patch-size\": 32, \"normalization\": \"zscore\", \"observables\": [\"HI_CH00\"]}"),
                        "card.json"));
        assertTrue(obs.getMessage().contains("HI_CH00"), obs.getMessage());
    }

    /**
     * An ensemble averages maps in training units, so its members must be cresnets with the same inputs and the same
     * target maps and scaling; a member trained on other data (another scaling), on another map, or a cnn is
     * refused with the member's card named.
     */
    @Test
    void anEnsemblesMembersTakeTheSameInputAndGiveTheSameMaps() throws Exception {
        String inputs = "\"inputs\": {\"image\": {\"normalization\": \"zscore\", \"observables\": [\"HI_CH01\"]}}";
        String target =
                "\"target\": {\"maps\": [\"t_cos2psi\", \"t_b_ug\"], \"offsets\": [0, 4.2]," + " \"scales\": [1, 1.6]}";
        JsonNode card = json("{\"model\": \"cresnet\", \"patch-size\": 32, " + inputs + ", " + target + "}");
        checkEnsembleMember(card, card.deepCopy(), "a/card.json", "b/card.json");

        JsonNode rescaled = json(
                "{\"model\": \"cresnet\", \"patch-size\": 32, " + inputs + ", " + target.replace("4.2", "3.9") + "}");
        BadInputException scaling = assertThrows(
                BadInputException.class, () -> checkEnsembleMember(card, rescaled, "a/card.json", "b/card.json"));
        assertTrue(
                scaling.getMessage().contains("b/card.json")
                        && scaling.getMessage().contains("'target'"),
                scaling.getMessage());
        JsonNode otherMap = json("{\"model\": \"cresnet\", \"patch-size\": 32, " + inputs.replace("HI_CH01", "SYNC")
                + ", " + target + "}");
        BadInputException input = assertThrows(
                BadInputException.class, () -> checkEnsembleMember(card, otherMap, "a/card.json", "b/card.json"));
        assertTrue(input.getMessage().contains("'inputs'"), input.getMessage());
        BadInputException cnn = assertThrows(
                BadInputException.class,
                () -> checkEnsembleMember(card, json("{\"model\": \"cnn\"}"), "a/card.json", "b/card.json"));
        assertTrue(cnn.getMessage().contains("ensemble-model-dirs"), cnn.getMessage());
    }

    /**
     * The mean over the eight symmetries is for an image-to-image model that saw turned patches: make-patches'
     * rotation or the training's dihedral augmentation. A cnn, or a model that saw only upright patches, is refused
     * with the setting named.
     */
    @Test
    void theDihedralMeanNeedsAnImageToImageModelTrainedOnTurnedPatches() throws Exception {
        JsonNode cresnet = json("{\"model\": \"cresnet\", \"dihedral-augmentation\": false}");
        checkDihedralMeanApplies(cresnet, json("{\"rotate\": true}"), "card.json");
        checkDihedralMeanApplies(cresnet, json("{}"), "card.json"); // older manifests: rotated
        checkDihedralMeanApplies(
                json("{\"model\": \"cresnet\", \"dihedral-augmentation\": true}"),
                json("{\"rotate\": false}"),
                "card.json");
        BadInputException upright = assertThrows(
                BadInputException.class,
                () -> checkDihedralMeanApplies(cresnet, json("{\"rotate\": false}"), "card.json"));
        assertTrue(upright.getMessage().contains("magmap.evaluate.dihedral-mean"), upright.getMessage());
        assertTrue(upright.getMessage().contains("rotate = false"), upright.getMessage());
        BadInputException cnn = assertThrows(
                BadInputException.class,
                () -> checkDihedralMeanApplies(json("{\"model\": \"cnn\"}"), json("{\"rotate\": true}"), "card.json"));
        assertTrue(cnn.getMessage().contains("'cnn'"), cnn.getMessage());
    }
}
