package org.magmap.conf;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a choice among enum constants is spelled in a config file: lower case, words joined by '-' (constant
 * {@code GLOBAL_AVERAGE} is {@code "global-average"}). One rule for every such key, so the names written to cards
 * and manifests read back.
 */
public final class ConfigNames {
    private ConfigNames() {}

    /** The config spelling of a constant. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant spelled {@code name} (surrounding blanks and case ignored).
     *
     * @param what what the choice is, for the error (e.g. "CNN head")
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String name, String what) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("unknown " + what + " '" + name + "' ("
                + Arrays.stream(type.getEnumConstants()).map(ConfigNames::of).collect(Collectors.joining(", ")) + ")");
    }
}
