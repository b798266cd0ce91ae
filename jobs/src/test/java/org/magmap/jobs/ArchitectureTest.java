package org.magmap.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering the package-info files describe, as rules that fail on a backward import: each package may use
 * only the packages before it in {@link #LAYERS}, so the formats and the physics know nothing of training, the
 * stage contracts nothing of the jobs, and only jobs import jobs.
 */
class ArchitectureTest {
    /**
     * magmap's packages from the bottom up. A package may depend on those before it, never on one after it: ops
     * and conf (no magmap imports), plot (figures from numbers), spark (session plumbing: conf and ops only), the
     * formats and the physics (fits, sky coordinates, sim, observe, baseline), the map files and patches made from them (mapping, patch), the networks (model), running them (predict: the card records their target scaling in its terms), the typed hand-offs between stages (artifact), mini-batches (batch), tiled inference over survey files (infer), survey mosaics of its maps (mosaic), what a scheduled run redoes (nightly), measuring them (evaluate), training them (train), figures (report), then the jobs, and the benchmarks that time them (bench).
     */
    static final List<String> LAYERS = List.of(
            "ops",
            "conf",
            "plot",
            "spark",
            "fits",
            "sky",
            "sim",
            "observe",
            "baseline",
            "mapping",
            "patch",
            "model",
            "onnx",
            "predict",
            "artifact",
            "batch",
            "infer",
            "mosaic",
            "nightly",
            "evaluate",
            "train",
            "report",
            "jobs",
            "bench");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the pipeline's test classes also come as its test-jar, which the predefined option misses
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.magmap");
    }

    @Test
    void everyPackageIsOneOfTheLayers() {
        for (var c : classes) {
            String pkg = c.getPackageName().replaceFirst("^org\\.magmap\\.?", "");
            String top = pkg.contains(".") ? pkg.substring(0, pkg.indexOf('.')) : pkg;
            if (!LAYERS.contains(top)) {
                throw new AssertionError(c.getName() + " is in package '" + top + "', which ArchitectureTest.LAYERS"
                        + " does not place: add it where its imports put it");
            }
        }
    }

    @Test
    void noPackageImportsOneAboveIt() {
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream()
                    .map(p -> "org.magmap." + p + "..")
                    .toArray(String[]::new);
            noClasses()
                    .that()
                    .resideInAPackage("org.magmap." + LAYERS.get(i) + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(above)
                    .because(LAYERS.get(i) + " sits below " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size()))
                            + " (see ArchitectureTest.LAYERS and the package-info files)")
                    .check(classes);
        }
    }

    @Test
    void theFormatsAndTheSimulationKnowNothingOfSparkOrDl4j() {
        noClasses()
                .that()
                .resideInAnyPackage("org.magmap.fits..", "org.magmap.sky..", "org.magmap.sim..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.spark..", "org.deeplearning4j..", "org.nd4j..")
                .because("a FITS reader or a turbulence box is usable without a cluster or a network")
                .check(classes);
    }
}
