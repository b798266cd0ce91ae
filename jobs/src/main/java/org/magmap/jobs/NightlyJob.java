package org.magmap.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import org.magmap.nightly.Fingerprints;
import org.magmap.nightly.InputFile;
import org.magmap.nightly.NightlyPlan;
import org.magmap.ops.AtomicOutput;
import org.magmap.ops.BadInputException;
import org.magmap.ops.ConfigHash;
import org.magmap.ops.Failures;
import org.magmap.ops.FileLock;
import org.magmap.ops.LockHeldException;
import org.magmap.ops.OutputFiles;
import org.magmap.ops.ProgressMeter;
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
    private static final String MAPS = "maps";

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
        Instant started = Instant.now();
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT)
                        .withZone(ZoneOffset.UTC)
                        .format(started)
                + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        removeLeftovers(fs, out);
        // Observing needs no model: one fixed value, so that only the cubes and the settings decide.
        String modelHash = stage == Stage.INFER ? NightlyPlan.sha256(card.readCheckedModel(fs)) : "none";
        RunLedger ledger = RunLedger.read(fs, out);
        List<InputFile> found = fingerprinted(spark, listInputs(spark), ledger);

        List<NightlyRunSummary.Input> lines = new ArrayList<>();
        List<InputFile> todo = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (InputFile in : found) {
            RunLedger.Entry previous = ledger.entry(in.path());
            boolean present = previous != null
                    && !previous.output().isEmpty()
                    && fs.exists(new Path(previous.output(), AtomicOutput.MARKER));
            NightlyPlan.Decision d = NightlyPlan.decide(in, previous, modelHash, configHash, present);
            if (d.process()) {
                todo.add(in);
                reasons.add(d.reason());
            } else {
                lines.add(new NightlyRunSummary.Input(in.path(), "skipped", d.reason(), "", 0, ""));
                if (previous.size() != in.size() || previous.modified() != in.modified()) {
                    // Touched, same bytes: record the new time so the next run need not read it again.
                    ledger = ledger.with(previous.seenAs(in.size(), in.modified()));
                }
            }
        }
        LOG.info(
                "nightly: run {}: {} inputs, {} to process, {} unchanged",
                runId,
                found.size(),
                todo.size(),
                found.size() - todo.size());

        int ok = 0;
        int failed = 0;
        JobOutcome outcome = new JobOutcome();
        ProgressMeter progress =
                new ProgressMeter("nightly", "inputs", todo.size(), 0, System::currentTimeMillis, LOG::info);
        for (int i = 0; i < todo.size(); i++) {
            InputFile in = todo.get(i);
            LOG.info("nightly: input {}/{} {} ({})", i + 1, todo.size(), in.path(), reasons.get(i));
            RunLedger.Entry entry = process(spark, in, modelHash, runId);
            ledger = ledger.with(entry);
            ledger.write(fs, out, BuildInfo.current().version());
            lines.add(new NightlyRunSummary.Input(
                    in.path(), "processed", reasons.get(i), entry.status().name(), entry.seconds(), entry.error()));
            if (entry.status() == RunLedger.Status.OK) {
                ok++;
            } else {
                failed++;
                LOG.warn("nightly: {} {}: {}", in.path(), entry.status(), entry.error());
            }
            progress.add(1);
        }
        ledger.write(fs, out, BuildInfo.current().version());
        NightlyRunSummary summary = new NightlyRunSummary(
                runId,
                started.toString(),
                Instant.now().toString(),
                ok,
                found.size() - todo.size(),
                failed,
                List.copyOf(lines));
        Path summaryFile = summary.write(fs, out, BuildInfo.current().version());

        outcome.line("run " + runId + ": " + NightlyPlan.counts(ok, found.size() - todo.size(), failed));
        for (NightlyRunSummary.Input l : lines) {
            outcome.line(String.format(
                    Locale.ROOT,
                    "%s: %s (%s)%s",
                    l.input(),
                    l.action().equals("processed") ? l.status() : "skipped",
                    l.reason(),
                    l.error().isEmpty() ? "" : ": " + l.error()));
        }
        if (failed > 0 && ok == 0) {
            outcome.fail("every input processed failed (" + failed + "); see " + summaryFile);
        } else if (failed > 0) {
            outcome.partial(failed + " of " + todo.size() + " inputs failed; see " + summaryFile);
        }
        outcome.output("maps", new Path(out, MAPS).toString());
        outcome.output("ledger", new Path(out, RunLedger.FILE).toString());
        outcome.output("run summary", summaryFile.toString());
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

    /** The inputs with fingerprints: the ledger's where size and time are unchanged, else read on the executors. */
    private List<InputFile> fingerprinted(SparkSession spark, List<InputFile> found, RunLedger ledger) {
        List<InputFile> toRead = new ArrayList<>();
        for (InputFile in : found) {
            RunLedger.Entry previous = ledger.entry(in.path());
            if (rehashUnchanged || !NightlyPlan.fingerprintStillValid(in, previous)) {
                toRead.add(in);
            }
        }
        java.util.Map<String, InputFile> read = new java.util.HashMap<>();
        for (InputFile in : Fingerprints.of(spark, toRead)) {
            read.put(in.path(), in);
        }
        LOG.info(
                "nightly: fingerprinted {} inputs, {} kept from the ledger (size and time unchanged)",
                toRead.size(),
                found.size() - toRead.size());
        List<InputFile> out = new ArrayList<>();
        for (InputFile in : found) {
            InputFile r = read.get(in.path());
            out.add(r != null ? r : in.withFingerprint(ledger.entry(in.path()).fingerprint(), ""));
        }
        return out;
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

    /** Runs the stage's job on one input into its own output directory; the ledger entry of how it ended. */
    private RunLedger.Entry process(SparkSession spark, InputFile in, String modelHash, String runId) {
        long start = System.nanoTime();
        String relative = outputRelative + "/" + MAPS + "/" + NightlyPlan.outputName(in.path());
        String target = config.getString("magmap.output-root") + "/" + relative;
        RunLedger.Status status;
        String error = "";
        String committed = "";
        if (!in.readError().isEmpty()) {
            status = RunLedger.Status.FAILED;
            error = in.path() + ": " + in.readError();
        } else {
            try {
                SparkJob job = stageJob(in.path(), relative);
                JobOutcome o = job.run(spark);
                o.summary().forEach(s -> LOG.info("nightly: {}: {}", job.name(), s));
                committed = new Path(target)
                        .getFileSystem(spark.sparkContext().hadoopConfiguration())
                        .makeQualified(new Path(target))
                        .toString();
                if (o.failed() || o.partiallyFailed()) {
                    status = o.failed() ? RunLedger.Status.FAILED : RunLedger.Status.PARTIAL;
                    // The job's lines from its FAILED or PARTIAL line on: the count, then each failure.
                    List<String> s = o.summary();
                    int from = 0;
                    while (from < s.size()
                            && !s.get(from).startsWith("FAILED")
                            && !s.get(from).startsWith("PARTIAL")) {
                        from++;
                    }
                    error = String.join("; ", s.subList(from, s.size()));
                } else {
                    status = RunLedger.Status.OK;
                }
            } catch (RuntimeException | IOException e) {
                // One input's failure, whatever it is, is recorded and the others go on.
                status = RunLedger.Status.FAILED;
                error = Failures.badInput(e).map(Throwable::getMessage).orElseGet(() -> Failures.describe(e));
                committed = "";
            }
        }
        return new RunLedger.Entry(
                in.path(),
                in.size(),
                in.modified(),
                in.fingerprint(),
                modelHash,
                configHash,
                committed,
                status,
                runId,
                Instant.now().toString(),
                (System.nanoTime() - start) / 1e9,
                error);
    }

    /**
     * Staging and moved-aside directories of runs that died (a killed driver), and their temporary ledgers: this
     * run holds the lock, so no live run is writing them.
     */
    private static void removeLeftovers(FileSystem fs, Path out) throws IOException {
        List<Path> dirs = new ArrayList<>(List.of(out));
        Path maps = new Path(out, MAPS);
        if (fs.exists(maps)) {
            dirs.add(maps);
        }
        for (Path dir : dirs) {
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (name.startsWith(".")
                        && (name.contains(".staging-")
                                || name.contains(".replaced-")
                                || name.contains(".tmp-")
                                || name.endsWith(".commit-lock"))) {
                    LOG.warn("nightly: removing {}, left by a run that died", s.getPath());
                    fs.delete(s.getPath(), true);
                }
            }
        }
    }
}
