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
import org.magmap.sim.SimulationRunner;

/**
 * What {@code simulate} hands to {@code observe}: the cube files of a suite (with each run's parameters and
 * measured statistics, for people; readers need only the files).
 *
 * @param file the manifest itself (for messages)
 * @param cubeFiles every run's cube, as a full Hadoop path
 */
public record SimulateManifest(String file, List<String> cubeFiles) {
    /** The manifest's file name in a simulate output. */
    public static final String FILE = "manifest.json";
    /** The sub-directory of the cubes. */
    public static final String CUBES = "cubes";

    public static final String KIND = "magmap simulate output";

    /** Reads the manifest of the simulate output {@code dir}; refuses one that lists no runs. */
    public static SimulateManifest read(String dir) {
        Path path = new Path(dir, FILE);
        JsonNode m = ArtifactFiles.read(path, KIND, "run 'simulate' first, or list cube files in magmap.observe.cubes");
        List<String> files = new ArrayList<>();
        for (JsonNode run : m.path("runs")) {
            files.add(new Path(dir, ArtifactFiles.text(run, "file", path)).toString());
        }
        if (files.isEmpty()) {
            throw new BadInputException(path.toString(), "field 'runs' lists no runs");
        }
        return new SimulateManifest(path.toString(), files);
    }

    /** Writes the manifest of a suite into {@code dir}. */
    public static void write(
            FileSystem fs, Path dir, Map<String, Object> header, List<SimulationRunner.Result> results, double seconds)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("units", Map.of("dens", "g cm-3", "velx/vely/velz", "km s-1", "magx/magy/magz", "uG", "cell size", "pc"));
        List<Map<String, Object>> runs = new ArrayList<>();
        for (SimulationRunner.Result r : results) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("run-id", r.runId());
            run.put("file", CUBES + "/" + r.fileName());
            run.put("bytes", r.bytes());
            run.put("seconds", r.seconds());
            run.put("parameters", r.spec().asProvenance());
            run.put(
                    "requested",
                    Map.of(
                            "alfven-mach",
                            r.spec().alfvenMach(),
                            "sonic-mach",
                            r.spec().sonicMach()));
            run.put("measured", r.measured());
            runs.add(run);
        }
        m.put("runs", runs);
        ArtifactFiles.write(fs, new Path(dir, FILE), header, m);
    }
}
