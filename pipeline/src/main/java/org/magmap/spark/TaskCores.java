package org.magmap.spark;

import org.apache.spark.TaskContext;

/** The cores the running Spark task holds ({@code spark.task.cpus}), for libraries that size their own threads. */
public final class TaskCores {
    private TaskCores() {}

    /** The calling task's cores; outside a task, the machine's. */
    public static int current() {
        TaskContext task = TaskContext.get();
        return task == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, task.cpus());
    }
}
