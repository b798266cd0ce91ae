/**
 * What people look at: the PNG figures of an evaluation (training curves, deviation histograms per view and
 * noise level, predicted versus true) and the writing of figures and tables into an output. Draws from the
 * metrics {@code evaluate} computes and the history {@code train} writes; computes no metric itself.
 */
package org.magmap.report;
