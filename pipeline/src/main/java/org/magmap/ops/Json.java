package org.magmap.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Manifests and cards as pretty JSON, on any Hadoop file system. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Json() {}

    /** The shared mapper (records and maps serialise as objects). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Writes {@code value} to {@code file}, replacing it. */
    public static void write(FileSystem fs, Path file, Object value) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            MAPPER.writeValue(out, value);
        }
    }

    /** Reads a JSON file into a tree. */
    public static com.fasterxml.jackson.databind.JsonNode read(FileSystem fs, Path file) throws IOException {
        try (var in = fs.open(file)) {
            return MAPPER.readTree(in);
        }
    }
}
