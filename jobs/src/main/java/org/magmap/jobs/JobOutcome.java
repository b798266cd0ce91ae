package org.magmap.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job reports at the end: named outputs (where they went) and summary lines. A job that finds a
 * problem it could not fix sets {@link #failed}, which makes the process exit non-zero.
 */
public final class JobOutcome {
    private final Map<String, String> outputs = new LinkedHashMap<>();
    private final List<String> summary = new ArrayList<>();
    private boolean failed;
    private boolean partial;

    public JobOutcome output(String what, String where) {
        outputs.put(what, where);
        return this;
    }

    public JobOutcome line(String text) {
        summary.add(text);
        return this;
    }

    public JobOutcome fail(String reason) {
        failed = true;
        summary.add("FAILED: " + reason);
        return this;
    }

    /** Some inputs failed and the others completed: the process exits with {@link Magmap#EXIT_PARTIAL}. */
    public JobOutcome partial(String reason) {
        partial = true;
        summary.add("PARTIAL: " + reason);
        return this;
    }

    /** Whether some inputs failed while others completed. */
    public boolean partiallyFailed() {
        return partial && !failed;
    }

    /** Adds another job's outcome under a prefix (quickstart chains jobs). */
    public JobOutcome include(String stage, JobOutcome other) {
        other.outputs.forEach((k, v) -> outputs.put(stage + ": " + k, v));
        other.summary.forEach(s -> summary.add(stage + ": " + s));
        failed |= other.failed;
        partial |= other.partial;
        return this;
    }

    public Map<String, String> outputs() {
        return outputs;
    }

    public List<String> summary() {
        return summary;
    }

    public boolean failed() {
        return failed;
    }
}
