package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real doctor entry point on a real local SparkSession. */
class DoctorIT {
    @TempDir
    Path dir;

    @Test
    void allChecksPassOnThisMachineAndTheOutputRootIsLeftAsFound() {
        Path root = dir.resolve("never-created");
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = new Magmap()
                    .execute(
                            "doctor",
                            "--conf",
                            "spark.master=local[2]",
                            "--conf",
                            "spark.ui.enabled=false",
                            "--conf",
                            "magmap.output-root=" + root);
        } finally {
            System.setOut(saved);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        saved.print(report);
        assertEquals(0, code, report);
        assertTrue(report.contains("All checks passed."), report);
        assertTrue(report.contains("nd4j on executors") && report.contains("CpuBackend"), report);
        assertTrue(report.contains("master local[2]"), report);
        assertTrue(!Files.exists(root), "doctor must not leave the output root behind");
    }

    @Test
    void anUnwritableOutputRootFailsItsCheckWithTheSystemsReason() {
        // sysfs refuses new directories even to root: a real "Operation not permitted" from the kernel.
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = new Magmap()
                    .execute(
                            "doctor",
                            "--conf",
                            "spark.master=local[1]",
                            "--conf",
                            "spark.ui.enabled=false",
                            "--conf",
                            "magmap.doctor.executor-probes=1",
                            "--conf",
                            "magmap.output-root=/sys/magmap-doctor-test");
        } finally {
            System.setOut(saved);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        saved.print(report);
        assertEquals(Magmap.EXIT_FAILED, code, report);
        assertTrue(
                report.contains("/sys/magmap-doctor-test is not writable")
                        && report.contains("Operation not permitted"),
                report);
        assertTrue(!report.contains("is writable\n"), "the failed check does not call the root writable: " + report);
    }
}
