package org.magmap.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.magmap.conf.MagmapConfig;

/**
 * Builds the SparkSession for a job.
 *
 * <p>Precedence, highest first: what {@code spark-submit} (or {@code -Dspark.*} system properties) set; then
 * {@code spark.*} keys in the magmap configuration; then the project's defaults below. The master is never
 * hard-coded: {@code local[*]} is used only when nothing set {@code spark.master}.
 */
public final class SparkSessions {
    /** Used only when neither spark-submit nor the configuration named a master. */
    public static final String FALLBACK_MASTER = "local[*]";

    private SparkSessions() {}

    /** The SparkConf a job would start with, without starting anything (tests and the banner use this). */
    public static SparkConf sparkConf(MagmapConfig config, String appName) {
        // new SparkConf() loads spark.* system properties, which is how spark-submit hands over its settings.
        SparkConf conf = new SparkConf();
        for (Map.Entry<String, String> e : config.sparkSettings().entrySet()) {
            conf.setIfMissing(e.getKey(), e.getValue());
        }
        conf.setIfMissing("spark.master", FALLBACK_MASTER);
        if (conf.get("spark.master").startsWith("local")) {
            // Local mode needs no network: stay on loopback (no ports open to the LAN, no DNS surprises).
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        // Nd4jRegistrator is required by dl4j-spark whenever Kryo is the serializer.
        conf.setIfMissing(
                "spark.kryo.registrator", MagmapKryoRegistrator.class.getName() + ",org.nd4j.kryo.Nd4jRegistrator");
        return conf;
    }

    /** The {@code spark.hadoop.*} settings of a session, for tasks that open Hadoop file systems themselves. */
    public static org.magmap.ops.OutputFiles.HadoopSettings hadoopSettings(SparkSession spark) {
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) {
                entries.put(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        return new org.magmap.ops.OutputFiles.HadoopSettings(entries);
    }

    /** Starts (or joins) the session. */
    public static SparkSession start(MagmapConfig config, String appName) {
        return SparkSession.builder().config(sparkConf(config, appName)).getOrCreate();
    }
}
