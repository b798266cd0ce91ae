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

/**
 * What {@code make-patches} hands to {@code train} and {@code evaluate}: the form of its patches (size,
 * observables, normalisation, whether target maps and rotation were on), the observe output they came from, and
 * the counts per split.
 *
 * @param file the manifest itself (for messages)
 * @param configHash the hash of the make-patches configuration that wrote it
 * @param patchSize patch side in pixels
 * @param observables the observables patches were cut for
 * @param targetMaps whether the per-pixel target-map columns are filled
 * @param normalization the image normalisation's name (zscore, max)
 * @param rotate whether patches were turned by random angles
 * @param observeDir the observe output the patches were cut from
 * @param patches patches in all splits
 * @param perSplit patches per split (train, validation, test; a split with none is absent)
 * @param trainSimulations the simulations (maps' run ids) with patches in the train split, sorted: what a model
 *     trained on these patches has seen
 */
public record PatchManifest(
        String file,
        String configHash,
        int patchSize,
        List<String> observables,
        boolean targetMaps,
        String normalization,
        boolean rotate,
        String observeDir,
        long patches,
        Map<String, Long> perSplit,
        List<String> trainSimulations) {
    public PatchManifest {
        trainSimulations = trainSimulations.stream().sorted().toList();
    }

    /** The simulations with patches in the train split of per-simulation counts (simulation to split to count). */
    public static List<String> trainSimulations(Map<String, Map<String, Long>> perSimulation) {
        List<String> out = new ArrayList<>();
        perSimulation.forEach((sim, splits) -> {
            if (splits.getOrDefault(org.magmap.patch.Splits.TRAIN, 0L) > 0) {
                out.add(sim);
            }
        });
        return out;
    }

    /** The manifest's file name in a make-patches output. */
    public static final String FILE = "manifest.json";
    /** The sub-directory of the Parquet dataset. */
    public static final String PATCHES = "patches";

    public static final String KIND = "magmap make-patches output";

    /** Patches in one split (0 if it has none). */
    public long inSplit(String split) {
        return perSplit.getOrDefault(split, 0L);
    }

    /** The Parquet dataset of the make-patches output {@code dir}. */
    public static String parquet(String dir) {
        return dir + "/" + PATCHES;
    }

    /** Reads the manifest of the make-patches output {@code dir}. */
    public static PatchManifest read(String dir) {
        Path path = new Path(dir, FILE);
        return of(path.toString(), ArtifactFiles.read(path, KIND, "run 'make-patches' first"));
    }

    /** The manifest from its JSON, read from {@code file}. */
    public static PatchManifest of(String file, JsonNode m) {
        int size = m.path("patch-size").asInt(0);
        if (size <= 0) {
            throw new BadInputException(
                    file, "field 'patch-size' is missing or not positive (made by an older magmap?)");
        }
        List<String> observables = new ArrayList<>();
        m.path("observables").forEach(o -> observables.add(o.asText()));
        Map<String, Long> perSplit = new TreeMap<>();
        m.path("per-split")
                .fields()
                .forEachRemaining(e -> perSplit.put(e.getKey(), e.getValue().asLong()));
        // Manifests written before the target-maps entry existed record it only inside the settings text.
        boolean targetMaps =
                m.path("target-maps").asBoolean(m.path("settings").asText().contains("targetMaps=true"));
        List<String> trainSimulations = new ArrayList<>();
        m.path("per-simulation").fields().forEachRemaining(e -> {
            if (e.getValue().path(org.magmap.patch.Splits.TRAIN).asLong(0) > 0) {
                trainSimulations.add(e.getKey());
            }
        });
        return new PatchManifest(
                file,
                m.path("config-hash").asText(""),
                size,
                List.copyOf(observables),
                targetMaps,
                m.path("normalization").asText(""),
                m.path("rotate").asBoolean(true), // manifests before the field: rotation was the default
                m.path("input").asText(""),
                m.path("patches").asLong(0),
                perSplit,
                trainSimulations);
    }

    /**
     * Writes the manifest of a make-patches output into {@code dir}.
     *
     * @param settingsText the settings record's text, for people
     * @param inputConfigHash the observe output's configuration hash
     * @param perSimulation patches per simulation and split
     * @param timings bytes on disk, seconds and patches per second
     */
    public static void write(
            FileSystem fs,
            Path dir,
            Map<String, Object> header,
            PatchManifest manifest,
            String settingsText,
            String inputConfigHash,
            Map<String, Map<String, Long>> perSimulation,
            Map<String, Object> timings)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("patch-schema-version", org.magmap.patch.PatchSchema.VERSION);
        m.put("patch-size", manifest.patchSize());
        m.put("observables", manifest.observables());
        m.put("target-maps", manifest.targetMaps());
        m.put("normalization", manifest.normalization());
        m.put("rotate", manifest.rotate());
        m.put("settings", settingsText);
        m.put("input", manifest.observeDir());
        m.put("input-config-hash", inputConfigHash);
        m.put("patches", manifest.patches());
        m.put("per-split", manifest.perSplit());
        m.put("per-simulation", perSimulation);
        m.putAll(timings);
        ArtifactFiles.write(fs, new Path(dir, FILE), header, m);
    }
}
