package org.magmap.ops;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A time-throttled progress line for long stages: at most one line every {@code intervalMillis}, with the
 * count, the rate and an ETA (after GATK's ProgressMeter). Thread-safe: Spark listener threads call it.
 */
public final class ProgressMeter {
    private final String stage;
    private final String unit;
    private final long total;
    private final long intervalMillis;
    private final LongSupplier clockMillis;
    private final Consumer<String> sink;
    private final long startMillis;
    private long lastLogMillis;
    private long done;

    /**
     * @param stage what is being done, e.g. "simulate"
     * @param unit what is counted, plural, e.g. "slabs"
     * @param total how many units in all; 0 or less if unknown (then no ETA)
     * @param intervalMillis minimum time between two lines
     * @param clockMillis the clock (System::currentTimeMillis in production; a fake one in tests)
     * @param sink where lines go (a logger)
     */
    public ProgressMeter(
            String stage,
            String unit,
            long total,
            long intervalMillis,
            LongSupplier clockMillis,
            Consumer<String> sink) {
        this.stage = stage;
        this.unit = unit;
        this.total = total;
        this.intervalMillis = intervalMillis;
        this.clockMillis = clockMillis;
        this.sink = sink;
        this.startMillis = clockMillis.getAsLong();
        this.lastLogMillis = startMillis;
    }

    /** Adds {@code n} finished units; logs if the interval has passed. */
    public synchronized void add(long n) {
        done += n;
        long now = clockMillis.getAsLong();
        if (now - lastLogMillis >= intervalMillis) {
            lastLogMillis = now;
            sink.accept(line(now));
        }
    }

    /** Sets the count of finished units (from a counter kept elsewhere); logs if the interval has passed. */
    public synchronized void set(long total) {
        add(total - done);
    }

    /** Logs the closing line regardless of the interval. */
    public synchronized String finish() {
        String l = stage + ": done, " + format(done) + " " + unit + " in "
                + duration(clockMillis.getAsLong() - startMillis) + " (" + rate(clockMillis.getAsLong()) + ")";
        sink.accept(l);
        return l;
    }

    public synchronized long done() {
        return done;
    }

    String line(long now) {
        StringBuilder sb = new StringBuilder(stage).append(": ").append(format(done));
        if (total > 0) {
            sb.append('/')
                    .append(format(total))
                    .append(' ')
                    .append(unit)
                    .append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * done / total));
        } else {
            sb.append(' ').append(unit);
        }
        sb.append(", ").append(rate(now));
        if (total > 0 && done > 0 && done < total) {
            double perUnit = (double) (now - startMillis) / done;
            sb.append(", ETA ").append(duration((long) (perUnit * (total - done))));
        }
        return sb.toString();
    }

    private String rate(long now) {
        double seconds = Math.max(1e-3, (now - startMillis) / 1000.0);
        double perSecond = done / seconds;
        // Slow stages (a 512^3 cube takes minutes) would read "0.0 runs/s": give them per minute or per hour.
        if (perSecond >= 1 || done == 0) {
            return String.format(Locale.ROOT, "%.1f %s/s", perSecond, unit);
        }
        if (perSecond * 60 >= 1) {
            return String.format(Locale.ROOT, "%.1f %s/min", perSecond * 60, unit);
        }
        return String.format(Locale.ROOT, "%.2f %s/h", perSecond * 3600, unit);
    }

    private static String format(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** h:mm:ss, or m:ss under an hour. */
    public static String duration(long millis) {
        long s = Math.max(0, Math.round(millis / 1000.0));
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }
}
