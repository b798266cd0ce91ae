/**
 * Metrics and tables of the papers: MSE (uG^2) and R^2 of predicted field strengths, deviation histograms and
 * medians, a model and a classical baseline side by side per group, and (truth, estimate) 2-D histograms for
 * predicted-versus-true figures. Plain Java over numbers; mergeable summaries so distributed evaluation needs
 * no collect.
 */
package org.magmap.evaluate;
