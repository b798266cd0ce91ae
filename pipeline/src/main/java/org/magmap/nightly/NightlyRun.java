package org.magmap.nightly;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.magmap.artifact.NightlyRunSummary;
import org.magmap.artifact.RunLedger;
import org.magmap.ops.AtomicOutput;
import org.magmap.ops.ProgressMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduled run over a nightly output directory, under its lock: removes what dead runs left, fingerprints
 * the inputs (keeping the ledger's where size and time are unchanged), decides each input ({@link NightlyPlan}),
 * hands each one to process to the stage (a job, given by the caller), replaces the ledger after every input,
 * and writes the run's summary.
 */
public final class NightlyRun {
    private static final Logger LOG = LoggerFactory.getLogger(NightlyRun.class);

    /** The folder of per-input outputs in a nightly output. */
    public static final String OUTPUTS = "maps";

    private NightlyRun() {}

    /** How the stage ended for one input. */
    public record Outcome(RunLedger.Status status, String committedOutput, String error) {}

    /** What the stage does with one input: processes it into {@code outputName} (under {@link #OUTPUTS}). */
    @FunctionalInterface
    public interface Stage {
        Outcome process(InputFile input, String outputName);
    }

    /**
     * The run's end.
     *
     * @param summary what it did, input by input
     * @param summaryFile where the summary went
     * @param toProcess how many inputs it decided to process
     */
    public record Result(NightlyRunSummary summary, Path summaryFile, int toProcess) {}

    /**
     * Runs once over {@code out}, whose lock the caller holds.
     *
     * @param listed the inputs as listed now (size and time, no fingerprint yet)
     * @param modelHash the model this run uses ("none" for a stage without one)
     * @param configHash the stage's settings
     * @param rehashUnchanged read every input again, even one whose size and time the ledger has
     */
    public static Result run(
            SparkSession spark,
            FileSystem fs,
            Path out,
            List<InputFile> listed,
            String modelHash,
            String configHash,
            boolean rehashUnchanged,
            String magmapVersion,
            Stage stage)
            throws IOException {
        Instant started = Instant.now();
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'", Locale.ROOT)
                        .withZone(ZoneOffset.UTC)
                        .format(started)
                + "-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        removeLeftovers(fs, out);
        RunLedger ledger = RunLedger.read(fs, out);
        List<InputFile> found = fingerprinted(spark, listed, ledger, rehashUnchanged);

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
        ProgressMeter progress =
                new ProgressMeter("nightly", "inputs", todo.size(), 0, System::currentTimeMillis, LOG::info);
        for (int i = 0; i < todo.size(); i++) {
            InputFile in = todo.get(i);
            LOG.info("nightly: input {}/{} {} ({})", i + 1, todo.size(), in.path(), reasons.get(i));
            long start = System.nanoTime();
            Outcome o = in.readError().isEmpty()
                    ? stage.process(in, NightlyPlan.outputName(in.path()))
                    : new Outcome(RunLedger.Status.FAILED, "", in.path() + ": " + in.readError());
            RunLedger.Entry entry = new RunLedger.Entry(
                    in.path(),
                    in.size(),
                    in.modified(),
                    in.fingerprint(),
                    modelHash,
                    configHash,
                    o.committedOutput(),
                    o.status(),
                    runId,
                    Instant.now().toString(),
                    (System.nanoTime() - start) / 1e9,
                    o.error());
            ledger = ledger.with(entry);
            ledger.write(fs, out, magmapVersion);
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
        ledger.write(fs, out, magmapVersion);
        NightlyRunSummary summary = new NightlyRunSummary(
                runId,
                started.toString(),
                Instant.now().toString(),
                ok,
                found.size() - todo.size(),
                failed,
                List.copyOf(lines));
        return new Result(summary, summary.write(fs, out, magmapVersion), todo.size());
    }

    /** The inputs with fingerprints: the ledger's where size and time are unchanged, else read on the executors. */
    private static List<InputFile> fingerprinted(
            SparkSession spark, List<InputFile> found, RunLedger ledger, boolean rehashUnchanged) {
        List<InputFile> toRead = new ArrayList<>();
        for (InputFile in : found) {
            if (rehashUnchanged || !NightlyPlan.fingerprintStillValid(in, ledger.entry(in.path()))) {
                toRead.add(in);
            }
        }
        Map<String, InputFile> read = new HashMap<>();
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
     * Staging and moved-aside directories of runs that died (a killed driver), and their temporary ledgers: the
     * caller holds the lock, so no live run is writing them.
     */
    private static void removeLeftovers(FileSystem fs, Path out) throws IOException {
        List<Path> dirs = new ArrayList<>(List.of(out));
        Path outputs = new Path(out, OUTPUTS);
        if (fs.exists(outputs)) {
            dirs.add(outputs);
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
