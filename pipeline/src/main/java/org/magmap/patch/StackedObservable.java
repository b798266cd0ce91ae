package org.magmap.patch;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * An input of several maps of the same sky cut together: {@code HI_CH01+SYNC} names a patch whose image holds the
 * thin H I channel and the synchrotron map of the same crop, turned by the same angle, one channel each (planes back
 * to back, in the order named). Each channel is normalised on its own, so each keeps its morphology and none
 * swamps the other.
 *
 * <p>Why: one map can leave the field's orientation ambiguous where another does not. On this project's H I suite
 * the thin-channel structures of the weak-field, high-dispersion runs (b1-s2.5, b1-s5, seen at 60 and 90 deg) lie
 * across the field, where those of the other runs lie along it, and one normalised H I patch does not tell the
 * two apart. The synchrotron map, made from the field itself, keeps its structures nearer the field in every run
 * (docs/results.md, "Reading the psi figures").
 */
public final class StackedObservable {
    /** Joins the maps of a stacked observable. */
    public static final String JOIN = "+";

    private StackedObservable() {}

    /**
     * The maps of an observable in channel order: one for a plain map name, several for a stack.
     *
     * @throws IllegalArgumentException for an empty part or a map named twice
     */
    public static List<String> maps(String observable) {
        List<String> maps = Arrays.asList(observable.split(java.util.regex.Pattern.quote(JOIN), -1));
        if (maps.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(
                    "'" + observable + "' has an empty map name (a stack joins map names with '" + JOIN + "')");
        }
        if (new HashSet<>(maps).size() != maps.size()) {
            throw new IllegalArgumentException("'" + observable + "' names a map twice");
        }
        return List.copyOf(maps);
    }

    /** The number of input channels of an observable. */
    public static int channels(String observable) {
        return maps(observable).size();
    }
}
