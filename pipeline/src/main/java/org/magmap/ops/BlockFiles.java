package org.magmap.ops;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;

/**
 * The block files through which distributed map stages hand their parts to the driver: a task writes one file
 * per block of a map, its maps one after another as big-endian floats, row by row; the driver reads the blocks
 * of one row of blocks into a slab and writes the slab out. Blocks are {@code [x0, x1, y0, y1]}, ends exclusive.
 */
public final class BlockFiles {
    private BlockFiles() {}

    /** The blocks of an {@code nx} by {@code ny} map, row by row. */
    public static List<int[]> blocks(int nx, int ny, int blockPixels) {
        List<int[]> out = new ArrayList<>();
        for (int y = 0; y < ny; y += blockPixels) {
            for (int x = 0; x < nx; x += blockPixels) {
                out.add(new int[] {x, Math.min(nx, x + blockPixels), y, Math.min(ny, y + blockPixels)});
            }
        }
        return out;
    }

    /** The file name of a block. */
    public static String fileName(int[] block) {
        return block[2] + "-" + block[0] + ".bin";
    }

    /** Writes a block's maps (each {@code (x1 - x0) * (y1 - y0)} values) to a local file. */
    public static void write(Path file, float[][] maps) throws IOException {
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (float[] map : maps) {
                for (float v : map) {
                    out.writeFloat(v);
                }
            }
        }
    }

    /**
     * Reads map {@code q} of a block file into the slab of its row of blocks.
     *
     * @param slab the slab, {@code nx} wide, starting at the block's first row
     */
    public static void readInto(FileSystem fs, String blocksDir, int[] block, int q, float[] slab, int nx)
            throws IOException {
        int bw = block[1] - block[0];
        int bh = block[3] - block[2];
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(blocksDir, fileName(block));
        try (InputStream raw = fs.open(p);
                DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            in.skipNBytes((long) q * bw * bh * Float.BYTES);
            for (int j = 0; j < bh; j++) {
                for (int i = 0; i < bw; i++) {
                    slab[j * nx + block[0] + i] = in.readFloat();
                }
            }
        }
    }
}
