/**
 * Metrics and tables of the papers: MSE (uG^2) and R^2 of predicted field strengths, deviation histograms and
 * medians, a model and a classical baseline side by side per group, (truth, estimate) 2-D histograms for
 * predicted-versus-true figures, and the pixel metrics of the ResNet's maps (psi deviation, Alignment Measure,
 * PSNR). Mergeable summaries, so a distributed evaluation collects no patches. {@link
 * org.magmap.evaluate.CnnTables} and {@link org.magmap.evaluate.ResNetTables} measure a saved model on the
 * executors through {@code predict}; the figures are the {@code report} package's.
 */
package org.magmap.evaluate;
