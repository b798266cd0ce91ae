package org.magmap.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.magmap.ops.BadInputException;
import org.magmap.ops.Json;
import org.magmap.ops.OutputFiles;

/**
 * The record a scheduled run keeps beside its outputs ({@value #FILE}): for every input it has seen, what the
 * input was (size, modification time, content fingerprint), which model and configuration processed it, where
 * the output went, and how it ended. The next run reads it to process only what is new or changed. Replaced
 * atomically after every input, so a run killed at any point leaves the ledger of the inputs it finished.
 *
 * @param file where it was read from or goes (for messages)
 * @param entries by input path, in path order
 */
public record RunLedger(String file, Map<String, Entry> entries) {
    /** The ledger's file name in a nightly output. */
    public static final String FILE = "ledger.json";

    static final String KIND = "magmap-nightly-ledger";

    /** How an input's last processing ended. */
    public enum Status {
        /** Every map was written and committed. */
        OK,
        /** Committed, but some of its windows failed (named in its output's summary). */
        PARTIAL,
        /** Nothing was committed for it: the reason is in the entry's error. */
        FAILED
    }

    /**
     * One input as last processed.
     *
     * @param input the input's path
     * @param size its length in bytes
     * @param modified its modification time, ms since the epoch
     * @param fingerprint SHA-256 of its content, hex ("" if it could not be read)
     * @param modelHash SHA-256 of the model that processed it
     * @param configHash hash of the processing settings
     * @param output its committed output directory ("" if none)
     * @param status how it ended
     * @param runId the run that processed it
     * @param finished when (ISO-8601)
     * @param seconds how long it took
     * @param error why it failed, or ""
     */
    public record Entry(
            String input,
            long size,
            long modified,
            String fingerprint,
            String modelHash,
            String configHash,
            String output,
            Status status,
            String runId,
            String finished,
            double seconds,
            String error) {
        /** This entry for the same content found with another size or modification time (a touched file). */
        public Entry seenAs(long newSize, long newModified) {
            return new Entry(
                    input,
                    newSize,
                    newModified,
                    fingerprint,
                    modelHash,
                    configHash,
                    output,
                    status,
                    runId,
                    finished,
                    seconds,
                    error);
        }
    }

    /** A ledger with no entries (before the first run). */
    public static RunLedger empty(String file) {
        return new RunLedger(file, Map.of());
    }

    /** Reads the ledger in {@code dir}, or an empty one when there is none yet. */
    public static RunLedger read(FileSystem fs, Path dir) {
        // Qualified: the artifact reader opens the file by its URI, on the file system that holds it.
        Path path = fs.makeQualified(new Path(dir, FILE));
        try {
            if (!fs.exists(path)) {
                return empty(path.toString());
            }
        } catch (IOException e) {
            throw new BadInputException(path.toString(), "cannot be read: " + e.getMessage(), e);
        }
        JsonNode node = ArtifactFiles.read(path, KIND, "");
        Map<String, Entry> entries = new TreeMap<>();
        for (JsonNode e : node.path("inputs")) {
            try {
                Entry entry = Json.mapper().treeToValue(e, Entry.class);
                entries.put(entry.input(), entry);
            } catch (IOException | IllegalArgumentException ex) {
                throw new BadInputException(path.toString(), "has an unreadable input entry: " + ex.getMessage(), ex);
            }
        }
        return new RunLedger(path.toString(), java.util.Collections.unmodifiableMap(entries));
    }

    /** This ledger with {@code entry} added or replacing the input's earlier one. */
    public RunLedger with(Entry entry) {
        Map<String, Entry> next = new TreeMap<>(entries);
        next.put(entry.input(), entry);
        return new RunLedger(file, java.util.Collections.unmodifiableMap(next));
    }

    /** The input's entry, or null if it was never processed. */
    public Entry entry(String input) {
        return entries.get(input);
    }

    /** Writes the ledger into {@code dir}, replacing the earlier one atomically. */
    public void write(FileSystem fs, Path dir, String magmapVersion) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>(ArtifactFiles.header(KIND, "", magmapVersion));
        List<Entry> list = new ArrayList<>(entries.values());
        all.put("inputs", list);
        OutputFiles.replaceAtomically(fs, new Path(dir, FILE), Json.mapper().writeValueAsBytes(all));
    }
}
