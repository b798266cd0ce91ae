package org.magmap.plot;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The evaluation's figures as PNG bytes. Each figure is one or more panels side by side, every panel {@value
 * #PANEL_WIDTH} x {@value #PANEL_HEIGHT} pixels.
 */
public final class Figures {
    public static final int PANEL_WIDTH = 640;
    public static final int PANEL_HEIGHT = 480;

    static {
        // Drivers on clusters have no display; Java2D must not look for one. An explicit -D setting wins.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /**
     * Count classes of a density panel, one colour each (light to dark): counts in [1, 10), [10, 100), ...
     * Decades, because a well-trained model piles most patches into few cells along the diagonal.
     */
    private static final Color[] DECADE_COLOURS = {
        new Color(0xc6dbef), new Color(0x6baed6), new Color(0x2171b5), new Color(0x08306b), new Color(0x000000)
    };

    private Figures() {}

    /** One curve of a line panel. */
    public record Curve(String name, double[] x, double[] y) {
        public Curve {
            if (x.length != y.length) {
                throw new IllegalArgumentException(name + ": " + x.length + " x values but " + y.length + " y values");
            }
        }
    }

    /**
     * A panel of curves.
     *
     * @param step draw as a histogram (steps) rather than joined points
     * @param logY logarithmic y axis (ignored unless every y value is positive)
     */
    public record LinePanel(
            String title, String xLabel, String yLabel, List<Curve> curves, boolean step, boolean logY) {
        public LinePanel {
            curves = List.copyOf(curves);
        }
    }

    /**
     * A predicted-versus-true panel from a square 2-D histogram over [min, max) in both axes.
     *
     * @param counts {@code bins * bins}, x (truth) bin fastest: {@code counts[yBin * bins + xBin]}
     * @param note added to the title in brackets (e.g. how many pairs fell outside the grid); null for none
     */
    public record DensityPanel(
            String title, String xLabel, String yLabel, double min, double max, int bins, long[] counts, String note) {
        public DensityPanel {
            if (bins < 1 || counts.length != bins * bins || !(max > min)) {
                throw new IllegalArgumentException(title + ": a density panel needs bins^2 counts over max > min");
            }
        }
    }

    /** Line panels side by side, as PNG. */
    public static byte[] lines(List<LinePanel> panels) {
        List<XYChart> charts = new ArrayList<>();
        for (LinePanel p : panels) {
            charts.add(lineChart(p));
        }
        return png(charts);
    }

    /** Density panels side by side, as PNG. */
    public static byte[] densities(List<DensityPanel> panels) {
        List<XYChart> charts = new ArrayList<>();
        for (DensityPanel p : panels) {
            charts.add(densityChart(p));
        }
        return png(charts);
    }

    /**
     * A histogram over [0, max) as a curve of fractions per bin, merged into at most {@code displayBins} bins:
     * histograms of hundreds of fine bins (kept for exact medians) read better coarser, and fractions let groups
     * of different size share a panel. An all-empty histogram gives zeros.
     */
    public static Curve histogramCurve(String name, double max, long[] counts, long overflow, int displayBins) {
        int merge = Math.max(1, (int) Math.ceil(counts.length / (double) displayBins));
        int bins = (counts.length + merge - 1) / merge;
        double width = max / counts.length * merge;
        double total = overflow;
        for (long c : counts) {
            total += c;
        }
        double[] x = new double[bins];
        double[] y = new double[bins];
        for (int b = 0; b < bins; b++) {
            long sum = 0;
            for (int i = b * merge; i < Math.min(counts.length, (b + 1) * merge); i++) {
                sum += counts[i];
            }
            x[b] = b * width;
            y[b] = total > 0 ? sum / total : 0;
        }
        return new Curve(name, x, y);
    }

    private static XYChart lineChart(LinePanel p) {
        XYChart chart = new XYChartBuilder()
                .width(PANEL_WIDTH)
                .height(PANEL_HEIGHT)
                .title(p.title())
                .xAxisTitle(p.xLabel())
                .yAxisTitle(p.yLabel())
                .build();
        style(chart);
        boolean positive = p.curves().stream()
                .flatMapToDouble(c -> java.util.Arrays.stream(c.y()))
                .allMatch(v -> v > 0);
        chart.getStyler().setYAxisLogarithmic(p.logY() && positive);
        boolean any = false;
        for (Curve c : p.curves()) {
            if (c.x().length == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(c.name(), c.x(), c.y());
            s.setXYSeriesRenderStyle(p.step() ? XYSeries.XYSeriesRenderStyle.Step : XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(p.step() || c.x().length > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            any = true;
        }
        if (!any) {
            emptyNote(chart, "no data");
        }
        return chart;
    }

    private static XYChart densityChart(DensityPanel p) {
        XYChart chart = new XYChartBuilder()
                .width(PANEL_WIDTH)
                .height(PANEL_HEIGHT)
                .title(p.note() == null || p.note().isBlank() ? p.title() : p.title() + " (" + p.note() + ")")
                .xAxisTitle(p.xLabel())
                .yAxisTitle(p.yLabel())
                .build();
        style(chart);
        Styler st = chart.getStyler();
        chart.getStyler().setXAxisMin(p.min());
        chart.getStyler().setXAxisMax(p.max());
        chart.getStyler().setYAxisMin(p.min());
        chart.getStyler().setYAxisMax(p.max());
        // square markers about one cell wide, so occupied cells tile the plot area
        st.setMarkerSize(Math.max(2, (int) Math.round(0.8 * (PANEL_HEIGHT - 140) / (double) p.bins())));
        double cell = (p.max() - p.min()) / p.bins();
        for (int d = 0; d < DECADE_COLOURS.length; d++) {
            long lo = (long) Math.pow(10, d);
            long hi = d == DECADE_COLOURS.length - 1 ? Long.MAX_VALUE : lo * 10;
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int j = 0; j < p.bins(); j++) {
                for (int i = 0; i < p.bins(); i++) {
                    long c = p.counts()[j * p.bins() + i];
                    if (c >= lo && c < hi) {
                        xs.add(p.min() + (i + 0.5) * cell);
                        ys.add(p.min() + (j + 0.5) * cell);
                    }
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            String label = hi == Long.MAX_VALUE ? ">= " + lo : lo + "-" + (hi - 1);
            XYSeries s = chart.addSeries(label + " patches", xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.SQUARE);
            s.setMarkerColor(DECADE_COLOURS[d]);
        }
        XYSeries diagonal =
                chart.addSeries("prediction = truth", new double[] {p.min(), p.max()}, new double[] {p.min(), p.max()});
        diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(Color.RED);
        return chart;
    }

    private static void style(XYChart chart) {
        Styler st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.InsideNE);
        st.setAntiAlias(true);
    }

    /** A panel with nothing to plot still renders, with a note, instead of failing the job. */
    private static void emptyNote(XYChart chart, String note) {
        chart.setTitle(chart.getTitle() + " (" + note + ")");
        XYSeries s = chart.addSeries(note, new double[] {0}, new double[] {0});
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
    }

    private static byte[] png(List<XYChart> charts) {
        if (charts.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one panel");
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (charts.size() == 1) {
                BitmapEncoder.saveBitmap((Chart<?, ?>) charts.get(0), out, BitmapEncoder.BitmapFormat.PNG);
            } else {
                BitmapEncoder.saveBitmap(charts, 1, charts.size(), out, BitmapEncoder.BitmapFormat.PNG);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
