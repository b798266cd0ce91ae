package org.magmap.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.magmap.batch.PatchBatches;
import org.magmap.spark.SharedSpark;

/** Training rows arrive grouped by map; the batches must mix simulations (see {@link PatchBatches#shuffled}). */
class ShuffleTest {
    @Test
    void aMiniBatchOfShuffledRowsMixesTheGroupsAndKeepsEveryRow() {
        // 4 "simulations" of 200 rows each, written one after the other as make-patches does
        Dataset<Row> grouped = SharedSpark.session()
                .range(0, 800)
                .selectExpr("cast(id div 200 as string) as simulation", "id")
                .repartition(4, org.apache.spark.sql.functions.col("simulation"))
                .sortWithinPartitions("id");
        Dataset<Row> shuffled = PatchBatches.shuffled(grouped, 1);
        List<String> firstBatch =
                shuffled.limit(32).select("simulation").as(Encoders.STRING()).collectAsList();
        // A batch of 32 drawn uniformly from 4 equal groups misses a group with probability ~4 (3/4)^32 = 4e-4.
        assertEquals(4, new HashSet<>(firstBatch).size(), firstBatch.toString());
        Set<Long> ids = new HashSet<>(shuffled.select("id").as(Encoders.LONG()).collectAsList());
        assertEquals(800, ids.size());
        assertTrue(ids.contains(0L) && ids.contains(799L));
    }
}
