package org.magmap.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** Everything we send to executors survives Spark's Kryo, with registration required. */
class KryoRoundTripTest {
    static <T> T roundTrip(T value) {
        SerializerInstance kryo = new KryoSerializer(SparkSessions.sparkConf(SharedSpark.testConfig(), "t")
                        .set("spark.kryo.registrationRequired", "true"))
                .newInstance();
        @SuppressWarnings("unchecked")
        Class<T> cls = (Class<T>) value.getClass();
        ByteBuffer bytes = kryo.serialize(value, ClassTag$.MODULE$.apply(cls));
        return kryo.deserialize(bytes, ClassTag$.MODULE$.apply(cls));
    }

    @Test
    void executorProbeReportsRoundTrip() {
        ExecutorProbe.Report r = new ExecutorProbe.Report("host", "3", 7, "CpuBackend", true, null);
        assertEquals(r, roundTrip(r));
    }

    @Test
    void evaluationSummariesRoundTrip() {
        org.magmap.evaluate.ComparisonAccumulator acc = new org.magmap.evaluate.ComparisonAccumulator(
                new org.magmap.evaluate.ComparisonAccumulator.Settings(2, 5, 10, 0, 8, 4));
        acc.add(org.magmap.evaluate.ComparisonAccumulator.ALL, 3, 3.5, 4);
        org.magmap.evaluate.Comparison c = acc.result().get(org.magmap.evaluate.ComparisonAccumulator.ALL);
        org.magmap.evaluate.Comparison back = roundTrip(c);
        assertEquals(c.model().deviations(), back.model().deviations());
        assertEquals(c.model().sums(), back.model().sums());
        assertEquals(c.baselineDensity(), back.baselineDensity());
    }
}
