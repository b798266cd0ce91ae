package org.magmap.mosaic;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * What a mosaic is made on: a WCS image grid ({@link TargetGrid}) or a HEALPix tessellation ({@link
 * HealpixTarget}). Either is cut into blocks, the units of work; a block is {@code [x0, x1, y0, y1]} of the
 * target's block layout (for HEALPix, one coarse NESTED pixel {@code b} is the block {@code [b, b + 1, 0, 1]}).
 */
public interface SkyTarget extends Serializable {
    /** The target frame ("equatorial" or "galactic"). */
    String frame();

    /** The blocks, in the order the output is written. */
    List<int[]> blocks();

    /** Which blocks an input can reach, from its headers (conservative: a block it misses costs a little work). */
    boolean[] reached(MosaicInput in, List<int[]> blocks);

    /** The sky positions of a block's target pixels: {lon[], lat[]} in the target frame, NaN off the sky. */
    double[][] positions(int[] block);

    /**
     * Writes a block's co-added maps (each with a value per target pixel of the block, COVERAGE and N_INPUTS
     * last) as its block file.
     *
     * @return the target pixels some input reached
     */
    long writeBlock(Path file, int[] block, float[][] coAdded) throws IOException;

    /** One line for the log. */
    String describe();
}
