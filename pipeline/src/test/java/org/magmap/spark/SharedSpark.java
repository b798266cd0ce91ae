package org.magmap.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.magmap.conf.MagmapConfig;

/**
 * One {@code local[2]} SparkSession per test JVM, built through the production {@link SparkSessions} path with
 * test settings on top: UI off, loopback only, Kryo with registration required (a class that crosses the wire
 * without being registered fails the test), few shuffle partitions.
 */
public final class SharedSpark {
    /** The settings every test session uses. */
    public static final Map<String, String> TEST_SETTINGS = Map.of(
            "spark.master", "local[2]",
            "spark.ui.enabled", "false",
            "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1",
            "spark.kryo.registrationRequired", "true",
            "spark.sql.shuffle.partitions", "4",
            "spark.ui.showConsoleProgress", "false");

    private static SparkSession session;

    private SharedSpark() {}

    /** The shared session, started on first use and stopped when the JVM exits. */
    public static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSessions.start(testConfig(), "magmap-tests");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> session.stop()));
        }
        return session;
    }

    /** Defaults plus the test settings, as a job would see them. */
    public static MagmapConfig testConfig() {
        return MagmapConfig.load(java.util.List.of(), TEST_SETTINGS);
    }
}
