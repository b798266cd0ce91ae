package org.magmap.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.magmap.observe.Angles;
import org.magmap.observe.ObserveWork.ViewResult;
import org.magmap.ops.BadInputException;

/**
 * What {@code observe} hands to {@code make-patches} and {@code evaluate}: one map file per cube x view, with the
 * maps (FITS EXTNAMEs) it holds.
 *
 * @param file the manifest itself (for messages)
 * @param configHash the hash of the observe configuration that wrote it
 * @param maps the map files, in the order observe wrote them
 */
public record ObserveManifest(String file, String configHash, List<MapFile> maps) {
    /** The manifest's file name in an observe output. */
    public static final String FILE = "manifest.json";
    /** The sub-directory of the map files. */
    public static final String MAPS = org.magmap.observe.ObserveWork.MAPS;

    public static final String KIND = "magmap observe output";

    /**
     * One map file.
     *
     * @param runId the simulation run
     * @param view the view's name (e.g. {@code i90-pa0})
     * @param path the file, as a full Hadoop path
     * @param maps the maps it holds
     */
    public record MapFile(String runId, String view, String path, List<String> maps) {
        /** Whether the file holds a map of this name. */
        public boolean has(String map) {
            return maps.contains(map);
        }
    }

    /** Whether an observe output is there to read (evaluate's whole-map baseline is optional). */
    public static boolean exists(String dir, org.apache.hadoop.conf.Configuration hadoop) throws IOException {
        Path path = new Path(dir, FILE);
        return path.getFileSystem(hadoop).exists(path);
    }

    /** Reads the manifest of the observe output {@code dir}; refuses one that lists no map files. */
    public static ObserveManifest read(String dir) {
        Path path = new Path(dir, FILE);
        JsonNode m = ArtifactFiles.read(path, KIND, "run 'observe' first");
        List<MapFile> maps = new ArrayList<>();
        for (JsonNode entry : m.path("maps")) {
            List<String> names = new ArrayList<>();
            entry.path("maps").forEach(n -> names.add(n.asText()));
            maps.add(new MapFile(
                    ArtifactFiles.text(entry, "runId", path),
                    entry.path("view").asText(""),
                    new Path(dir, ArtifactFiles.text(entry, "file", path)).toString(),
                    List.copyOf(names)));
        }
        if (maps.isEmpty()) {
            throw new BadInputException(path.toString(), "field 'maps' lists no map files");
        }
        return new ObserveManifest(path.toString(), m.path("config-hash").asText(""), List.copyOf(maps));
    }

    /** Writes the manifest of an observe output into {@code dir}. */
    public static void write(FileSystem fs, Path dir, Map<String, Object> header, List<ViewResult> results)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("angle-convention", Angles.PSI_CONVENTION);
        m.put("maps", results);
        ArtifactFiles.write(fs, new Path(dir, FILE), header, m);
    }
}
