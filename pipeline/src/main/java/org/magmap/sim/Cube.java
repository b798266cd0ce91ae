package org.magmap.sim;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/** A cube held in memory: small cubes in tests and single-task work. */
public final class Cube implements CubeReader {
    private final CubeMeta meta;
    private final EnumMap<Field, float[]> data;

    /**
     * @param meta what the cube is; its field set must match {@code data}'s keys
     * @param data one full array per field, each of {@code meta.shape().cells()} values (not copied)
     */
    public Cube(CubeMeta meta, Map<Field, float[]> data) {
        this.meta = meta;
        this.data = new EnumMap<>(Field.class);
        this.data.putAll(data);
        if (!meta.fields().equals(this.data.keySet())) {
            throw new IllegalArgumentException(
                    "meta lists fields " + meta.fields() + " but data has " + this.data.keySet());
        }
        long cells = meta.shape().cells();
        for (Map.Entry<Field, float[]> e : this.data.entrySet()) {
            if (e.getValue().length != cells) {
                throw new IllegalArgumentException(e.getKey().key() + " has " + e.getValue().length
                        + " values, the grid " + meta.shape() + " needs " + cells);
            }
        }
    }

    @Override
    public CubeMeta meta() {
        return meta;
    }

    /** The array behind a field (not a copy). */
    public float[] field(Field f) {
        float[] a = data.get(f);
        if (a == null) {
            throw new IllegalArgumentException(meta.runId() + " has no field '" + f.key() + "'");
        }
        return a;
    }

    @Override
    public float[] readSlab(Field field, int z0, int planes) {
        checkSlab(field, z0, planes);
        int plane = meta.shape().planeSize();
        return Arrays.copyOfRange(data.get(field), z0 * plane, (z0 + planes) * plane);
    }

    /** Reads every field of {@code reader} into memory. */
    public static Cube load(CubeReader reader) throws java.io.IOException {
        EnumMap<Field, float[]> d = new EnumMap<>(Field.class);
        for (Field f : reader.meta().fields()) {
            d.put(f, reader.readField(f));
        }
        return new Cube(reader.meta(), d);
    }
}
