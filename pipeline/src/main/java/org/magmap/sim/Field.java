package org.magmap.sim;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** A physical field a cube may hold, with the key used on disk (FLASH's names) and the unit magmap stores. */
public enum Field {
    DENSITY("dens", "g cm-3"),
    VELOCITY_X("velx", "km s-1"),
    VELOCITY_Y("vely", "km s-1"),
    VELOCITY_Z("velz", "km s-1"),
    B_X("magx", "uG"),
    B_Y("magy", "uG"),
    B_Z("magz", "uG"),
    TEMPERATURE("temp", "K");

    /** The seven fields every MHD cube must have; temperature is optional (isothermal runs use c_s). */
    public static final Set<Field> REQUIRED = EnumSet.range(DENSITY, B_Z);

    private final String key;
    private final String unit;

    Field(String key, String unit) {
        this.key = key;
        this.unit = unit;
    }

    /** Short name used as FITS EXTNAME, HDF5 dataset name and in configs. */
    public String key() {
        return key;
    }

    /** The unit values are stored in (FITS BUNIT). */
    public String unit() {
        return unit;
    }

    /** The field with this key, or an error listing the known keys. */
    public static Field byKey(String key) {
        for (Field f : values()) {
            if (f.key.equalsIgnoreCase(key)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown field '" + key + "' (known: "
                + Arrays.stream(values()).map(Field::key).collect(Collectors.joining(", ")) + ")");
    }

    /** The three velocity components in x, y, z order. */
    public static Field[] velocity() {
        return new Field[] {VELOCITY_X, VELOCITY_Y, VELOCITY_Z};
    }

    /** The three magnetic-field components in x, y, z order. */
    public static Field[] magnetic() {
        return new Field[] {B_X, B_Y, B_Z};
    }
}
