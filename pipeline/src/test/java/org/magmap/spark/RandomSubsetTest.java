package org.magmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

class RandomSubsetTest {
    @Test
    void aCapIsExactAndDrawsFromEveryPartNotTheFirstRows() {
        Dataset<Row> rows = SharedSpark.session().range(0, 1000).toDF("id").repartition(10, functions.col("id"));
        Dataset<Row> subset = RandomSubset.atMost(rows, 100, -1, 7);
        assertEquals(100, subset.count());
        Row span = subset.agg(functions.min("id"), functions.max("id")).first();
        // the first 100 rows would span at most 100 ids of a partition's run; a uniform draw spans nearly all 1000
        assertTrue(span.getLong(1) - span.getLong(0) > 800, span.toString());
        assertEquals(100, subset.distinct().count(), "without replacement");
    }

    @Test
    void noCapOrAnAmpleCapKeepsEveryRowAndANegativeCapIsRefused() {
        Dataset<Row> rows = SharedSpark.session().range(0, 50).toDF("id");
        assertEquals(50, RandomSubset.atMost(rows, 0, -1, 7).count());
        assertEquals(50, RandomSubset.atMost(rows, 500, -1, 7).count());
        assertThrows(IllegalArgumentException.class, () -> RandomSubset.atMost(rows, -1, -1, 7));
    }
}
