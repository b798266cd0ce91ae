package org.magmap.sim;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.magmap.conf.ConfigException;

/**
 * A suite of synthetic runs, read from the {@code magmap.simulate} configuration section: every combination of
 * the B0 (or plasma-beta) and sigma_v lists, times the number of snapshots, plus named extra runs such as the
 * H I paper's held-out simulation.
 *
 * @param specs every run, in a stable order
 */
public record SuiteSettings(List<TurbulenceSpec> specs) implements Serializable {
    /** Keys an extra run may override (the scalar keys of the section). */
    private static final Set<String> RUN_KEYS = Set.of(
            "grid-size",
            "box-size-pc",
            "sound-speed-km-per-s",
            "mean-density-per-cm3",
            "mass-per-hydrogen-amu",
            "mean-field-inclination-deg",
            "mean-field-azimuth-deg",
            "injection-mode",
            "dissipation-cells",
            "compressibility",
            "field-line-smoothing-cells",
            "seed",
            "b0-microgauss",
            "plasma-beta",
            "sigma-v-km-per-s");

    public SuiteSettings {
        specs = List.copyOf(specs);
        Set<String> ids = new HashSet<>();
        for (TurbulenceSpec s : specs) {
            if (!ids.add(s.runId())) {
                throw new ConfigException("two runs of the suite are both named '" + s.runId() + "'");
            }
        }
    }

    /**
     * Expands the section.
     *
     * @param section the {@code magmap.simulate} section
     * @throws ConfigException naming the key at fault
     */
    public static SuiteSettings from(Config section) {
        try {
            return expand(section);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("magmap.simulate: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("magmap.simulate: " + e.getMessage(), e);
        }
    }

    private static SuiteSettings expand(Config c) {
        int snapshots = c.getInt("snapshots");
        if (snapshots < 1) {
            throw new ConfigException("magmap.simulate.snapshots must be at least 1, got " + snapshots);
        }
        List<Double> betas = c.getDoubleList("plasma-beta");
        List<Double> fields = c.getDoubleList("b0-microgauss");
        List<Double> sigmas = c.getDoubleList("sigma-v-km-per-s");
        if (sigmas.isEmpty() || (betas.isEmpty() && fields.isEmpty())) {
            if (c.getList("extra-runs").isEmpty()) {
                throw new ConfigException("magmap.simulate: the suite is empty (set b0-microgauss or plasma-beta, and"
                        + " sigma-v-km-per-s, or list extra-runs)");
            }
        }
        List<TurbulenceSpec> specs = new ArrayList<>();
        boolean byBeta = !betas.isEmpty();
        for (double strength : byBeta ? betas : fields) {
            for (double sigma : sigmas) {
                Map<String, Object> run = new LinkedHashMap<>();
                run.put(byBeta ? "plasma-beta" : "b0-microgauss", strength);
                run.put("sigma-v-km-per-s", sigma);
                String name = (byBeta ? "beta" + num(strength) : "b" + num(strength)) + "-s" + num(sigma);
                for (int snap = 0; snap < snapshots; snap++) {
                    specs.add(spec(c, name, run, snap));
                }
            }
        }
        int i = 0;
        for (ConfigValue v : c.getList("extra-runs")) {
            i++;
            if (!(v.unwrapped() instanceof Map<?, ?> m)) {
                throw new ConfigException("magmap.simulate.extra-runs[" + i + "] must be an object, got " + v.render());
            }
            Map<String, Object> run = new LinkedHashMap<>();
            String name = null;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.equals("name")) {
                    name = String.valueOf(e.getValue());
                } else if (RUN_KEYS.contains(key)) {
                    run.put(key, e.getValue());
                } else {
                    throw new ConfigException("magmap.simulate.extra-runs[" + i + "]: unknown key '" + key
                            + "' (known: name, "
                            + String.join(", ", RUN_KEYS.stream().sorted().toList()) + ")");
                }
            }
            if (name == null) {
                throw new ConfigException("magmap.simulate.extra-runs[" + i + "] needs a name");
            }
            for (int snap = 0; snap < snapshots; snap++) {
                specs.add(spec(c, name, run, snap));
            }
        }
        return new SuiteSettings(specs);
    }

    private static TurbulenceSpec spec(Config c, String name, Map<String, Object> run, int snapshot) {
        int grid = (int) wholeNumber(c, run, "grid-size");
        double soundSpeed = number(c, run, "sound-speed-km-per-s");
        double density = number(c, run, "mean-density-per-cm3");
        double massPerH = number(c, run, "mass-per-hydrogen-amu");
        double b0;
        if (run.containsKey("plasma-beta")) {
            double beta = ((Number) run.get("plasma-beta")).doubleValue();
            b0 = Mhd.fieldForPlasmaBetaMicrogauss(beta, Mhd.massDensity(density, massPerH), soundSpeed);
        } else {
            b0 = number(c, run, "b0-microgauss");
        }
        long seed = wholeNumber(c, run, "seed");
        String runId = name + "-seed" + seed + "-snap" + snapshot;
        return new TurbulenceSpec(
                runId,
                grid,
                number(c, run, "box-size-pc"),
                b0,
                number(c, run, "sigma-v-km-per-s"),
                soundSpeed,
                density,
                massPerH,
                number(c, run, "mean-field-inclination-deg"),
                number(c, run, "mean-field-azimuth-deg"),
                (int) wholeNumber(c, run, "injection-mode"),
                number(c, run, "dissipation-cells"),
                number(c, run, "compressibility"),
                seed,
                snapshot,
                number(c, run, "field-line-smoothing-cells"));
    }

    /** A run's own whole-number value, else the section's: 32.5 cells is refused, not cut to 32. */
    private static long wholeNumber(Config c, Map<String, Object> run, String key) {
        double v = number(c, run, key);
        if (v != Math.rint(v) || Double.isInfinite(v)) {
            throw new ConfigException("magmap.simulate." + key + (run.containsKey(key) ? " (in an extra run)" : "")
                    + " must be a whole number, got " + v);
        }
        return (long) v;
    }

    /** A run's own value, else the section's scalar default. */
    private static double number(Config c, Map<String, Object> run, String key) {
        Object v = run.get(key);
        if (v == null) {
            ConfigValue cv = c.getValue(key);
            if (cv.unwrapped() instanceof List<?>) {
                throw new ConfigException("magmap.simulate." + key + " is a list; a run needs one value");
            }
            return c.getDouble(key);
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v));
        } catch (NumberFormatException e) {
            throw new ConfigException("magmap.simulate: '" + key + "' must be a number, got '" + v + "'");
        }
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    /** A canonical description of the suite (for the output's config hash). */
    public String canonical() {
        StringBuilder sb = new StringBuilder("magmap-simulate-v1\n");
        for (TurbulenceSpec s : specs) {
            sb.append(s).append('\n');
        }
        return sb.toString();
    }
}
