package org.magmap.nightly;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.magmap.ops.Failures;
import org.magmap.ops.OutputFiles;
import org.magmap.spark.SparkSessions;
import org.magmap.spark.TaskProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SHA-256 of whole input files, read where Spark runs the tasks (a survey's cubes are tens of GB: the driver
 * only gets the 64 hex digits of each).
 */
public final class Fingerprints {
    private static final Logger LOG = LoggerFactory.getLogger(Fingerprints.class);
    private static final int BUFFER = 1 << 20;

    private Fingerprints() {}

    /**
     * The inputs with their fingerprints, in the order given; an input that cannot be read gets "" and the reason.
     */
    public static List<InputFile> of(SparkSession spark, List<InputFile> inputs) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        OutputFiles.HadoopSettings hadoop = SparkSessions.hadoopSettings(spark);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (TaskProgress p = TaskProgress.start(spark, "nightly", "fingerprints", inputs.size(), LOG)) {
            return jsc.parallelize(new ArrayList<>(inputs), inputs.size())
                    .map(in -> fingerprint(in, hadoop))
                    .collect(); // 64 hex digits per input
        }
    }

    /** One input's fingerprint, read through Hadoop's file system. */
    static InputFile fingerprint(InputFile in, OutputFiles.HadoopSettings hadoop) {
        Path path = new Path(in.path());
        try {
            FileSystem fs = path.getFileSystem(hadoop.toConfiguration());
            try (InputStream stream = fs.open(path)) {
                return in.withFingerprint(sha256(stream), "");
            }
        } catch (IOException | RuntimeException e) {
            return in.withFingerprint("", "cannot be read (" + Failures.describe(e) + ")");
        }
    }

    /** SHA-256 of a stream's bytes, lower-case hex. */
    public static String sha256(InputStream stream) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = stream.read(buffer)) > 0; ) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
