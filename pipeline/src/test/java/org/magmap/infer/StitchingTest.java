package org.magmap.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.magmap.patch.Normalization;
import org.magmap.predict.ModelRunner;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tiling and blending, against a brute-force serial computation: each pixel the weighted mean, over every tile
 * that covers it, of a network's output, with the network a fixed nonlinear function of the tile (so blending
 * matters and every tile's output differs).
 */
class StitchingTest {
    /** Two output channels: the normalised tile squared, and its tanh plus a constant. */
    private static final ModelRunner NONLINEAR = features -> {
        INDArray x = features[0];
        long n = x.size(0);
        long p = x.size(2);
        float[] in = x.dup('c').data().asFloat();
        float[] out = new float[(int) (n * 2 * p * p)];
        int plane = (int) (p * p);
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < plane; k++) {
                float v = in[t * plane + k];
                out[(t * 2) * plane + k] = v * v;
                out[(t * 2 + 1) * plane + k] = (float) Math.tanh(v) + 3f;
            }
        }
        return Nd4j.create(out, new long[] {n, 2, p, p}, DataType.FLOAT);
    };

    private static float[] map(int nx, int ny) {
        float[] m = new float[nx * ny];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                m[y * nx + x] = (float) (Math.sin(0.3 * x) * Math.cos(0.17 * y) + 0.01 * x * y / (1 + x));
            }
        }
        return m;
    }

    /** The stitched map by brute force: for every pixel, every covering tile predicted alone. */
    private static double[][] bruteForce(float[] m, int nx, int ny, TileGrid grid) {
        int p = grid.size();
        double[][] sum = new double[2][nx * ny];
        double[] w = new double[nx * ny];
        for (int ty : grid.yStarts()) {
            for (int tx : grid.xStarts()) {
                float[] tile = new float[p * p];
                for (int j = 0; j < p; j++) {
                    for (int i = 0; i < p; i++) {
                        tile[j * p + i] = m[(ty + j) * nx + tx + i];
                    }
                }
                Normalization.ZSCORE.apply(tile);
                float[] out = NONLINEAR
                        .output(new INDArray[] {Nd4j.create(tile, new long[] {1, 1, p, p}, DataType.FLOAT)})
                        .data()
                        .asFloat();
                float[] weights = grid.weights();
                for (int j = 0; j < p; j++) {
                    for (int i = 0; i < p; i++) {
                        int at = (ty + j) * nx + tx + i;
                        for (int c = 0; c < 2; c++) {
                            sum[c][at] += weights[j * p + i] * out[c * p * p + j * p + i];
                        }
                        w[at] += weights[j * p + i];
                    }
                }
            }
        }
        for (int c = 0; c < 2; c++) {
            for (int k = 0; k < w.length; k++) {
                sum[c][k] /= w[k];
            }
        }
        return sum;
    }

    /** The stitched map through {@link BlockStitcher} over blocks of a given side. */
    private static double[][] byBlocks(float[] m, int nx, int ny, TileGrid grid, int blockPixels) {
        double[][] out = new double[2][nx * ny];
        for (int[] b : InferOutput.blocks(nx, ny, blockPixels)) {
            int[] r = InferOutput.region(b, grid);
            int rw = r[1] - r[0];
            int rh = r[3] - r[2];
            float[] region = new float[rw * rh];
            for (int y = r[2]; y < r[3]; y++) {
                System.arraycopy(m, y * nx + r[0], region, (y - r[2]) * rw, rw);
            }
            BlockStitcher.Result s = BlockStitcher.stitch(
                    region, r[0], r[2], rw, rh, b, grid, NONLINEAR, Normalization.ZSCORE, new float[0], 2, 0.5);
            int bw = b[1] - b[0];
            for (int y = b[2]; y < b[3]; y++) {
                for (int x = b[0]; x < b[1]; x++) {
                    int at = (y - b[2]) * bw + (x - b[0]);
                    for (int c = 0; c < 2; c++) {
                        out[c][y * nx + x] = s.sums()[c][at] / s.weights()[at];
                    }
                }
            }
        }
        return out;
    }

    @Test
    void blocksOfAnySizeGiveTheBruteForceStitchedMap() {
        int nx = 93;
        int ny = 70;
        TileGrid grid = new TileGrid(nx, ny, 16, 6);
        float[] m = map(nx, ny);
        double[][] expected = bruteForce(m, nx, ny, grid);
        for (int block : List.of(16, 23, 40, 256)) {
            double[][] got = byBlocks(m, nx, ny, grid, block);
            for (int c = 0; c < 2; c++) {
                assertArrayEquals(expected[c], got[c], 1e-6, "channel " + c + ", blocks of " + block);
            }
        }
    }

    @Test
    void aConstantPredictionStitchesToThatConstantWithNoSeam() {
        ModelRunner constant = f -> Nd4j.valueArrayOf(new long[] {f[0].size(0), 1, 16, 16}, 2.5f);
        TileGrid grid = new TileGrid(50, 40, 16, 4);
        float[] m = map(50, 40);
        BlockStitcher.Result s = BlockStitcher.stitch(
                m, 0, 0, 50, 40, new int[] {0, 50, 0, 40}, grid, constant, Normalization.MAX, new float[0], 1, 0.5);
        for (int k = 0; k < 50 * 40; k++) {
            assertTrue(s.weights()[k] > 0, "every pixel is covered");
            assertEquals(2.5, s.sums()[0][k] / s.weights()[k], 1e-6);
        }
    }

    @Test
    void tilesCoverTheMapFlushWithItsEdgesAndASmallMapIsRefused() {
        assertArrayEquals(new int[] {0, 12, 24, 34}, TileGrid.starts(50, 16, 12));
        assertArrayEquals(new int[] {0}, TileGrid.starts(16, 16, 12));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TileGrid(15, 40, 16, 4));
        assertTrue(e.getMessage().contains("smaller than one 16 x 16 tile"), e.getMessage());
    }

    @Test
    void blankPixelsAreBlankOutputAndMostlyBlankTilesAreNotPredicted() {
        int nx = 48;
        int ny = 32;
        float[] m = map(nx, ny);
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < 20; x++) {
                m[y * nx + x] = Float.NaN; // the left 20 columns are blank
            }
        }
        m[10 * nx + 30] = Float.NaN; // one blank pixel inside
        TileGrid grid = new TileGrid(nx, ny, 16, 0);
        BlockStitcher.Result s = BlockStitcher.stitch(
                m, 0, 0, nx, ny, new int[] {0, nx, 0, ny}, grid, NONLINEAR, Normalization.ZSCORE, new float[0], 2, 0.5);
        assertEquals(2, s.ownSkipped(), "the two all-blank tiles of the first column");
        assertEquals(6, s.ownTiles());
        assertEquals(4, s.predictions());
        assertEquals(0, s.weights()[10 * nx + 30], "a blank input pixel has no output");
        assertEquals(0, s.weights()[5 * nx + 3]);
        assertTrue(s.weights()[5 * nx + 22] > 0, "a partly blank tile (4 of 16 columns blank) is predicted");
        assertEquals(0, s.weights()[5 * nx + 17]);
    }
}
