package org.magmap.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.magmap.artifact.TrainingHistory;
import org.magmap.plot.Figures;

/** The training curves of a train output: every MSE or loss per epoch in one panel, every R^2 in another. */
public final class TrainingCurves {
    /** The figure's file name under an evaluate output's figures. */
    public static final String FILE = "training-curves.png";

    private TrainingCurves() {}

    /**
     * The figure as PNG bytes.
     *
     * @param unit the target's unit, for the MSE axis ("" for none)
     */
    public static byte[] png(TrainingHistory history, String unit) {
        Map<String, List<double[]>> points = new TreeMap<>();
        for (Map<String, Double> epoch : history.epochs()) {
            double x = epoch.get("epoch");
            epoch.forEach((name, value) -> {
                if (isCurve(name)) {
                    points.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {x, value});
                }
            });
        }
        List<Figures.Curve> losses = new ArrayList<>();
        List<Figures.Curve> scores = new ArrayList<>();
        points.forEach((name, xy) -> {
            Figures.Curve c = new Figures.Curve(
                    name,
                    xy.stream().mapToDouble(p -> p[0]).toArray(),
                    xy.stream().mapToDouble(p -> p[1]).toArray());
            (name.contains("r2") ? scores : losses).add(c);
        });
        List<Figures.LinePanel> panels = new ArrayList<>();
        String squared = unit.isEmpty() ? "" : " (" + unit + "^2)";
        panels.add(new Figures.LinePanel("training: MSE per epoch", "epoch", "MSE" + squared, losses, false, false));
        if (!scores.isEmpty()) {
            panels.add(new Figures.LinePanel("training: R^2 per epoch", "epoch", "R^2", scores, false, false));
        }
        return Figures.lines(panels);
    }

    /** Per-epoch quantities worth a curve: errors, losses and R^2 (not timings or throughput). */
    private static boolean isCurve(String key) {
        return key.contains("mse") || key.contains("loss") || key.contains("r2");
    }
}
