package org.magmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.magmap.conf.MagmapConfig;

class SparkSessionsTest {
    @Test
    void fallsBackToLocalOnlyWhenNothingSetAMaster() {
        String saved = System.clearProperty("spark.master");
        try {
            SparkConf conf = SparkSessions.sparkConf(MagmapConfig.defaults(), "t");
            assertEquals("local[*]", conf.get("spark.master"));
        } finally {
            if (saved != null) {
                System.setProperty("spark.master", saved);
            }
        }
    }

    @Test
    void aMasterInTheConfigurationIsUsed() {
        MagmapConfig c = MagmapConfig.load(List.of(), Map.of("spark.master", "local[3]"));
        assertEquals("local[3]", SparkSessions.sparkConf(c, "t").get("spark.master"));
    }

    @Test
    void sparkSubmitWinsOverTheConfiguration() {
        // spark-submit hands its --master to the driver as the spark.master system property.
        String saved = System.getProperty("spark.master");
        System.setProperty("spark.master", "spark://submitted:7077");
        try {
            MagmapConfig c = MagmapConfig.load(List.of(), Map.of("spark.master", "local[3]"));
            assertEquals(
                    "spark://submitted:7077", SparkSessions.sparkConf(c, "t").get("spark.master"));
        } finally {
            if (saved == null) {
                System.clearProperty("spark.master");
            } else {
                System.setProperty("spark.master", saved);
            }
        }
    }

    @Test
    void kryoIsTheSerializerWithNd4jRegistered() {
        SparkConf conf = SparkSessions.sparkConf(MagmapConfig.defaults(), "t");
        assertEquals("org.apache.spark.serializer.KryoSerializer", conf.get("spark.serializer"));
        assertEquals(
                "org.magmap.spark.MagmapKryoRegistrator,org.nd4j.kryo.Nd4jRegistrator",
                conf.get("spark.kryo.registrator"));
    }
}
