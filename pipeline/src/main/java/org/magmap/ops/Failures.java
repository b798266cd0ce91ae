package org.magmap.ops;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What went wrong, in one line a person can act on, from an exception that may have crossed a Spark task
 * boundary. Spark wraps a task's failure in a driver-side exception whose message is "Job aborted due to stage
 * failure: ..." followed by the task's whole stack trace, and whose cause is the task's own exception: the
 * useful words are at the bottom of the chain.
 */
public final class Failures {
    private static final String SPARK_ABORT = "Job aborted due to stage failure";
    // Spark's wrapper when a task cannot read an input file (Parquet, text): "... reading file <path>. ..."
    private static final Pattern READING_FILE = Pattern.compile(
            "(?:error while reading file|Could not read footer for file|in file|reading file)\\s+(\\S+?)[.:]?(?:\\s|$)");

    // A Parquet reader's own failure names the file it could not read.
    private static final Pattern PARQUET_FILE = Pattern.compile("((?:file:|hdfs:|s3a:)?/\\S+\\.parquet)\\b");

    private Failures() {}

    /** The chain from {@code t} to its root, each exception once. */
    public static List<Throwable> chain(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    /** The first {@link BadInputException} in the chain: bad input found inside a task is still bad input. */
    public static Optional<BadInputException> badInput(Throwable t) {
        for (Throwable c : chain(t)) {
            if (c instanceof BadInputException b) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /**
     * A task that failed reading an input file (a corrupt or truncated Parquet file, say), as bad input naming
     * that file and the reader's reason; empty for any other failure.
     */
    public static Optional<BadInputException> unreadableInput(Throwable t) {
        for (Throwable c : chain(t)) {
            String m = firstLine(c);
            if (m == null || m.startsWith(SPARK_ABORT)) {
                continue;
            }
            Matcher reading = READING_FILE.matcher(m);
            Matcher parquet = PARQUET_FILE.matcher(m);
            String file = reading.find() && reading.group(1).contains("/")
                    ? reading.group(1)
                    : parquet.find() ? parquet.group(1) : null;
            if (file != null) {
                String reason = describe(c);
                int at = reason.indexOf(file);
                // "<file> is not a Parquet file ..." reads as "<file>: is not a Parquet file ..."
                String problem = at == 0 ? reason.substring(file.length()).strip() : "cannot be read (" + reason + ")";
                return Optional.of(new BadInputException(file, problem, t));
            }
        }
        return Optional.empty();
    }

    /**
     * One line for a failure: the distinct messages along the chain, outermost first, without Spark's stage
     * wrapper, and without a wrapper that only restates its cause ({@code new RuntimeException(cause)} carries the
     * cause's text as its message).
     */
    public static String describe(Throwable t) {
        List<Throwable> chain = chain(t);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            String m = firstLine(chain.get(i));
            if (m == null || m.startsWith(SPARK_ABORT)) {
                continue;
            }
            String next = i + 1 < chain.size() ? firstLine(chain.get(i + 1)) : null;
            if (next != null && m.contains(next)) {
                continue;
            }
            if (!parts.contains(m)) {
                parts.add(m);
            }
        }
        return parts.isEmpty() ? describeOne(chain.get(chain.size() - 1)) : String.join(": ", parts);
    }

    private static String describeOne(Throwable c) {
        String m = firstLine(c);
        return m == null ? c.getClass().getSimpleName() : m;
    }

    private static String firstLine(Throwable c) {
        String m = c.getMessage();
        if (m == null || m.isBlank()) {
            return null;
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
