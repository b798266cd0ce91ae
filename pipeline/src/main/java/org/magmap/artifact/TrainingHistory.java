package org.magmap.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.magmap.ops.BadInputException;
import org.magmap.ops.Json;

/**
 * A train output's per-epoch record ({@code history.json}, a JSON array, one object per epoch): the epoch number,
 * the validation figures the network kind reports (losses, MSEs, R^2, PSNR), samples fitted, throughput and
 * seconds. Written by {@code train}, read by {@code evaluate} for the training curves.
 *
 * @param file where it was read from (for messages)
 * @param epochs each epoch's numeric figures by name, in epoch order
 */
public record TrainingHistory(String file, List<Map<String, Double>> epochs) {
    /** The history's file name in a train output. */
    public static final String FILE = "history.json";

    /** Reads the history of the train output {@code dir}. */
    public static TrainingHistory read(String dir) {
        Path path = new Path(dir, FILE);
        // No header: the history is a bare array of epochs (its format predates the artifact headers).
        JsonNode node = ArtifactFiles.json(path, "run 'train' first");
        return of(path.toString(), node);
    }

    /** The history from its JSON, read from {@code file}. */
    public static TrainingHistory of(String file, JsonNode node) {
        if (!node.isArray()) {
            throw new BadInputException(file, "is not a JSON array of epochs");
        }
        List<Map<String, Double>> epochs = new ArrayList<>();
        for (JsonNode epoch : node) {
            Map<String, Double> figures = new LinkedHashMap<>();
            epoch.fields().forEachRemaining(f -> {
                if (f.getValue().isNumber()) {
                    figures.put(f.getKey(), f.getValue().asDouble());
                }
            });
            if (!figures.containsKey("epoch")) {
                throw new BadInputException(file, "has an entry without the field 'epoch'");
            }
            epochs.add(figures);
        }
        return new TrainingHistory(file, List.copyOf(epochs));
    }

    /** Writes {@code epochs} (each epoch's entries, "epoch" first) as the history of the train output {@code dir}. */
    public static void write(FileSystem fs, Path dir, List<Map<String, Object>> epochs) throws IOException {
        Json.write(fs, new Path(dir, FILE), epochs);
    }
}
