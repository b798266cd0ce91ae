package org.magmap.conf;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.BadValue;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merged configuration of one job run, with a record of where every layer came from.
 *
 * <p>Immutable. Jobs read it once into their own small settings records; it is not itself shipped to
 * executors.
 */
public final class MagmapConfig {
    /** Prefix of every project key. */
    public static final String PROJECT_PREFIX = "magmap";
    /** Prefix of keys passed through to Spark unchanged. */
    public static final String SPARK_PREFIX = "spark";

    private final Config config;
    private final List<String> sources;

    private MagmapConfig(Config config, List<String> sources) {
        this.config = config;
        this.sources = List.copyOf(sources);
    }

    /** Code defaults only (every {@code reference.conf} on the classpath). */
    public static MagmapConfig defaults() {
        return load(List.of(), Map.of());
    }

    /**
     * Merges the layers: defaults &lt; {@code files} (later files win) &lt; {@code overrides}.
     *
     * @param files config files in HOCON (a superset of JSON and Java properties)
     * @param overrides {@code key -> value} pairs from {@code --conf key=value}; a value starting with
     *     {@code [} or {@code {} is parsed as HOCON (a list or object), anything else is taken as a string
     *     and converted on read
     * @throws ConfigException naming the file or key at fault
     */
    public static MagmapConfig load(List<Path> files, Map<String, String> overrides) {
        // Only reference.conf files: unlike ConfigFactory.defaultReference(), no system properties mixed in.
        Config reference = ConfigFactory.parseResources(MagmapConfig.class.getClassLoader(), "reference.conf");
        List<String> sources = new ArrayList<>();
        sources.add("defaults (reference.conf)");
        Config merged = ConfigFactory.empty();
        List<NamedLayer> userLayers = new ArrayList<>();
        for (Path file : files) {
            Config layer = parseFile(file);
            userLayers.add(new NamedLayer(file.toString(), layer));
            merged = layer.withFallback(merged);
            sources.add(file.toString());
        }
        if (!overrides.isEmpty()) {
            Config layer = parseOverrides(overrides);
            userLayers.add(new NamedLayer("--conf", layer));
            merged = layer.withFallback(merged);
            sources.add("--conf (" + overrides.size() + " key" + (overrides.size() == 1 ? "" : "s") + ")");
        }
        for (NamedLayer layer : userLayers) {
            rejectUnknownKeys(layer, reference);
        }
        Config resolved;
        try {
            resolved = merged.withFallback(reference).resolve(ConfigResolveOptions.defaults());
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("Configuration cannot be resolved: " + e.getMessage(), e);
        }
        checkWholeNumbers(reference, resolved);
        return new MagmapConfig(resolved, sources);
    }

    /**
     * Every key whose default is a whole number (or a list of them) must be given one: Typesafe Config's getInt
     * would silently cut {@code grid-size = 32.5} to 32, and a string from {@code --conf} is converted the same
     * way.
     */
    private static void checkWholeNumbers(Config reference, Config resolved) {
        List<String> referenceLines = referenceText();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("magmap.") || !isWholeNumber(e.getValue(), referenceLines) || !resolved.hasPath(key)) {
                continue;
            }
            ConfigValue given = resolved.getValue(key);
            List<ConfigValue> values =
                    given instanceof com.typesafe.config.ConfigList list ? new ArrayList<>(list) : List.of(given);
            for (ConfigValue v : values) {
                Object u = v.unwrapped();
                Double number = u instanceof Number n
                        ? Double.valueOf(n.doubleValue())
                        : u instanceof String str ? parseOrNull(str.strip()) : null;
                if (number != null && (number != Math.rint(number) || Double.isInfinite(number))) {
                    String where = v.origin() == null || v.origin().description() == null
                            ? ""
                            : " (set in " + v.origin().description() + ")";
                    throw new ConfigException(key + " must be a whole number, got " + u + where);
                }
            }
        }
    }

    /**
     * Whether a default is a whole number (or a list of them) as written: HOCON reads {@code 100.0} as the int
     * 100, so the decimal point is looked for in reference.conf's own line.
     */
    private static boolean isWholeNumber(ConfigValue v, List<String> referenceLines) {
        Object u = v.unwrapped();
        boolean integral = v instanceof com.typesafe.config.ConfigList list
                ? !list.isEmpty()
                        && list.stream()
                                .allMatch(x -> x.unwrapped() instanceof Integer || x.unwrapped() instanceof Long)
                : u instanceof Integer || u instanceof Long;
        int line = v.origin().lineNumber();
        if (!integral || line < 1 || line > referenceLines.size()) {
            return false;
        }
        String text = referenceLines.get(line - 1);
        int eq = text.indexOf('=');
        String literal = (eq < 0 ? text : text.substring(eq + 1)).replaceAll("#.*", "");
        return !literal.matches(".*[.eE].*");
    }

    private static List<String> referenceText() {
        try (var in = MagmapConfig.class.getClassLoader().getResourceAsStream("reference.conf")) {
            return in == null
                    ? List.of()
                    : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                            .lines()
                            .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Double parseOrNull(String s) {
        try {
            return Double.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses {@code key=value} strings as given on the command line. */
    public static Map<String, String> parseKeyValues(List<String> keyValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--conf expects key=value, got '" + kv + "'");
            }
            out.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return out;
    }

    private static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Config file " + file + " does not exist or is not a file");
        }
        try {
            return ConfigFactory.parseFile(
                    file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("Config file " + file + " cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static Config parseOverrides(Map<String, String> overrides) {
        Config layer = ConfigFactory.empty();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            String key = e.getKey();
            String raw = e.getValue();
            ConfigValue value;
            if (raw.startsWith("[") || raw.startsWith("{")) {
                try {
                    value = ConfigFactory.parseString("v = " + raw).getValue("v");
                } catch (com.typesafe.config.ConfigException ex) {
                    throw new ConfigException("--conf " + key + ": cannot parse '" + raw + "': " + ex.getMessage(), ex);
                }
            } else {
                value = ConfigValueFactory.fromAnyRef(raw, "--conf");
            }
            try {
                layer = layer.withValue(key, value);
            } catch (com.typesafe.config.ConfigException ex) {
                throw new ConfigException("--conf: '" + key + "' is not a valid key: " + ex.getMessage(), ex);
            }
        }
        return layer;
    }

    /**
     * A user key under {@code magmap.} must exist in the defaults, unless some ancestor in the defaults is an
     * empty object: such a section is open (its keys are free, e.g. a table of named runs).
     */
    private static void rejectUnknownKeys(NamedLayer layer, Config reference) {
        for (Map.Entry<String, ConfigValue> entry : layer.config().entrySet()) {
            String path = entry.getKey();
            if (!path.equals(PROJECT_PREFIX) && !path.startsWith(PROJECT_PREFIX + ".")) {
                if (path.startsWith(SPARK_PREFIX + ".")) {
                    continue;
                }
                throw new ConfigException(layer.name() + ": unknown key '" + path
                        + "' (project keys start with 'magmap.', Spark keys with 'spark.')");
            }
            if (reference.hasPathOrNull(path) || inOpenSection(path, reference)) {
                continue;
            }
            throw new ConfigException(layer.name() + ": unknown key '" + path + "'" + suggestion(path, reference));
        }
    }

    private static boolean inOpenSection(String path, Config reference) {
        String prefix = path;
        int dot;
        while ((dot = prefix.lastIndexOf('.')) > 0) {
            prefix = prefix.substring(0, dot);
            if (reference.hasPath(prefix)) {
                ConfigValue v = reference.getValue(prefix);
                return v.valueType() == ConfigValueType.OBJECT && ((ConfigObject) v).isEmpty();
            }
        }
        return false;
    }

    private static String suggestion(String path, Config reference) {
        int dot = path.lastIndexOf('.');
        String parent = dot > 0 ? path.substring(0, dot) : "";
        if (!parent.isEmpty()
                && reference.hasPath(parent)
                && reference.getValue(parent).valueType() == ConfigValueType.OBJECT) {
            String leaf = path.substring(dot + 1);
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (String candidate : reference.getObject(parent).keySet()) {
                int d = editDistance(leaf, candidate);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = candidate;
                }
            }
            if (best != null && bestDistance <= Math.max(2, leaf.length() / 3)) {
                return " (did you mean '" + parent + "." + best + "'?)";
            }
            return " (known keys under '" + parent + "': "
                    + String.join(
                            ", ",
                            new java.util.TreeSet<>(reference.getObject(parent).keySet())) + ")";
        }
        return "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The underlying Typesafe config (resolved). */
    public Config raw() {
        return config;
    }

    /** A sub-tree, e.g. {@code section("magmap.simulate")}. */
    public Config section(String path) {
        return config.getConfig(path);
    }

    /** Where each layer came from, lowest precedence first. */
    public List<String> sources() {
        return sources;
    }

    /** This configuration with one more override on top (used by jobs that chain other jobs). */
    public MagmapConfig with(String key, Object value) {
        Config layered = config.withValue(key, ConfigValueFactory.fromAnyRef(value, "override"));
        List<String> s = new ArrayList<>(sources);
        return new MagmapConfig(layered, s);
    }

    /** Every {@code spark.*} key as a flat string map, for the SparkSession builder. */
    public Map<String, String> sparkSettings() {
        if (!config.hasPath(SPARK_PREFIX)) {
            return Collections.emptyMap();
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : config.getConfig(SPARK_PREFIX).entrySet()) {
            Object v = e.getValue().unwrapped();
            out.put(SPARK_PREFIX + "." + e.getKey(), String.valueOf(v));
        }
        return out;
    }

    /** A string setting; a helpful error if it has the wrong type. */
    public String getString(String path) {
        try {
            return config.getString(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, e);
        }
    }

    public int getInt(String path) {
        try {
            return config.getInt(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, e);
        }
    }

    public long getLong(String path) {
        try {
            return config.getLong(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, e);
        }
    }

    public double getDouble(String path) {
        try {
            return config.getDouble(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, e);
        }
    }

    public boolean getBoolean(String path) {
        try {
            return config.getBoolean(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, e);
        }
    }

    public List<Double> getDoubleList(String path) {
        try {
            return config.getDoubleList(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, e);
        }
    }

    public List<String> getStringList(String path) {
        try {
            return config.getStringList(path);
        } catch (com.typesafe.config.ConfigException e) {
            throw wrap(path, e);
        }
    }

    /** A positive int, with the key named in the error. */
    public int getPositiveInt(String path) {
        int v = getInt(path);
        if (v <= 0) {
            throw new ConfigException(path + " must be positive, got " + v + origin(path));
        }
        return v;
    }

    /** A strictly positive double, with the key named in the error. */
    public double getPositiveDouble(String path) {
        double v = getDouble(path);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ConfigException(path + " must be a positive number, got " + v + origin(path));
        }
        return v;
    }

    private String origin(String path) {
        if (!config.hasPath(path)) {
            return "";
        }
        String desc = config.getValue(path).origin().description();
        return desc == null ? "" : " (set in " + desc + ")";
    }

    private ConfigException wrap(String path, com.typesafe.config.ConfigException e) {
        if (e instanceof com.typesafe.config.ConfigException.Missing) {
            return new ConfigException("Missing setting '" + path + "'", e);
        }
        if (e instanceof BadValue || e instanceof com.typesafe.config.ConfigException.WrongType) {
            return new ConfigException("Bad value for '" + path + "'" + origin(path) + ": " + e.getMessage(), e);
        }
        return new ConfigException("Setting '" + path + "': " + e.getMessage(), e);
    }

    /** The project section rendered as HOCON, for logs and manifests. */
    public String renderProjectSection(String path) {
        if (!config.hasPath(path)) {
            return "{}";
        }
        return config.getValue(path)
                .render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    }

    private record NamedLayer(String name, Config config) {}
}
