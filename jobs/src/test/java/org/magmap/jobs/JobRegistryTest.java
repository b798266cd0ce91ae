package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class JobRegistryTest {
    private static String run(String... args) {
        CommandLine cl = new Magmap().commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute(args);
        assertEquals(0, code, "exit status of " + String.join(" ", args));
        return out.toString();
    }

    @Test
    void everyRegisteredJobParsesItsHelpAndShowsAnExample() {
        Map<String, SparkJob> jobs = JobRegistry.newInstances();
        assertTrue(
                jobs.containsKey("doctor") && jobs.containsKey("quickstart"),
                jobs.keySet().toString());
        for (Map.Entry<String, SparkJob> e : jobs.entrySet()) {
            String help = run(e.getKey(), "--help");
            assertTrue(help.contains("Usage: magmap " + e.getKey()), help);
            assertTrue(help.contains("--config"), e.getKey() + " lacks the common options:\n" + help);
            assertTrue(help.contains("Example"), e.getKey() + " shows no example command line:\n" + help);
            Command c = e.getValue().getClass().getAnnotation(Command.class);
            assertFalse(
                    c.description().length == 0 || c.description()[0].isBlank(), e.getKey() + " has no description");
            assertEquals(e.getKey(), e.getValue().name());
        }
    }

    @Test
    void topLevelHelpListsEveryJob() {
        String help = run("--help");
        for (String name : JobRegistry.newInstances().keySet()) {
            assertTrue(help.contains(name), "top-level help lacks " + name + ":\n" + help);
        }
    }

    @Test
    void anUnknownJobIsAUsageError() {
        CommandLine cl = new Magmap().commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(2, cl.execute("no-such-job"));
    }

    /** "magmap infer --help" for a job that does not exist is an error, not the top-level help with status 0. */
    @Test
    void anUnknownJobAskedForHelpIsAUsageErrorToo() {
        assertEquals(Magmap.EXIT_BAD_INPUT, new Magmap().execute("no-such-job", "--help"));
    }

    /**
     * A job's help lists every key of its reference.conf section with its default, and the comment above it: read
     * here straight from reference.conf with Typesafe Config, not through the help's own code.
     */
    @Test
    void aJobsHelpListsItsConfigKeysWithDefaultsAndDescriptions() {
        com.typesafe.config.Config reference = com.typesafe.config.ConfigFactory.parseResources("reference.conf");
        for (String job : java.util.List.of("train", "make-patches", "doctor", "infer", "mosaic")) {
            String help = run(job, "--help");
            for (Map.Entry<String, com.typesafe.config.ConfigValue> e :
                    reference.getConfig("magmap." + job).entrySet()) {
                String key = "magmap." + job + "." + e.getKey();
                String rendered = e.getValue().render(com.typesafe.config.ConfigRenderOptions.concise());
                assertTrue(help.contains(key + " = " + rendered), job + " --help lacks " + key + ":\n" + help);
            }
        }
        String train = run("train", "--help");
        assertTrue(train.contains("magmap.output-root = \"out\""), train);
        assertTrue(train.contains("magmap.train.epochs = "), train);
        String comment = reference
                .getValue("magmap.train.epochs")
                .origin()
                .comments()
                .get(0)
                .strip();
        assertTrue(train.contains(comment), "the description of magmap.train.epochs (" + comment + "):\n" + train);
    }

    @Test
    void aConfigTypoFailsBeforeSparkStartsWithStatusTwo() {
        CommandLine cl = new Magmap().commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("doctor", "--conf", "magmap.doctor.executor-probs=2");
        assertEquals(Magmap.EXIT_BAD_INPUT, code);
        assertTrue(err.toString().contains("magmap.doctor.executor-probs"), err.toString());
    }
}
