package org.magmap.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/** Every job magmap can run, in the order {@code --help} lists them. Adding a job means adding it here. */
public final class JobRegistry {
    private static final List<Supplier<SparkJob>> JOBS = List.of(
            DoctorJob::new,
            SimulateJob::new,
            ObserveJob::new,
            MakePatchesJob::new,
            TrainJob::new,
            EvaluateJob::new,
            InferJob::new,
            MosaicJob::new,
            NightlyJob::new,
            QuickstartJob::new);

    private JobRegistry() {}

    /** Fresh instances keyed by job name. */
    public static Map<String, SparkJob> newInstances() {
        Map<String, SparkJob> out = new LinkedHashMap<>();
        for (Supplier<SparkJob> s : JOBS) {
            SparkJob job = s.get();
            Command c = job.getClass().getAnnotation(Command.class);
            if (c == null) {
                throw new IllegalStateException(job.getClass() + " lacks a @Command annotation");
            }
            if (out.put(c.name(), job) != null) {
                throw new IllegalStateException("Two jobs are named " + c.name());
            }
        }
        return out;
    }

    /** A fresh instance of one job, or null if no job has that name. */
    public static SparkJob create(String name) {
        return newInstances().get(name);
    }
}
