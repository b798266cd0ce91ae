/**
 * Metrics and tables of the papers: MSE (uG^2) and R^2 of predicted field strengths, deviation histograms and
 * medians. Plain Java over numbers; mergeable summaries so distributed evaluation needs no collect.
 */
package org.magmap.evaluate;
