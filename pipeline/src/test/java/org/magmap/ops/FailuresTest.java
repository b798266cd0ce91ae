package org.magmap.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    /** What Spark's driver throws when a task fails: its message carries the task's trace, its cause the task's. */
    private static Exception sparkAbort(Throwable task) {
        return new Exception(
                "Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times, most recent failure: Lost task"
                        + " 0.0 in stage 3.0 (TID 7) (host executor driver): " + task + "\n\tat a.b.C.d(C.java:1)",
                task);
    }

    @Test
    void theOneLineKeepsTheSystemsReasonAndDropsSparksWrapper() {
        IOException root = new IOException("No space left on device");
        Exception e = sparkAbort(new RuntimeException(new IOException("cannot write part-0001.parquet", root)));
        assertEquals("cannot write part-0001.parquet: No space left on device", Failures.describe(e));
    }

    @Test
    void badInputFoundInsideATaskIsStillBadInput() {
        BadInputException bad = new BadInputException("/data/cube.fits", "field 'density' is 100 % blank");
        Exception e = sparkAbort(new IllegalStateException("wrapped", bad));
        assertEquals(bad, Failures.badInput(e).orElseThrow());
        assertTrue(Failures.badInput(new IOException("x")).isEmpty());
    }

    @Test
    void aTaskThatCouldNotReadAnInputFileNamesIt() {
        Exception read = new Exception(
                "Encountered error while reading file file:///tmp/p/split=train/part-00000-1.snappy.parquet. Details:",
                new IOException("can not read class org.apache.parquet.format.PageHeader: Required field"
                        + " 'uncompressed_page_size' was not found"));
        BadInputException bad = Failures.unreadableInput(sparkAbort(read)).orElseThrow();
        assertEquals("file:///tmp/p/split=train/part-00000-1.snappy.parquet", bad.source());
        assertTrue(bad.getMessage().contains("uncompressed_page_size"), bad.getMessage());
        assertTrue(Failures.unreadableInput(sparkAbort(new IOException("No space left on device")))
                .isEmpty());
    }
}
