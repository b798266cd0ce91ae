package org.magmap.infer;

import java.io.Serializable;

/**
 * One unit of {@code infer}'s work: one block of one window's map of one input, by address only (the executor
 * reads its own part of the file).
 *
 * @param input which input (its index in the run's list of inputs)
 * @param window which window of that input (index into the input's windows; 0 for a 2D image)
 * @param block the block [x0, x1) x [y0, y1) of the map
 * @param region the block with the halo its tiles reach, [x0, x1) x [y0, y1)
 */
public record InferUnit(int input, int window, int[] block, int[] region) implements Serializable {
    /** The block's file name among the window's block files. */
    public String fileName() {
        return org.magmap.ops.BlockFiles.fileName(block);
    }
}
