package org.magmap.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;

/** A capped, uniformly drawn subset of a Dataset, for runs that need a bounded number of patches. */
public final class RandomSubset {
    private RandomSubset() {}

    /**
     * At most {@code max} rows of {@code rows} (all of them when {@code max} is 0 or there are no more), drawn
     * uniformly without replacement: each row gets a key, a 64-bit hash of its content and the seed, and the
     * {@code max} rows with the smallest keys are kept. The draw depends only on the rows and the seed, not on how
     * they are partitioned, so any number of executors picks the same subset.
     *
     * <p>Not {@code limit}: patch files are written per simulation and view, so the first rows would be a few
     * simulations only. Nor {@code sample} followed by {@code limit} to cut the excess, which this method used to
     * do: the cut falls on the partitions read last, and on the H I suite it left one simulation with half its
     * share of a 10,000-patch test subset.
     *
     * @param count the number of rows, if already known (negative: counted here)
     */
    public static Dataset<Row> atMost(Dataset<Row> rows, long max, long count, long seed) {
        if (max < 0) {
            throw new IllegalArgumentException("a patch cap must be >= 0 (0 = all), got " + max);
        }
        if (max == 0) {
            return rows;
        }
        long n = count >= 0 ? count : rows.count();
        if (n <= max) {
            return rows;
        }
        Column key = key(rows, seed);
        // The max-th smallest key: a sort of one long per row, and one number back to the driver.
        Row threshold = rows.select(key.as("key"))
                .orderBy("key")
                .limit((int) Math.min(Integer.MAX_VALUE, max))
                .agg(functions.max("key"))
                .first();
        // Only rows identical in every column share a key, and such rows are interchangeable: a tie at the
        // threshold can exceed the cap only by copies of one row.
        return rows.filter(key.leq(threshold.getLong(0)));
    }

    /** A row's draw key: xxhash64 of the seed and every column that Spark can hash (maps it cannot). */
    private static Column key(Dataset<Row> rows, long seed) {
        List<Column> parts = new ArrayList<>();
        parts.add(functions.lit(seed));
        for (StructField f : rows.schema().fields()) {
            if (!(f.dataType() instanceof MapType)
                    && !(f.dataType() instanceof ArrayType a && a.elementType() instanceof MapType)) {
                parts.add(rows.col(f.name()));
            }
        }
        return functions.xxhash64(parts.toArray(new Column[0]));
    }
}
