package org.magmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class ExecutorProbeTest {
    @Test
    void everyTaskLoadsNd4jAndGetsTheKnownProduct() {
        JavaSparkContext jsc =
                JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
        List<ExecutorProbe.Report> reports = ExecutorProbe.run(jsc, 3);
        assertEquals(3, reports.size());
        assertEquals(
                List.of(0, 1, 2),
                reports.stream().map(ExecutorProbe.Report::partition).sorted().toList());
        for (ExecutorProbe.Report r : reports) {
            assertTrue(r.works(), r.backend() + " " + r.error());
            assertTrue(r.backend().startsWith("CpuBackend"), r.backend());
        }
    }
}
