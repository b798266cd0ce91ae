package org.magmap.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What {@code evaluate} writes for people and later stages ({@code evaluation.json}): which model card and data
 * it measured, how it predicted, and the metrics per split, by group (simulation, view, noise level, trained or
 * unseen map) and overall.
 *
 * @param file the summary itself (for messages)
 * @param configHash the hash of the evaluate configuration that wrote it
 * @param modelCardConfigHash the config hash of the card of the model measured
 * @param model the network kind measured ({@link ModelCard#CNN}, {@link ModelCard#CRESNET})
 * @param node the whole JSON, for the per-split metrics (their form differs by network kind)
 */
public record EvaluationSummary(
        String file, String configHash, String modelCardConfigHash, String model, JsonNode node) {
    /** The summary's file name in an evaluate output. */
    public static final String FILE = "evaluation.json";

    public static final String KIND = "magmap evaluation";

    /** One split's metrics (missing node where the split was not evaluated). */
    public JsonNode split(String split) {
        return node.path(split);
    }

    /** Reads the summary of the evaluate output {@code dir}. */
    public static EvaluationSummary read(String dir) {
        Path path = new Path(dir, FILE);
        JsonNode m = ArtifactFiles.read(path, KIND, "run 'evaluate' first");
        return new EvaluationSummary(
                path.toString(),
                m.path("config-hash").asText(""),
                ArtifactFiles.text(m, "model-card-config-hash", path),
                m.path("model").asText(ModelCard.CNN), // CNN summaries before the field
                m);
    }

    /**
     * Writes a summary into {@code dir}.
     *
     * @param entries what was measured and how, then the metrics per split
     */
    public static void write(FileSystem fs, Path dir, Map<String, Object> header, Map<String, Object> entries)
            throws IOException {
        ArtifactFiles.write(fs, new Path(dir, FILE), header, entries);
    }
}
