package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.magmap.ops.BadInputException;

class EvaluateJobTest {
    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    private static final String CARD = "{\"patch-size\": 32, \"inputs\": {\"image\": {\"normalization\": \"zscore\","
            + " \"observables\": [\"SYNC\"]}}}";

    @Test
    void aModelOnlyAcceptsDataLikeItsTrainingData() throws Exception {
        EvaluateJob.checkCardMatchesData(
                json(CARD),
                json("{\"patch-size\": 32, \"normalization\": \"zscore\", \"observables\": [\"SYNC\"]}"),
                "card.json");
        BadInputException size = assertThrows(
                BadInputException.class,
                () -> EvaluateJob.checkCardMatchesData(
                        json(CARD),
                        json("{\"patch-size\": 48, \"normalization\": \"zscore\", \"observables\": [\"SYNC\"]}"),
                        "card.json"));
        assertTrue(size.getMessage().contains("32-pixel") && size.getMessage().contains("48"), size.getMessage());
        BadInputException norm = assertThrows(
                BadInputException.class,
                () -> EvaluateJob.checkCardMatchesData(
                        json(CARD),
                        json("{\"patch-size\": 32, \"normalization\": \"max\", \"observables\": [\"SYNC\"]}"),
                        "card.json"));
        assertTrue(norm.getMessage().contains("zscore"), norm.getMessage());
        BadInputException obs = assertThrows(
                BadInputException.class,
                () -> EvaluateJob.checkCardMatchesData(
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
        EvaluateJob.checkEnsembleMember(card, card.deepCopy(), "a/card.json", "b/card.json");

        JsonNode rescaled = json(
                "{\"model\": \"cresnet\", \"patch-size\": 32, " + inputs + ", " + target.replace("4.2", "3.9") + "}");
        BadInputException scaling = assertThrows(
                BadInputException.class,
                () -> EvaluateJob.checkEnsembleMember(card, rescaled, "a/card.json", "b/card.json"));
        assertTrue(
                scaling.getMessage().contains("b/card.json")
                        && scaling.getMessage().contains("'target'"),
                scaling.getMessage());
        JsonNode otherMap = json("{\"model\": \"cresnet\", \"patch-size\": 32, " + inputs.replace("HI_CH01", "SYNC")
                + ", " + target + "}");
        BadInputException input = assertThrows(
                BadInputException.class,
                () -> EvaluateJob.checkEnsembleMember(card, otherMap, "a/card.json", "b/card.json"));
        assertTrue(input.getMessage().contains("'inputs'"), input.getMessage());
        BadInputException cnn = assertThrows(
                BadInputException.class,
                () -> EvaluateJob.checkEnsembleMember(
                        card, json("{\"model\": \"cnn\"}"), "a/card.json", "b/card.json"));
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
        EvaluateJob.checkDihedralMeanApplies(cresnet, json("{\"rotate\": true}"), "card.json");
        EvaluateJob.checkDihedralMeanApplies(cresnet, json("{}"), "card.json"); // older manifests: rotated
        EvaluateJob.checkDihedralMeanApplies(
                json("{\"model\": \"cresnet\", \"dihedral-augmentation\": true}"),
                json("{\"rotate\": false}"),
                "card.json");
        BadInputException upright = assertThrows(
                BadInputException.class,
                () -> EvaluateJob.checkDihedralMeanApplies(cresnet, json("{\"rotate\": false}"), "card.json"));
        assertTrue(upright.getMessage().contains("magmap.evaluate.dihedral-mean"), upright.getMessage());
        assertTrue(upright.getMessage().contains("rotate = false"), upright.getMessage());
        BadInputException cnn = assertThrows(
                BadInputException.class,
                () -> EvaluateJob.checkDihedralMeanApplies(
                        json("{\"model\": \"cnn\"}"), json("{\"rotate\": true}"), "card.json"));
        assertTrue(cnn.getMessage().contains("'cnn'"), cnn.getMessage());
    }

    /**
     * The CSV header names every value a row writes (the first cut wrote r2 without a header column): a group
     * with truth 1, 2, 3, 4, predictions 1, 2, 3, 5 (MSE 0.25, R^2 0.8, training mean 2.5 -> 1.25, see
     * MetricsTest) and a baseline on two patches with errors 1 and 3 (MSE 5).
     */
    @Test
    void tableRowsHaveTheHeadersColumnsWithTheBaselineBesideTheModel() {
        org.magmap.evaluate.ComparisonAccumulator acc = new org.magmap.evaluate.ComparisonAccumulator(
                new org.magmap.evaluate.ComparisonAccumulator.Settings(2.5, 5, 500, 0, 8, 4));
        double[] truth = {1, 2, 3, 4};
        double[] model = {1, 2, 3, 5};
        double[] baseline = {2, Double.NaN, 6, Double.NaN};
        for (int i = 0; i < 4; i++) {
            acc.add("g", truth[i], model[i], baseline[i]);
        }
        String row = EvaluateJob.tableRow("test", "unseen-b4", acc.result().get("g"));
        String[] header = ("split,simulation," + EvaluateJob.TABLE_COLUMNS).split(",");
        String[] values = row.strip().split(",", -1);
        assertEquals(header.length, values.length, row);
        java.util.Map<String, String> v = new java.util.HashMap<>();
        for (int i = 0; i < header.length; i++) {
            v.put(header[i], values[i]);
        }
        assertEquals(4, Long.parseLong(v.get("patches")));
        assertEquals(0.25, Double.parseDouble(v.get("mse")), 1e-9);
        assertEquals(0.8, Double.parseDouble(v.get("r2")), 1e-9);
        assertEquals(1.25, Double.parseDouble(v.get("mse_of_training_mean")), 1e-9);
        assertEquals(2, Long.parseLong(v.get("equipartition_patches")));
        assertEquals(5.0, Double.parseDouble(v.get("equipartition_mse")), 1e-9);

        org.magmap.evaluate.ComparisonAccumulator none = new org.magmap.evaluate.ComparisonAccumulator(
                new org.magmap.evaluate.ComparisonAccumulator.Settings(2.5, 5, 500, 0, 8, 4));
        none.add("g", 1, 1.5, Double.NaN);
        String[] empty = EvaluateJob.tableRow("test", "x", none.result().get("g"))
                .strip()
                .split(",", -1);
        assertEquals(header.length, empty.length);
        assertEquals("", empty[empty.length - 1], "no baseline: empty cells, not NaN");
    }

    @Test
    void trainingCurvesPlotEveryErrorAndScoreInTheHistory() throws Exception {
        // history.json as train writes it, plus a training loss (a future model may log one): MSE-like
        // curves share one panel, R^2 gets its own, timings are not curves.
        JsonNode history = json("[{\"epoch\": 1, \"validation-mse\": 2.0, \"validation-r2\": 0.1,"
                + " \"training-loss\": 3.0, \"seconds\": 9},"
                + " {\"epoch\": 2, \"validation-mse\": 1.0, \"validation-r2\": 0.5, \"training-loss\": 1.5,"
                + " \"seconds\": 8}]");
        java.awt.image.BufferedImage im =
                javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(EvaluateJob.trainingCurves(history, "uG")));
        assertEquals(2 * org.magmap.plot.Figures.PANEL_WIDTH, im.getWidth(), "an MSE panel and an R^2 panel");
        assertEquals(org.magmap.plot.Figures.PANEL_HEIGHT, im.getHeight());
    }

    @Test
    void theDensityGridWidensTheTrueRangeByAQuarterEachSide() {
        // truth 1..5 uG: span 4, so [0, 6); one value only: a span of max(|value|, 1)
        assertEquals(0.0, EvaluateJob.densityRange(1, 5)[0], 1e-12);
        assertEquals(6.0, EvaluateJob.densityRange(1, 5)[1], 1e-12);
        assertEquals(3.0, EvaluateJob.densityRange(4, 4)[0], 1e-12);
        assertEquals(5.0, EvaluateJob.densityRange(4, 4)[1], 1e-12);
    }
}
