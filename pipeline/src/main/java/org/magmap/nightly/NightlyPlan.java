package org.magmap.nightly;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.magmap.artifact.RunLedger;

/**
 * What a scheduled run does with each input, from the ledger of the runs before it: an input is processed when
 * it is new, its content changed, the model or the processing settings changed, or its committed output went
 * missing; otherwise it is skipped. An input that failed is retried only once it changed (or the model or the
 * settings did), so a corrupt file is reported once, not every night.
 */
public final class NightlyPlan {
    private NightlyPlan() {}

    /**
     * One input's decision.
     *
     * @param process whether to process it
     * @param reason why, in a few words, for the log and the run summary
     */
    public record Decision(boolean process, String reason) {}

    /**
     * Whether {@code previous}'s fingerprint stands for {@code current} without reading it again: the same size
     * and modification time, and a fingerprint on record.
     */
    public static boolean fingerprintStillValid(InputFile current, RunLedger.Entry previous) {
        return previous != null
                && !previous.fingerprint().isEmpty()
                && previous.size() == current.size()
                && previous.modified() == current.modified();
    }

    /**
     * Decides for one input.
     *
     * @param current the input now, fingerprinted
     * @param previous its ledger entry, or null if no run saw it
     * @param modelHash the model this run would use
     * @param configHash the settings this run would use
     * @param outputPresent whether the output the entry names is committed where it says
     */
    public static Decision decide(
            InputFile current, RunLedger.Entry previous, String modelHash, String configHash, boolean outputPresent) {
        if (previous == null) {
            return new Decision(true, "new");
        }
        if (!sameContent(current, previous)) {
            return new Decision(true, "changed");
        }
        if (!previous.modelHash().equals(modelHash)) {
            return new Decision(true, "the model changed");
        }
        if (!previous.configHash().equals(configHash)) {
            return new Decision(true, "the settings changed");
        }
        if (previous.status() == RunLedger.Status.FAILED) {
            return new Decision(false, "unchanged since it failed in run " + previous.runId());
        }
        if (!outputPresent) {
            return new Decision(true, "its output " + previous.output() + " is missing");
        }
        return new Decision(false, "unchanged");
    }

    private static boolean sameContent(InputFile current, RunLedger.Entry previous) {
        if (current.fingerprint().isEmpty() || previous.fingerprint().isEmpty()) {
            // Unreadable now or then: only an unchanged size and time say it is the same bad file.
            return current.fingerprint().equals(previous.fingerprint())
                    && current.size() == previous.size()
                    && current.modified() == previous.modified();
        }
        return current.fingerprint().equals(previous.fingerprint());
    }

    /**
     * The directory name of an input's output: its file name without the FITS extension, made safe, and 8 hex
     * digits of its full path's SHA-256, so that two inputs of one name in different folders never share one.
     */
    public static String outputName(String inputPath) {
        String name = inputPath.substring(inputPath.lastIndexOf('/') + 1);
        String stem = name.replaceFirst("(?i)\\.fits?(\\.gz)?$", "").replaceAll("[^A-Za-z0-9._+-]", "_");
        return stem + "-" + sha256(inputPath.getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    }

    /** SHA-256 of {@code bytes}, lower-case hex. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The summary line of a run's counts. */
    public static String counts(int processed, int skipped, int failed) {
        return String.format(Locale.ROOT, "%d processed, %d skipped, %d failed", processed, skipped, failed);
    }
}
