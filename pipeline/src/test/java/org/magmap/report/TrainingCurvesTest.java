package org.magmap.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.magmap.artifact.TrainingHistory;

/** The training curves drawn from a train output's history. */
class TrainingCurvesTest {
    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    private static byte[] trainingCurves(JsonNode history, String unit) {
        return TrainingCurves.png(TrainingHistory.of("history.json", history), unit);
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
                javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(trainingCurves(history, "uG")));
        assertEquals(2 * org.magmap.plot.Figures.PANEL_WIDTH, im.getWidth(), "an MSE panel and an R^2 panel");
        assertEquals(org.magmap.plot.Figures.PANEL_HEIGHT, im.getHeight());
    }
}
