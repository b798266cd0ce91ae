package org.magmap.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration keys a job reads, with their defaults and one-line descriptions, taken from the comments in
 * {@code reference.conf}: one source, so a job's {@code --help} cannot drift from the defaults it runs with.
 */
public final class ConfigKeys {
    private ConfigKeys() {}

    /**
     * One key.
     *
     * @param key the full path (e.g. {@code magmap.train.epochs})
     * @param defaultValue the default, rendered as HOCON
     * @param description the comment above the key in {@code reference.conf}, joined into one line ("" if none)
     */
    public record Key(String key, String defaultValue, String description) {}

    /** Every key under {@code section} (e.g. {@code magmap.train}), in the order reference.conf lists them. */
    public static List<Key> under(String section) {
        Config reference = ConfigFactory.parseResources(ConfigKeys.class.getClassLoader(), "reference.conf");
        List<Key> keys = new ArrayList<>();
        if (reference.hasPath(section)) {
            ConfigValue value = reference.getValue(section);
            collect(section, value, keys);
        }
        return keys;
    }

    private static void collect(String path, ConfigValue value, List<Key> out) {
        if (value.valueType() == ConfigValueType.OBJECT) {
            // Typesafe keeps an object's entries unordered; the origin line numbers restore the file's order.
            List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(((ConfigObject) value).entrySet());
            entries.sort((a, b) -> Integer.compare(
                    a.getValue().origin().lineNumber(), b.getValue().origin().lineNumber()));
            for (Map.Entry<String, ConfigValue> e : entries) {
                collect(path + "." + e.getKey(), e.getValue(), out);
            }
            return;
        }
        String description = String.join(
                        " ",
                        value.origin().comments().stream().map(String::strip).toList())
                .strip();
        out.add(new Key(path, value.render(ConfigRenderOptions.concise()), description));
    }

    /** The keys as help text: one key and default per line, its description indented below it. */
    public static String help(List<String> sections) {
        StringBuilder out = new StringBuilder();
        for (String section : sections) {
            for (Key k : under(section)) {
                out.append("  ")
                        .append(k.key())
                        .append(" = ")
                        .append(k.defaultValue())
                        .append('\n');
                if (!k.description().isEmpty()) {
                    out.append("      ").append(k.description()).append('\n');
                }
            }
        }
        return out.toString();
    }
}
