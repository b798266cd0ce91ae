package org.magmap.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a real job entry point the way end-to-end tests do: local[2], no UI, output under a test directory. */
final class JobRuns {
    private JobRuns() {}

    /**
     * Runs a job that must refuse its input: asserts exit status 2 and returns what it printed to stderr (the
     * one-line message naming the file or key).
     */
    static String refused(Path root, String job, String... confs) {
        List<String> args = new ArrayList<>(
                List.of(job, "--conf", "spark.master=local[2]", "--conf", "magmap.output-root=" + root));
        for (String c : confs) {
            args.add("--conf");
            args.add(c);
        }
        picocli.CommandLine cl = new Magmap().commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err));
        int code = cl.execute(args.toArray(String[]::new));
        org.junit.jupiter.api.Assertions.assertEquals(Magmap.EXIT_BAD_INPUT, code, "exit status; stderr: " + err);
        return err.toString();
    }

    /** {@code magmap JOB --conf ...} with the test settings and {@code magmap.output-root = root}; the exit status. */
    static int run(Path root, String job, String... confs) {
        List<String> args = new ArrayList<>(List.of(
                job,
                "--conf",
                "spark.master=local[2]",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "magmap.output-root=" + root));
        for (String c : confs) {
            args.add("--conf");
            args.add(c);
        }
        return new Magmap().execute(args.toArray(String[]::new));
    }
}
