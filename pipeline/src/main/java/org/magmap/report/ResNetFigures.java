package org.magmap.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.magmap.evaluate.MapMetrics;
import org.magmap.plot.Figures;

/** The conditional ResNet's figures: the distribution of |psi_pred - psi_true| per view, one panel per split. */
public final class ResNetFigures {
    /** The figure's file name under an evaluate output's figures. */
    public static final String PSI_DEVIATIONS = "psi-deviations.png";

    private ResNetFigures() {}

    /**
     * @param byView per split, the metrics per inclination
     * @return the PNG, or null when no split had patches
     */
    public static byte[] psiDeviations(Map<String, Map<String, MapMetrics>> byView) {
        List<Figures.LinePanel> panels = new ArrayList<>();
        byView.forEach((split, g) -> {
            List<Figures.Curve> curves = new ArrayList<>();
            g.forEach((k, m) -> curves.add(Figures.histogramCurve(
                    "inclination " + k,
                    m.psiDeviation().max(),
                    m.psiDeviation().counts(),
                    m.psiDeviation().overflow(),
                    90)));
            panels.add(new Figures.LinePanel(
                    split + ": |psi_pred - psi_true| by view", "deg", "fraction of pixels", curves, true, false));
        });
        return panels.isEmpty() ? null : Figures.lines(panels);
    }
}
