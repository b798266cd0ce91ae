package org.magmap.mosaic;

import java.io.Serializable;

/**
 * One unit of a mosaic's work: one block of one window's target grid and the inputs whose footprints reach it,
 * by address only (the executor reads its own parts of their files).
 *
 * @param window the window's index in the run
 * @param block the block [x0, x1) x [y0, y1) of the target grid
 * @param inputs indices of the window's inputs that reach the block
 */
public record MosaicUnit(int window, int[] block, int[] inputs) implements Serializable {}
