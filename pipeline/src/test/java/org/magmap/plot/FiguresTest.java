package org.magmap.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class FiguresTest {
    /** Decodes PNG bytes with the JDK's own reader, independently of the plotting library. */
    private static BufferedImage read(byte[] png) throws Exception {
        BufferedImage im = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(im != null, "a PNG ImageIO can read");
        return im;
    }

    /** Distinct colours in the image: a blank (one-colour) image has 1; text, axes and curves add many. */
    private static int colours(BufferedImage im) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < im.getHeight(); y += 2) {
            for (int x = 0; x < im.getWidth(); x += 2) {
                seen.add(im.getRGB(x, y));
            }
        }
        return seen.size();
    }

    @Test
    void linePanelsRenderSideBySideHeadless() throws Exception {
        Figures.Curve mse = new Figures.Curve("validation-mse", new double[] {1, 2, 3}, new double[] {2.0, 1.1, 0.7});
        Figures.Curve r2 = new Figures.Curve("validation-r2", new double[] {1, 2, 3}, new double[] {0.1, 0.5, 0.6});
        byte[] png = Figures.lines(List.of(
                new Figures.LinePanel("MSE", "epoch", "uG^2", List.of(mse), false, true),
                new Figures.LinePanel("R^2", "epoch", "", List.of(r2), false, false)));
        BufferedImage im = read(png);
        assertEquals(2 * Figures.PANEL_WIDTH, im.getWidth());
        assertEquals(Figures.PANEL_HEIGHT, im.getHeight());
        assertTrue(colours(im) > 10, "not blank: " + colours(im) + " colours");
        assertTrue(GraphicsEnvironment.isHeadless(), "drawn without a display");
    }

    @Test
    void aDensityPanelMarksTheOccupiedCells() throws Exception {
        int bins = 10;
        long[] counts = new long[bins * bins];
        for (int i = 0; i < bins; i++) {
            counts[i * bins + i] = 1000; // the diagonal: a perfect model
        }
        counts[3 * bins + 7] = 2;
        BufferedImage im = read(Figures.densities(List.of(
                new Figures.DensityPanel("CNN", "true B (uG)", "predicted B (uG)", 0, 5, bins, counts, "0 outside"),
                new Figures.DensityPanel(
                        "empty", "true B (uG)", "B_eq (uG)", 0, 5, bins, new long[bins * bins], null))));
        assertEquals(2 * Figures.PANEL_WIDTH, im.getWidth());
        assertTrue(colours(im) > 10);
        // The darkest decade colour (>= 1000 patches per cell) is drawn somewhere in the first panel.
        boolean dark = false;
        for (int y = 0; y < im.getHeight() && !dark; y++) {
            for (int x = 0; x < Figures.PANEL_WIDTH && !dark; x++) {
                dark = (im.getRGB(x, y) & 0xffffff) == 0x000000;
            }
        }
        assertTrue(dark, "cells with 1000 patches are drawn in the darkest colour");
    }

    @Test
    void histogramCurvesAreFractionsOfCoarserBins() {
        // 10 bins over [0, 5) shown as 5: pairs merge; the overflow counts in the total, so fractions sum to
        // 1 - overflow share: counts 1..10 (sum 55) + overflow 45 = 100.
        long[] counts = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        Figures.Curve c = Figures.histogramCurve("i90", 5, counts, 45, 5);
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, c.x(), 1e-12);
        assertArrayEquals(new double[] {0.03, 0.07, 0.11, 0.15, 0.19}, c.y(), 1e-12);
    }
}
