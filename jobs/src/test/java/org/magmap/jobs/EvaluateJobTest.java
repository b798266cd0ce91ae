package org.magmap.jobs;

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
}
