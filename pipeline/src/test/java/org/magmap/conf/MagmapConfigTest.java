package org.magmap.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MagmapConfigTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void defaultsComeFromReferenceConf() {
        MagmapConfig c = MagmapConfig.defaults();
        assertEquals("out", c.getString("magmap.output-root"));
    }

    @Test
    void layersApplyInOrderDefaultsThenFilesThenCommandLine() throws IOException {
        Path a = write("a.conf", "magmap.output-root = from-a\nmagmap.doctor.executor-probes = 3\n");
        Path b = write("b.conf", "magmap { output-root = from-b }\n");
        MagmapConfig filesOnly = MagmapConfig.load(List.of(a, b), Map.of());
        assertEquals("from-b", filesOnly.getString("magmap.output-root"), "a later file wins");
        assertEquals(
                3,
                filesOnly.getInt("magmap.doctor.executor-probes"),
                "an earlier file still sets what later ones do not");

        MagmapConfig withCli = MagmapConfig.load(List.of(a, b), Map.of("magmap.output-root", "from-cli"));
        assertEquals("from-cli", withCli.getString("magmap.output-root"), "--conf wins over files");
        assertEquals(
                List.of("defaults (reference.conf)", a.toString(), b.toString(), "--conf (1 key)"), withCli.sources());
    }

    @Test
    void commandLineValuesAreConvertedOnReadAndListsParse() {
        MagmapConfig c = MagmapConfig.load(List.of(), Map.of("magmap.doctor.executor-probes", "7"));
        assertEquals(7, c.getInt("magmap.doctor.executor-probes"));
    }

    @Test
    void aTypoIsRejectedNamingTheFileAndSuggestingTheKey() throws IOException {
        Path f = write("typo.conf", "magmap.doctor.executor-prob = 2\n");
        ConfigException e = assertThrows(ConfigException.class, () -> MagmapConfig.load(List.of(f), Map.of()));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'magmap.doctor.executor-probes'"), e.getMessage());
    }

    @Test
    void keysOutsideTheTwoNamespacesAreRejected() {
        ConfigException e =
                assertThrows(ConfigException.class, () -> MagmapConfig.load(List.of(), Map.of("outputroot", "x")));
        assertTrue(e.getMessage().contains("--conf"), e.getMessage());
    }

    @Test
    void sparkKeysPassThroughAsStrings() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("spark.executor.memory", "4g");
        o.put("spark.sql.shuffle.partitions", "8");
        Map<String, String> spark = MagmapConfig.load(List.of(), o).sparkSettings();
        assertEquals("4g", spark.get("spark.executor.memory"));
        assertEquals("8", spark.get("spark.sql.shuffle.partitions"));
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> MagmapConfig.load(List.of(missing), Map.of()));
        assertTrue(e.getMessage().contains(missing.toString()));
    }

    @Test
    void aWrongTypeNamesTheKeyAndWhereItWasSet() throws IOException {
        Path f = write("bad.conf", "magmap.doctor.executor-probes = many\n");
        MagmapConfig c = MagmapConfig.load(List.of(f), Map.of());
        ConfigException e = assertThrows(ConfigException.class, () -> c.getInt("magmap.doctor.executor-probes"));
        assertTrue(e.getMessage().contains("magmap.doctor.executor-probes"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.conf"), e.getMessage());
    }

    @Test
    void malformedKeyValueIsRejected() {
        assertThrows(ConfigException.class, () -> MagmapConfig.parseKeyValues(List.of("novalue")));
        assertEquals(Map.of("a.b", "x=y"), MagmapConfig.parseKeyValues(List.of("a.b=x=y")));
    }

    @Test
    void everyShippedConfFileParsesAndNamesOnlyKnownKeys() throws IOException {
        Path confDir = RepoPaths.root().resolve("conf");
        try (var files = Files.list(confDir)) {
            List<Path> confs =
                    files.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
            assertTrue(confs.size() >= 4, "conf/ holds local, cluster and one file per job");
            for (Path p : confs) {
                MagmapConfig.load(List.of(p), Map.of()); // throws on an unknown key or a parse error
            }
        }
    }

    /**
     * The experiment recipes of docs/training.md name only known keys and give values the jobs accept: each is read, on top of
     * the H I or cluster suite file it is layered on, into the make-patches and train settings.
     */
    @Test
    void everyExperimentRecipeGivesSettingsTheJobsAccept() throws IOException {
        Path dir = RepoPaths.root().resolve("conf/experiments");
        try (var files = Files.list(dir)) {
            List<Path> recipes =
                    files.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
            assertTrue(recipes.size() >= 5, "conf/experiments holds docs/training.md's recipes: " + recipes);
            for (Path p : recipes) {
                Path suite = dir.resolve(
                        p.getFileName().toString().startsWith("cresnet")
                                ? "cresnet-hi.conf"
                                : "cluster-beta-suite.conf");
                MagmapConfig c = MagmapConfig.load(List.of(suite, p), Map.of());
                org.magmap.patch.PatchSettings.from(c.section("magmap.make-patches"));
                org.magmap.train.TrainSettings.from(c.section("magmap.train"), 32);
            }
        }
    }

    @Test
    void aWholeNumberKeyRefusesAFractionInsteadOfCuttingIt() throws IOException {
        ConfigException fromCommandLine = assertThrows(
                ConfigException.class, () -> MagmapConfig.load(List.of(), Map.of("magmap.simulate.grid-size", "32.5")));
        assertTrue(
                fromCommandLine.getMessage().startsWith("magmap.simulate.grid-size must be a whole number, got 32.5"),
                fromCommandLine.getMessage());
        Path f = write(
                "frac.conf", "magmap.make-patches.patch-size = 31.9\nmagmap.train.cnn.block-channels = [4, 8.5]\n");
        ConfigException fromFile = assertThrows(ConfigException.class, () -> MagmapConfig.load(List.of(f), Map.of()));
        assertTrue(fromFile.getMessage().contains("frac.conf"), fromFile.getMessage());
        // Whole numbers written as reals are whole, and real-valued keys take fractions.
        MagmapConfig ok = MagmapConfig.load(
                List.of(),
                Map.of(
                        "magmap.simulate.grid-size",
                        "64.0",
                        "magmap.simulate.box-size-pc",
                        "100.5",
                        "magmap.observe.effects.noise-ratio",
                        "0.25"));
        assertEquals(64, ok.getInt("magmap.simulate.grid-size"));
        assertEquals(0.25, ok.getDouble("magmap.observe.effects.noise-ratio"));
    }
}
