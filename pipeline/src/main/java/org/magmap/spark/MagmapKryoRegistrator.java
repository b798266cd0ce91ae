package org.magmap.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers the classes magmap sends between driver and executors.
 *
 * <p>Tests run with {@code spark.kryo.registrationRequired=true}, so a class that crosses the wire without
 * being listed here fails a test rather than silently costing a full class name per record in production.
 */
public final class MagmapKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        for (Class<?> c : KryoClasses.kryo()) {
            if (c.isRecord()) {
                // Kryo 4 (Spark's) cannot field-serialize records: it reads field offsets through Unsafe,
                // which Java 16+ refuses for records. Our records are small work units; Java serialization
                // of them is cheap and respects the canonical constructor.
                kryo.register(c, new JavaSerializer());
            } else {
                kryo.register(c);
            }
        }
        for (Class<?> c : KryoClasses.javaSerialized()) {
            kryo.register(c, new JavaSerializer());
        }
    }
}
