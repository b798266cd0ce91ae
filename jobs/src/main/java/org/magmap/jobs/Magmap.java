package org.magmap.jobs;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.magmap.conf.ConfigException;
import org.magmap.conf.ConfigKeys;
import org.magmap.ops.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The main class: {@code magmap JOB [options]}. Exit status 0 on success, 1 when a job fails, 2 for bad input
 * or bad options (with one line naming the file or key and the problem), 3 when some inputs failed and the
 * others completed.
 */
@Command(
        name = "magmap",
        mixinStandardHelpOptions = true,
        versionProvider = Magmap.Version.class,
        description = "Magnetic-field maps from radio observations with deep learning, on Apache Spark.",
        footer = {
            "",
            "Examples:",
            "  bin/magmap quickstart",
            "  bin/magmap doctor",
            "  bin/magmap-submit --master yarn --deploy-mode cluster -- doctor",
            "",
            "Run 'magmap JOB --help' for a job's options."
        })
public final class Magmap implements Runnable {
    /** Exit status for bad input or options. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit status when a job fails. */
    public static final int EXIT_FAILED = 1;
    /** Exit status when some of a job's inputs failed and the others completed (infer over many files). */
    public static final int EXIT_PARTIAL = 3;
    /** Exit status when another run holds the lock the job needs: it did nothing (a scheduler tries later). */
    public static final int EXIT_LOCKED = 4;

    private static final String CONFIG_KEYS = "configKeys";

    private static final Logger LOG = LoggerFactory.getLogger(Magmap.class);

    public static void main(String[] args) {
        int status = new Magmap().execute(args);
        if (insideYarnApplicationMaster()) {
            // YARN cluster mode: the ApplicationMaster runs this main in a thread and reports the application
            // SUCCEEDED when it returns, FAILED when it throws; System.exit, even exit(0), would end the AM
            // before it reports ("Shutdown hook called before final status was reported") and fail the app.
            if (status != 0) {
                throw new IllegalStateException(
                        "magmap exited with status " + status + " (see the driver's log above)");
            }
            return;
        }
        System.exit(status);
    }

    /** Whether this JVM is a YARN ApplicationMaster running the driver (spark-submit's cluster deploy mode). */
    static boolean insideYarnApplicationMaster() {
        return "yarn".equals(System.getProperty("spark.master"))
                && "cluster".equals(System.getProperty("spark.submit.deployMode"));
    }

    /**
     * The command line {@code JOB --conf K=V ...} of a job run in-process (tests and benchmarks), with a Spark
     * master, no UI and an output root.
     */
    public static String[] jobArgs(String job, String master, String outputRoot, java.util.List<String> confs) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                job,
                "--conf",
                "spark.master=" + master,
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "magmap.output-root=" + outputRoot));
        for (String c : confs) {
            args.add("--conf");
            args.add(c);
        }
        return args.toArray(String[]::new);
    }

    /** Runs a job and returns its exit status (tests call this). */
    public int execute(String... args) {
        CommandLine cl = commandLine();
        if (args.length > 0 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
            // Otherwise picocli would print the top-level help for "magmap infer --help" and exit 0.
            cl.getErr()
                    .println("magmap: error: no job named '" + args[0] + "' (jobs: "
                            + String.join(", ", cl.getSubcommands().keySet()) + ")");
            return EXIT_BAD_INPUT;
        }
        return cl.execute(args);
    }

    /** The command line with every registered job as a subcommand. */
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        for (Map.Entry<String, SparkJob> e : JobRegistry.newInstances().entrySet()) {
            cl.addSubcommand(e.getKey(), e.getValue());
            CommandLine sub = cl.getSubcommands().get(e.getKey());
            List<String> sections = e.getValue().configSections();
            // The job's configuration keys, defaults and descriptions from reference.conf, before the footer.
            List<String> order = new ArrayList<>(sub.getHelpSectionKeys());
            order.add(order.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER), CONFIG_KEYS);
            sub.setHelpSectionKeys(order);
            sub.getHelpSectionMap()
                    .put(
                            CONFIG_KEYS,
                            help -> "%nConfiguration keys (set in -c FILE or --conf KEY=VALUE; defaults from"
                                            .formatted()
                                    + " reference.conf):\n" + ConfigKeys.help(sections));
        }
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String job = commandLine.getCommandName();
            Optional<org.magmap.ops.LockHeldException> locked = Failures.chain(ex).stream()
                    .filter(org.magmap.ops.LockHeldException.class::isInstance)
                    .map(org.magmap.ops.LockHeldException.class::cast)
                    .findFirst();
            if (locked.isPresent()) {
                commandLine
                        .getErr()
                        .println("magmap " + job + ": " + locked.get().getMessage());
                commandLine.getErr().flush();
                return EXIT_LOCKED;
            }
            Optional<? extends RuntimeException> bad = ex instanceof ConfigException c
                    ? Optional.of(c)
                    : Failures.badInput(ex).or(() -> Failures.unreadableInput(ex));
            if (bad.isPresent()) {
                // One line on stderr, nothing else: the file or key and what is wrong with it.
                LOG.debug("{}: bad input", job, ex);
                commandLine
                        .getErr()
                        .println("magmap " + job + ": error: " + bad.get().getMessage());
                commandLine.getErr().flush();
                return EXIT_BAD_INPUT;
            }
            // A failure that is not the input's: the trace for a bug report in the log, then the one line last.
            LOG.error("{}: the trace of the failure below, for a bug report", job, ex);
            commandLine.getErr().println("magmap " + job + ": failed: " + Failures.describe(ex));
            commandLine.getErr().flush();
            return EXIT_FAILED;
        });
        return cl;
    }

    @Override
    public void run() {
        // No job named: show the list of jobs.
        PrintWriter out = new CommandLine(this).getOut();
        commandLine().usage(out);
    }

    /** Version from the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"magmap " + BuildInfo.current().describe()};
        }
    }
}
