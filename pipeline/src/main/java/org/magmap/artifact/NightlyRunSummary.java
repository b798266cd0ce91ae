package org.magmap.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.magmap.ops.BadInputException;
import org.magmap.ops.Json;
import org.magmap.ops.OutputFiles;

/**
 * What one scheduled run did ({@code runs/<run id>.json} in a nightly output): how many inputs it processed,
 * skipped and lost, and for each input what it decided and why, how it ended and the error. Kept for every
 * run, so an operator can read the history of a survey's reprocessing.
 *
 * @param runId the run's id (its start time, UTC, and a random suffix)
 * @param started when it started (ISO-8601)
 * @param finished when it ended
 * @param processed inputs processed to a committed output
 * @param skipped inputs left as they were (unchanged since their last run)
 * @param failed inputs processed without a committed output, or partly
 * @param inputs one line per input
 */
public record NightlyRunSummary(
        String runId, String started, String finished, int processed, int skipped, int failed, List<Input> inputs) {
    /** The folder of run summaries in a nightly output. */
    public static final String DIRECTORY = "runs";

    static final String KIND = "magmap-nightly-run";

    /**
     * One input in one run.
     *
     * @param input its path
     * @param action "processed" or "skipped"
     * @param reason why (new, changed, model changed, unchanged, ...)
     * @param status how processing ended (OK, PARTIAL, FAILED; "" when skipped)
     * @param seconds how long it took
     * @param error the failure, or ""
     */
    public record Input(String input, String action, String reason, String status, double seconds, String error) {}

    /** Writes this summary into {@code runs/} of the nightly output {@code dir}; returns its path. */
    public Path write(FileSystem fs, Path dir, String magmapVersion) throws IOException {
        Path runs = new Path(dir, DIRECTORY);
        OutputFiles.mkdirs(fs, runs, "the run summaries' directory");
        Map<String, Object> all = new LinkedHashMap<>(ArtifactFiles.header(KIND, "", magmapVersion));
        all.put("run", this);
        Path file = new Path(runs, runId + ".json");
        OutputFiles.replaceAtomically(fs, file, Json.mapper().writeValueAsBytes(all));
        return file;
    }

    /** Reads a run summary written by {@link #write}. */
    public static NightlyRunSummary read(Path file) {
        JsonNode node = ArtifactFiles.read(file, KIND, "no such run");
        try {
            return Json.mapper().treeToValue(node.path("run"), NightlyRunSummary.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException(file.toString(), "is not a readable run summary: " + e.getMessage(), e);
        }
    }
}
