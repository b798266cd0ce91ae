package org.magmap.spark;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.magmap.ops.WireClasses;

/**
 * The list behind {@link MagmapKryoRegistrator}: Spark's own classes that magmap's Datasets move, then every
 * package's {@link WireClasses}, in the order of the providers' class names (the same on driver and executors,
 * so Kryo's registration ids agree).
 */
final class KryoClasses {
    /** Spark internals that our Dataset writes and collects move with registrationRequired on. */
    private static final List<Class<?>> SPARK = List.of(
            Object[].class,
            byte[][].class,
            double[].class,
            float[].class,
            int[].class,
            long[].class,
            String[].class,
            java.util.ArrayList.class,
            java.util.HashMap.class,
            java.util.LinkedHashMap.class,
            ExecutorProbe.Report.class,
            org.magmap.ops.OutputFiles.HadoopSettings.class);

    /**
     * Every package's providers, sorted by class name; looked up once per JVM, not each time Spark makes a Kryo
     * instance.
     */
    private static final List<WireClasses> PROVIDERS = providers();

    private KryoClasses() {}

    private static List<WireClasses> providers() {
        List<WireClasses> all = new ArrayList<>();
        ServiceLoader.load(WireClasses.class, KryoClasses.class.getClassLoader())
                .forEach(all::add);
        all.sort(Comparator.comparing(p -> p.getClass().getName()));
        return List.copyOf(all);
    }

    /** The classes registered with Kryo's own serializers (records: Java serialization). */
    static List<Class<?>> kryo() {
        List<Class<?>> out = new ArrayList<>(SPARK);
        PROVIDERS.forEach(p -> out.addAll(p.kryo()));
        return out;
    }

    /** The classes that must go through Java serialization. */
    static List<Class<?>> javaSerialized() {
        List<Class<?>> out = new ArrayList<>();
        PROVIDERS.forEach(p -> out.addAll(p.javaSerialized()));
        return out;
    }
}
