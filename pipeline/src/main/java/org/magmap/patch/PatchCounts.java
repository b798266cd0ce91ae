package org.magmap.patch;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a written patch dataset holds, for its manifest: patches in all, per split, and per simulation and split.
 *
 * @param perSimulation per simulation, patches per split
 */
public record PatchCounts(long patches, Map<String, Long> perSplit, Map<String, Map<String, Long>> perSimulation) {
    /** Counts a written patch dataset at {@code dir} (reading two short string columns only). */
    public static PatchCounts of(SparkSession spark, String dir) {
        Map<String, Long> perSplit = new TreeMap<>();
        Map<String, Map<String, Long>> perSimulation = new TreeMap<>();
        long total = 0;
        // Two short string columns only: Parquet reads nothing else.
        for (Row r :
                spark.read().parquet(dir).groupBy("split", "simulation").count().collectAsList()) {
            String split = r.getString(0);
            long n = r.getLong(2);
            perSplit.merge(split, n, Long::sum);
            perSimulation.computeIfAbsent(r.getString(1), k -> new TreeMap<>()).put(split, n);
            total += n;
        }
        return new PatchCounts(total, perSplit, perSimulation);
    }

    /** Bytes of the Parquet files under {@code dir}. */
    public static long parquetBytes(FileSystem fs, Path dir) throws IOException {
        long bytes = 0;
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
        while (it.hasNext()) {
            FileStatus f = it.next();
            if (f.getPath().getName().endsWith(".parquet")) {
                bytes += f.getLen();
            }
        }
        return bytes;
    }
}
