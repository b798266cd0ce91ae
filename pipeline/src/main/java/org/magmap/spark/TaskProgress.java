package org.magmap.spark;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.magmap.ops.ProgressMeter;
import org.slf4j.Logger;

/**
 * Driver-side progress for a stage of work units, one unit per task: counts successful task ends of the Spark
 * jobs started inside the block and logs a throttled line with rate and ETA.
 *
 * <pre>{@code
 * try (TaskProgress p = TaskProgress.start(spark, "simulate", "runs", specs.size(), LOG)) {
 *     results = rdd.map(...).collect();
 * }
 * }</pre>
 */
public final class TaskProgress implements AutoCloseable {
    /** Default time between two progress lines. */
    public static final long INTERVAL_MILLIS = 10_000;

    private final SparkContext sc;
    private final String group;
    private final ProgressMeter meter;
    private final SparkListener listener;
    private final LongAccumulator counter;
    private java.util.concurrent.ScheduledExecutorService poller;

    private TaskProgress(SparkContext sc, String group, ProgressMeter meter, LongAccumulator counter) {
        this.sc = sc;
        this.group = group;
        this.meter = meter;
        this.counter = counter;
        Set<Integer> stages = ConcurrentHashMap.newKeySet();
        this.listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart e) {
                if (e.properties() != null && group.equals(e.properties().getProperty("spark.jobGroup.id"))) {
                    scala.collection.Iterator<Object> it = e.stageIds().iterator();
                    while (it.hasNext()) {
                        stages.add((Integer) it.next());
                    }
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd e) {
                if (stages.contains(e.stageId())
                        && e.taskInfo() != null
                        && e.taskInfo().successful()) {
                    meter.add(1);
                }
            }
        };
    }

    /** Starts counting the tasks of jobs run from this thread until {@link #close}. */
    public static TaskProgress start(SparkSession spark, String stage, String unit, long total, Logger log) {
        return start(spark, stage, unit, total, log, null);
    }

    /**
     * Like {@link #start(SparkSession, String, String, long, Logger)}, but counting what tasks added to {@code
     * counter} (e.g. patches made) rather than tasks: the driver's value of the accumulator (merged as tasks
     * finish) is polled every second.
     */
    public static TaskProgress start(
            SparkSession spark, String stage, String unit, long total, Logger log, LongAccumulator counter) {
        return start(spark, stage, unit, total, log, counter, INTERVAL_MILLIS);
    }

    /** As above, with at least {@code intervalMillis} between two lines (long stages that repeat, e.g. epochs). */
    public static TaskProgress start(
            SparkSession spark,
            String stage,
            String unit,
            long total,
            Logger log,
            LongAccumulator counter,
            long intervalMillis) {
        SparkContext sc = spark.sparkContext();
        String group = "magmap-" + stage + "-" + UUID.randomUUID();
        ProgressMeter meter =
                new ProgressMeter(stage, unit, total, intervalMillis, System::currentTimeMillis, log::info);
        TaskProgress p = new TaskProgress(sc, group, meter, counter);
        if (counter != null) {
            p.poller = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "magmap-progress-" + stage);
                t.setDaemon(true);
                return t;
            });
            p.poller.scheduleAtFixedRate(() -> meter.set(counter.value()), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
        sc.addSparkListener(p.listener);
        sc.setJobGroup(group, "magmap " + stage, false);
        return p;
    }

    /** Units finished so far. */
    public long done() {
        return meter.done();
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
            meter.set(counter.value());
        }
        sc.clearJobGroup();
        sc.removeSparkListener(listener);
        meter.finish();
    }
}
