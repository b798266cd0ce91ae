package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.magmap.ops.BadInputException;

/** The one-training-task-per-executor rule, read off the master and the Spark settings a job would be given. */
class TrainJobTest {
    private static void check(SparkConf conf, String master) {
        TrainJob.requireOneTaskPerExecutor(conf, master, "magmap.train.distribution = gradient-sharing", "why");
    }

    @Test
    void clusterExecutorsWithSeveralTaskSlotsAreRefusedUntilATaskTakesAllCores() {
        SparkConf fourCores = new SparkConf().set("spark.executor.cores", "4");
        BadInputException refused = assertThrows(BadInputException.class, () -> check(fourCores, "spark://head:7077"));
        assertTrue(refused.getMessage().contains("spark.task.cpus=4"), refused.getMessage());
        assertTrue(refused.getMessage().contains("gradient-sharing"), refused.getMessage());
        assertDoesNotThrow(() -> check(fourCores.clone().set("spark.task.cpus", "4"), "spark://head:7077"));
    }

    @Test
    void localModeCountsItsThreads() {
        assertDoesNotThrow(() -> check(new SparkConf(), "local"));
        assertDoesNotThrow(() -> check(new SparkConf(), "local[1]"));
        assertThrows(BadInputException.class, () -> check(new SparkConf(), "local[2]"));
        assertDoesNotThrow(() -> check(new SparkConf().set("spark.task.cpus", "2"), "local[2]"));
    }
}
