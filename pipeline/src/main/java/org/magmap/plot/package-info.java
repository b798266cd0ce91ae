/**
 * Figures as PNG images, drawn with XChart (pure Java2D, written by its {@code BitmapEncoder} through ImageIO):
 * line panels (training curves, deviation histograms) and predicted-versus-true density panels. Plain data in
 * ({@code double[]}, {@code long[]} counts, labels), PNG bytes out, so a job writes them wherever its output goes
 * (any Hadoop file system) and a test reads them back.
 *
 * <p>Renders headless: {@link org.magmap.plot.Figures} sets {@code java.awt.headless=true} unless the JVM was
 * given a value, so figures are drawn on drivers without a display. Depends on the JDK and XChart only; no Spark,
 * DL4J or files.
 */
package org.magmap.plot;
