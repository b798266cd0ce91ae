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

    /** Runs doctor with the given settings; its exit status and the report it printed. */
    private record Report(int code, String text) {}

    private static Report doctor(String... confs) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("doctor"));
        for (String c : confs) {
            args.add("--conf");
            args.add(c);
        }
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = new Magmap().execute(args.toArray(String[]::new));
        } finally {
            System.setOut(saved);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        saved.print(report);
        return new Report(code, report);
    }

    @Test
    void allChecksPassOnThisMachineAndTheOutputRootIsLeftAsFound() {
        Path root = dir.resolve("never-created");
        Report r = doctor("spark.master=local[2]", "spark.ui.enabled=false", "magmap.output-root=" + root);
        String report = r.text();
        assertEquals(0, r.code(), report);
        assertTrue(report.contains("All checks passed."), report);
        assertTrue(report.contains("nd4j on executors") && report.contains("CpuBackend"), report);
        assertTrue(report.contains("master local[2]"), report);
        assertTrue(!Files.exists(root), "doctor must not leave the output root behind");
    }

    @Test
    void anUnwritableOutputRootFailsItsCheckWithTheSystemsReason() {
        // sysfs refuses new directories even to root: a real "Operation not permitted" from the kernel.
        Report r = doctor(
                "spark.master=local[1]",
                "spark.ui.enabled=false",
                "magmap.doctor.executor-probes=1",
                "magmap.output-root=/sys/magmap-doctor-test");
        String report = r.text();
        assertEquals(Magmap.EXIT_FAILED, r.code(), report);
        assertTrue(
                report.contains("/sys/magmap-doctor-test is not writable")
                        && report.contains("Operation not permitted"),
                report);
        assertTrue(!report.contains("is writable\n"), "the failed check does not call the root writable: " + report);
    }
}
