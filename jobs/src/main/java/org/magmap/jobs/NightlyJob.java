package org.magmap.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.magmap.artifact.ModelCard;
import org.magmap.artifact.NightlyRunSummary;
import org.magmap.artifact.RunLedger;
import org.magmap.conf.MagmapConfig;
import org.magmap.infer.InferSettings;
import org.magmap.nightly.InputFile;
import org.magmap.nightly.NightlyPlan;
import org.magmap.nightly.NightlyRun;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.Failures;
import org.magmap.ops.FileLock;
import org.magmap.ops.LockHeldException;
import org.magmap.ops.OutputFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/**
 * Scheduled incremental reprocessing of survey files: each run lists the inputs again, fingerprints what it
 * has not seen as it is now, and runs {@code infer} (with the {@code magmap.infer} settings) on each input that
 * is new, changed, or due because the model or the settings changed, committing each input's output on its own.
 * The run ledger beside the outputs records every input; a second run with nothing new does nothing. One run at
 * a time: a run that finds another alive exits with {@link Magmap#EXIT_LOCKED} having done nothing.
 *
 * <p>Exit status: 0 when every processed input succeeded (or there was nothing to do), {@link
 * Magmap#EXIT_PARTIAL} when some failed and others succeeded, {@link Magmap#EXIT_FAILED} when every processed
 * input failed.
 */
@Command(
        name = "nightly",
        description = "Incremental reprocessing for schedulers: infer (or observe) only the files new or changed"
                + " since the last run, with a ledger.",
        footer = {
            "",
            "Example (a crontab line; see conf/schedule/):",
            "  15 2 * * * cd /opt/magmap && bin/magmap nightly -c conf/nightly.conf >> /var/log/magmap-nightly.log 2>&1"
        })
public final class NightlyJob extends SparkJob {
    private static final Logger LOG = LoggerFactory.getLogger(NightlyJob.class);
    private static final String LOCK = ".nightly.lock";

    private MagmapConfig config;
    private String outputRelative;
    private String output;
    private String modelDirRelative;
    private List<String> inputs;
    private boolean rehashUnchanged;
    private Duration heartbeat;
    private Duration staleAfter;
    private Stage stage;
    private ModelCard card;
    private String configHash;

    /** What each run does with a new or changed input. */
    enum Stage {
        /** Survey cubes and images mapped by the model: an infer output per input. */
        INFER,
        /** Simulation cubes (magmap's or another code's) observed: an observe output per input. */
        OBSERVE
    }

    @Override
    protected void configure(MagmapConfig config) {
        this.config = config;
        String root = config.getString("magmap.output-root");
        outputRelative = config.getString("magmap.nightly.output-dir");
        output = root + "/" + outputRelative;
        modelDirRelative = config.getString("magmap.nightly.model-dir");
        inputs = config.getStringList("magmap.nightly.inputs");
        if (inputs.isEmpty()) {
            throw new BadInputException(
                    "magmap.nightly.inputs", "lists no files: give FITS files, directories or globs");
        }
        rehashUnchanged = config.getBoolean("magmap.nightly.rehash-unchanged");
        heartbeat = config.raw().getDuration("magmap.nightly.lock-heartbeat");
        staleAfter = config.raw().getDuration("magmap.nightly.lock-stale-after");
        if (heartbeat.isZero() || heartbeat.isNegative() || heartbeat.compareTo(staleAfter.dividedBy(2)) > 0) {
            throw new BadInputException(
                    "magmap.nightly.lock-heartbeat",
                    "is " + heartbeat + ": give a positive period at most half of lock-stale-after (" + staleAfter
                            + "), or a live run's lock looks dead to the next one");
        }
        String stageName = config.getString("magmap.nightly.stage");
        try {
            stage = Stage.valueOf(stageName.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("magmap.nightly.stage", "is '" + stageName + "': give infer or observe");
        }
        // The settings that shape an input's outputs; the input list and the lock timing do not.
        if (stage == Stage.INFER) {
            card = ModelCard.read(root + "/" + modelDirRelative);
            configHash = ConfigHash.of("magmap-nightly-v1\n" + InferSettings.from(config.section("magmap.infer")));
        } else {
            configHash = ConfigHash.of("magmap-nightly-observe-v1\n"
                    + org.magmap.observe.ObserveSettings.from(
                            config.section("magmap.observe").withoutPath("cubes"))
                    + "\nmax-blank-fraction " + config.getDouble("magmap.observe.max-blank-fraction"));
        }
    }

    @Override
    public List<String> configSections() {
        return List.of("magmap.output-root", "magmap.nightly", "magmap.infer", "magmap.observe");
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of(
                "inputs = " + inputs,
                stage == Stage.INFER
                        ? "stage = infer, model = " + modelDirRelative + " (" + card.model() + ", " + card.observables()
                                + ")"
                        : "stage = observe (simulation cubes)",
                stage.name().toLowerCase(java.util.Locale.ROOT) + " settings hash = " + configHash,
                "output = " + output + " (ledger " + RunLedger.FILE + ")");
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        try {
            Path out = new Path(output);
            FileSystem fs = out.getFileSystem(hadoop);
            out = fs.makeQualified(out);
            OutputFiles.mkdirs(fs, out, "the nightly output directory");
            Path lockFile = new Path(out, LOCK);
            FileLock lock = FileLock.tryAcquire(fs, lockFile, staleAfter)
                    .orElseThrow(() -> new LockHeldException(lockFile.toString(), FileLock.owner(fs, lockFile)));
            try (FileLock held = lock.heartbeat(heartbeat)) {
                return runLocked(spark, fs, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JobOutcome runLocked(SparkSession spark, FileSystem fs, Path out) throws IOException {
        // Observing needs no model: one fixed value, so that only the cubes and the settings decide.
        String modelHash = stage == Stage.INFER ? NightlyPlan.sha256(card.readCheckedModel(fs)) : "none";
        NightlyRun.Result r = NightlyRun.run(
                spark,
                fs,
                out,
                listInputs(spark),
                modelHash,
                configHash,
                rehashUnchanged,
                BuildInfo.current().version(),
                (in, name) -> process(spark, in, name));
        NightlyRunSummary summary = r.summary();
        JobOutcome outcome = new JobOutcome();
        outcome.line("run " + summary.runId() + ": "
                + NightlyPlan.counts(summary.processed(), summary.skipped(), summary.failed()));
        for (NightlyRunSummary.Input l : summary.inputs()) {
            outcome.line(String.format(
                    Locale.ROOT,
                    "%s: %s (%s)%s",
                    l.input(),
                    l.action().equals("processed") ? l.status() : "skipped",
                    l.reason(),
                    l.error().isEmpty() ? "" : ": " + l.error()));
        }
        if (summary.failed() > 0 && summary.processed() == 0) {
            outcome.fail("every input processed failed (" + summary.failed() + "); see " + r.summaryFile());
        } else if (summary.failed() > 0) {
            outcome.partial(summary.failed() + " of " + r.toProcess() + " inputs failed; see " + r.summaryFile());
        }
        outcome.output("maps", new Path(out, NightlyRun.OUTPUTS).toString());
        outcome.output("ledger", new Path(out, RunLedger.FILE).toString());
        outcome.output("run summary", r.summaryFile().toString());
        return outcome;
    }

    /** Every listed input with its size and time; a listing entry that matches nothing is bad input. */
    private List<InputFile> listInputs(SparkSession spark) throws IOException {
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<InputFile> found = new ArrayList<>();
        for (String file : FitsInputs.expand(hadoop, inputs, "magmap.nightly.inputs", null)) {
            Path p = new Path(file);
            FileStatus st = p.getFileSystem(hadoop).getFileStatus(p);
            found.add(new InputFile(file, st.getLen(), st.getModificationTime(), "", ""));
        }
        return found;
    }

    /**
     * The stage's job for one input, configured to write into {@code relative} (under the output root), which this
     * run owns: a changed input's new output replaces the old one at its commit.
     */
    private SparkJob stageJob(String input, String relative) {
        SparkJob job;
        MagmapConfig c;
        if (stage == Stage.INFER) {
            job = new InferJob();
            c = config.with("magmap.infer.inputs", List.of(input))
                    .with("magmap.infer.model-dir", modelDirRelative)
                    .with("magmap.infer.output-dir", relative)
                    .with("magmap.infer.overwrite", true);
        } else {
            job = new ObserveJob();
            c = config.with("magmap.observe.cubes", List.of(input))
                    .with("magmap.observe.output-dir", relative)
                    .with("magmap.observe.overwrite", true);
        }
        job.configure(c);
        return job;
    }

    /** Runs the stage's job on one input into its own output directory {@code name}; how it ended. */
    private NightlyRun.Outcome process(SparkSession spark, InputFile in, String name) {
        String relative = outputRelative + "/" + NightlyRun.OUTPUTS + "/" + name;
        try {
            SparkJob job = stageJob(in.path(), relative);
            JobOutcome o = job.run(spark);
            o.summary().forEach(s -> LOG.info("nightly: {}: {}", job.name(), s));
            Path target = new Path(config.getString("magmap.output-root") + "/" + relative);
            String committed = target.getFileSystem(spark.sparkContext().hadoopConfiguration())
                    .makeQualified(target)
                    .toString();
            if (!o.failed() && !o.partiallyFailed()) {
                return new NightlyRun.Outcome(RunLedger.Status.OK, committed, "");
            }
            // The job's lines from its FAILED or PARTIAL line on: the count, then each failure.
            List<String> s = o.summary();
            int from = 0;
            while (from < s.size()
                    && !s.get(from).startsWith("FAILED")
                    && !s.get(from).startsWith("PARTIAL")) {
                from++;
            }
            return new NightlyRun.Outcome(
                    o.failed() ? RunLedger.Status.FAILED : RunLedger.Status.PARTIAL,
                    committed,
                    String.join("; ", s.subList(from, s.size())));
        } catch (RuntimeException | IOException e) {
            // One input's failure, whatever it is, is recorded and the others go on.
            return new NightlyRun.Outcome(
                    RunLedger.Status.FAILED,
                    "",
                    Failures.badInput(e).map(Throwable::getMessage).orElseGet(() -> Failures.describe(e)));
        }
    }
}
