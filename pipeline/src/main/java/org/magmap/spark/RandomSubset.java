package org.magmap.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A capped, uniformly drawn subset of a Dataset, for runs that need a bounded number of patches. */
public final class RandomSubset {
    private RandomSubset() {}

    /**
     * At most {@code max} rows of {@code rows} (all of them when {@code max} is 0 or there are no more), drawn
     * uniformly with a fixed seed. Not {@code limit}: patch files are written per simulation and view, so the
     * first rows would be a few simulations only.
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
        // sample() keeps each row with this probability; the slight excess is cut so the cap is exact
        double fraction = Math.min(1.0, 1.05 * max / n);
        return rows.sample(false, fraction, seed).limit((int) Math.min(Integer.MAX_VALUE, max));
    }
}
