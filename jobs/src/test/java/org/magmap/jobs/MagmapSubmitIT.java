package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.magmap.conf.RepoPaths;

/**
 * Submits the fat jar through {@code bin/magmap-submit}, i.e. through Spark's own SparkSubmit with Spark on
 * the classpath only from Spark's jars: proves the fat jar is complete without Spark inside.
 */
class MagmapSubmitIT {
    @Test
    void doctorRunsFromTheFatJarThroughSparkSubmit() throws IOException, InterruptedException {
        Path root = RepoPaths.root();
        try (var jars = Files.list(root.resolve("jobs/target"))) {
            Path fat = jars.filter(p -> p.getFileName().toString().endsWith("-spark.jar"))
                    .findFirst()
                    .orElseThrow();
            try (var zip = new java.util.zip.ZipFile(fat.toFile())) {
                assertTrue(
                        zip.getEntry("org/apache/spark/SparkContext.class") == null,
                        "Spark must not be inside the fat jar");
                assertTrue(zip.getEntry("org/magmap/jobs/Magmap.class") != null);
            }
        }
        Path log = Files.createTempFile("magmap-submit", ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                        root.resolve("bin/magmap-submit").toString(),
                        "--master",
                        "local[2]",
                        "--conf",
                        "spark.ui.enabled=false",
                        "--",
                        "doctor",
                        "--conf",
                        "magmap.output-root=" + Files.createTempDirectory("magmap-submit-out")))
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("MAGMAP_DRIVER_MEMORY", "2g");
        Process p = pb.start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
        }
        assertTrue(finished, "magmap-submit did not finish:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("All checks passed."), out);
        assertTrue(out.contains("master local[2]"), out);
    }
}
