package org.magmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
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
    void everyPartGetsItsShareWhereverItIsRead() {
        // Four groups of 2,500 rows, each in its own partition in order (range keeps ids contiguous), half drawn:
        // each group's count follows the hypergeometric law, mean 1,250 and standard deviation 17.7. The old
        // sample-then-limit draw took about 5,250 rows and cut the excess from the partition read last, leaving
        // that group near 1,060.
        Dataset<Row> rows = SharedSpark.session()
                .range(0, 10_000, 1, 4)
                .toDF("id")
                .withColumn("grp", functions.col("id").divide(2_500).cast("int"));
        Dataset<Row> subset = RandomSubset.atMost(rows, 5_000, -1, 11);
        assertEquals(5_000, subset.count());
        for (Row g : subset.groupBy("grp").count().collectAsList()) {
            long drawn = g.getLong(1);
            assertTrue(Math.abs(drawn - 1_250) < 6 * 17.7, "group " + g.getInt(0) + " drew " + drawn + " of 1,250");
        }
    }

    @Test
    void theDrawDependsOnTheRowsAndTheSeedNotOnThePartitioning() {
        Dataset<Row> rows = SharedSpark.session().range(0, 2_000, 1, 2).toDF("id");
        Dataset<Row> reshuffled = rows.repartition(7, functions.col("id"));
        List<Long> once = ids(RandomSubset.atMost(rows, 300, -1, 5));
        assertEquals(300, once.size());
        assertTrue(once.equals(ids(RandomSubset.atMost(reshuffled, 300, -1, 5))), "seven partitions draw other rows");
        assertFalse(once.equals(ids(RandomSubset.atMost(rows, 300, -1, 6))), "another seed draws the same rows");
    }

    private static List<Long> ids(Dataset<Row> d) {
        return d.orderBy("id").as(Encoders.LONG()).collectAsList();
    }

    @Test
    void noCapOrAnAmpleCapKeepsEveryRowAndANegativeCapIsRefused() {
        Dataset<Row> rows = SharedSpark.session().range(0, 50).toDF("id");
        assertEquals(50, RandomSubset.atMost(rows, 0, -1, 7).count());
        assertEquals(50, RandomSubset.atMost(rows, 500, -1, 7).count());
        assertThrows(IllegalArgumentException.class, () -> RandomSubset.atMost(rows, -1, -1, 7));
    }
}
