package org.magmap.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.magmap.ops.BadInputException;
import org.magmap.ops.Json;

/**
 * Reading and writing the JSON behind every artifact: one header for all (kind, schema version, the producing
 * configuration's hash, the magmap version, the time), and a read that names the file when it is missing,
 * unreadable, of another kind or of a newer schema than this magmap reads.
 */
public final class ArtifactFiles {
    /** The schema version every artifact writes today. Readers accept this and older ones. */
    public static final int SCHEMA_VERSION = 1;

    private ArtifactFiles() {}

    /** The fields every artifact starts with. */
    public static Map<String, Object> header(String kind, String configHash, String magmapVersion) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("schema-version", SCHEMA_VERSION);
        m.put("config-hash", configHash);
        m.put("magmap-version", magmapVersion);
        m.put("created", Instant.now().toString());
        return m;
    }

    /**
     * Reads an artifact's JSON, failing as bad input with the file named and {@code hintIfMissing} (e.g. "run
     * 'observe' first") when it is not there.
     *
     * @param kind the kind its header must state
     */
    static JsonNode read(Path file, String kind, String hintIfMissing) {
        JsonNode node = json(file, hintIfMissing);
        if (!node.isObject()) {
            throw new BadInputException(file.toString(), "is not a JSON object");
        }
        String found = node.path("kind").asText("");
        if (!found.equals(kind)) {
            throw new BadInputException(
                    file.toString(), "field 'kind' is '" + found + "', expected '" + kind + "' (the wrong file?)");
        }
        int version = node.path("schema-version").asInt(0);
        if (version > SCHEMA_VERSION) {
            throw new BadInputException(
                    file.toString(),
                    "field 'schema-version' is " + version + ": written by a newer magmap (this one reads up to "
                            + SCHEMA_VERSION + ")");
        }
        return node;
    }

    /** A JSON file's content, failing as bad input with the file named when it is missing or unreadable. */
    static JsonNode json(Path file, String hintIfMissing) {
        try {
            FileSystem fs = file.getFileSystem(new Configuration());
            if (!fs.exists(file)) {
                throw new BadInputException(file.toString(), "not found: " + hintIfMissing);
            }
            return Json.read(fs, file);
        } catch (IOException e) {
            throw new BadInputException(file.toString(), "cannot be read: " + e.getMessage(), e);
        }
    }

    /** A required text field. */
    static String text(JsonNode node, String field, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.isValueNode()) {
            throw new BadInputException(file.toString(), "lacks the field '" + field + "'");
        }
        return v.asText();
    }

    /** Writes an artifact (its header first, then its entries) to {@code file}, replacing it. */
    static void write(FileSystem fs, Path file, Map<String, Object> header, Map<String, Object> entries)
            throws IOException {
        Map<String, Object> all = new LinkedHashMap<>(header);
        all.putAll(entries);
        Json.write(fs, file, all);
    }
}
