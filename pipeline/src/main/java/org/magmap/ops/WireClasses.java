package org.magmap.ops;

import java.util.List;

/**
 * The classes one package sends between driver and executors, so each package registers its own with the Spark
 * serializer (found with {@link java.util.ServiceLoader}; listed in {@code
 * META-INF/services/org.magmap.ops.WireClasses}) and the serializer's package names none of them.
 */
public interface WireClasses {
    /** Classes sent with the Kryo serializer (records go through Java serialization: see the registrator). */
    List<Class<?>> kryo();

    /** Classes that serialize themselves and must go through Java serialization (DL4J's, with INDArrays). */
    default List<Class<?>> javaSerialized() {
        return List.of();
    }
}
