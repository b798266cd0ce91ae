package org.magmap.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.magmap.evaluate.CnnTables;
import org.magmap.evaluate.Comparison;
import org.magmap.evaluate.ComparisonAccumulator;
import org.magmap.evaluate.GroupMetrics;
import org.magmap.evaluate.JointHistogram;
import org.magmap.plot.Figures;

/** The scalar CNN's figures: deviation histograms per view and noise level, and predicted versus true. */
public final class CnnFigures {
    private CnnFigures() {}

    /**
     * Deviation histograms per view angle and per noise level (the papers' robustness figures), with the
     * equipartition's beside the CNN's where the patches carry it.
     *
     * @param groups one split's comparisons, keyed "column=value"
     */
    public static byte[] deviations(String split, Map<String, Comparison> groups, String unit) {
        boolean withBaseline = hasBaseline(groups);
        String axis = "|prediction - truth|" + (unit.isEmpty() ? "" : " (" + unit + ")");
        List<Figures.LinePanel> panels = new ArrayList<>();
        panels.add(histogramPanel(
                split + ": CNN by view", "inclination ", axis, CnnTables.byGroup(groups, "inclination_deg"), false));
        panels.add(histogramPanel(
                split + ": CNN by noise", "noise ", axis, CnnTables.byGroup(groups, "noise_ratio"), false));
        if (withBaseline) {
            panels.add(histogramPanel(
                    split + ": equipartition by view",
                    "inclination ",
                    axis,
                    CnnTables.byGroup(groups, "inclination_deg"),
                    true));
        }
        return Figures.lines(panels);
    }

    /** Predicted (and equipartition) versus true as 2-D histograms computed on the executors. */
    public static byte[] predictedVersusTrue(String split, Map<String, Comparison> groups, String target, String unit) {
        Comparison all = groups.get(ComparisonAccumulator.ALL);
        String u = unit.isEmpty() ? "" : " (" + unit + ")";
        List<Figures.DensityPanel> panels = new ArrayList<>();
        panels.add(densityPanel(split + ": CNN", "true " + target + u, "predicted" + u, all.modelDensity()));
        if (hasBaseline(groups)) {
            panels.add(
                    densityPanel(split + ": equipartition", "true " + target + u, "B_eq" + u, all.baselineDensity()));
        }
        return Figures.densities(panels);
    }

    /** Baseline panels only where patches carry one (b_eq_ug is null for H I inputs). */
    private static boolean hasBaseline(Map<String, Comparison> groups) {
        return groups.get(ComparisonAccumulator.ALL).baseline().sums().n() > 0;
    }

    private static Figures.LinePanel histogramPanel(
            String title, String label, String axis, Map<String, Comparison> groups, boolean baseline) {
        List<Figures.Curve> curves = new ArrayList<>();
        groups.forEach((value, c) -> {
            GroupMetrics m = baseline ? c.baseline() : c.model();
            curves.add(Figures.histogramCurve(
                    label + value,
                    m.deviations().max(),
                    m.deviations().counts(),
                    m.deviations().overflow(),
                    50));
        });
        return new Figures.LinePanel(title, axis, "fraction of patches", curves, true, false);
    }

    private static Figures.DensityPanel densityPanel(String title, String x, String y, JointHistogram h) {
        return new Figures.DensityPanel(
                title,
                x,
                y,
                h.min(),
                h.max(),
                h.bins(),
                h.counts(),
                String.format(Locale.ROOT, "%,d patches, %,d off the plot", h.total(), h.outside()));
    }
}
