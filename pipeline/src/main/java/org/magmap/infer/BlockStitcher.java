package org.magmap.infer;

import java.util.ArrayList;
import java.util.List;
import org.magmap.patch.Normalization;
import org.magmap.predict.ModelRunner;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The stitched model output over one block of a map: every tile that touches the block is cut from the input
 * (which holds the block and the halo those tiles need), normalised as the training patches were, predicted in
 * batches, and its output blended into the block with the {@link TileGrid}'s weights. A tile more than
 * {@code maxBlankFraction} blank is not predicted; a tile with fewer blanks has them set to its mean before
 * normalising (the network has never seen NaN), and the output is NaN at every blank input pixel.
 *
 * <p>An image-to-image network's output channels are blended as they come out (the cresnet's cos 2psi and
 * sin 2psi, so angles average as vectors); a scalar network's one value per tile is spread over the tile's
 * footprint with the same weights.
 */
public final class BlockStitcher {
    private static final int BATCH = 64;

    private BlockStitcher() {}

    /**
     * The blended sums over one block.
     *
     * @param sums per output channel, the weighted sum of predictions at each block pixel (x fastest)
     * @param weights the sum of blending weights at each block pixel: 0 where no tile was predicted
     * @param predictions tiles predicted for this block (counting those shared with neighbouring blocks)
     * @param ownTiles tiles whose origin lies in this block: summed over the blocks, each tile of the map once
     * @param ownSkipped of those, the tiles too blank to predict
     */
    public record Result(double[][] sums, double[] weights, long predictions, long ownTiles, long ownSkipped) {}

    /**
     * @param input the input map over the region [rx0, rx0 + rw) x [ry0, ry0 + rh), x fastest; NaN is blank
     * @param block the block [x0, x1) x [y0, y1), within the region
     * @param conditions the conditioning vector of every tile (empty for an unconditioned network)
     * @param channels the runner's output channels (1 for a scalar network; twice as many with the spread)
     */
    public static Result stitch(
            float[] input,
            int rx0,
            int ry0,
            int rw,
            int rh,
            int[] block,
            TileGrid grid,
            ModelRunner runner,
            Normalization normalization,
            float[] conditions,
            int channels,
            double maxBlankFraction) {
        int bx0 = block[0];
        int bx1 = block[1];
        int by0 = block[2];
        int by1 = block[3];
        int bw = bx1 - bx0;
        int bh = by1 - by0;
        int p = grid.size();
        double[][] sums = new double[channels][bw * bh];
        double[] weights = new double[bw * bh];
        List<int[]> origins = new ArrayList<>();
        for (int ty : TileGrid.touching(grid.yStarts(), p, by0, by1)) {
            for (int tx : TileGrid.touching(grid.xStarts(), p, bx0, bx1)) {
                origins.add(new int[] {tx, ty});
            }
        }
        long predicted = 0;
        long own = 0;
        long ownSkipped = 0;
        List<int[]> batch = new ArrayList<>();
        List<float[]> images = new ArrayList<>();
        for (int[] o : origins) {
            boolean mine = o[0] >= bx0 && o[0] < bx1 && o[1] >= by0 && o[1] < by1;
            own += mine ? 1 : 0;
            float[] tile = new float[p * p];
            int blank = 0;
            double sum = 0;
            for (int j = 0; j < p; j++) {
                int row = (o[1] + j - ry0) * rw + (o[0] - rx0);
                for (int i = 0; i < p; i++) {
                    float v = input[row + i];
                    tile[j * p + i] = v;
                    if (Float.isFinite(v)) {
                        sum += v;
                    } else {
                        blank++;
                    }
                }
            }
            if (blank > maxBlankFraction * p * p || blank == p * p) {
                ownSkipped += mine ? 1 : 0;
                continue;
            }
            if (blank > 0) {
                float mean = (float) (sum / (p * p - blank));
                for (int k = 0; k < tile.length; k++) {
                    if (!Float.isFinite(tile[k])) {
                        tile[k] = mean;
                    }
                }
            }
            normalization.apply(tile);
            batch.add(o);
            images.add(tile);
            if (batch.size() == BATCH) {
                blend(batch, images, runner, conditions, channels, grid, block, sums, weights);
                predicted += batch.size();
                batch.clear();
                images.clear();
            }
        }
        if (!batch.isEmpty()) {
            blend(batch, images, runner, conditions, channels, grid, block, sums, weights);
            predicted += batch.size();
        }
        // Blank input pixels are blank output pixels.
        for (int y = by0; y < by1; y++) {
            for (int x = bx0; x < bx1; x++) {
                if (!Float.isFinite(input[(y - ry0) * rw + (x - rx0)])) {
                    weights[(y - by0) * bw + (x - bx0)] = 0;
                }
            }
        }
        return new Result(sums, weights, predicted, own, ownSkipped);
    }

    private static void blend(
            List<int[]> origins,
            List<float[]> images,
            ModelRunner runner,
            float[] conditions,
            int channels,
            TileGrid grid,
            int[] block,
            double[][] sums,
            double[] weights) {
        int n = origins.size();
        int p = grid.size();
        float[] flat = new float[n * p * p];
        for (int t = 0; t < n; t++) {
            System.arraycopy(images.get(t), 0, flat, t * p * p, p * p);
        }
        INDArray image = Nd4j.create(flat, new long[] {n, 1, p, p}, DataType.FLOAT);
        INDArray[] features;
        if (conditions.length > 0) {
            float[] c = new float[n * conditions.length];
            for (int t = 0; t < n; t++) {
                System.arraycopy(conditions, 0, c, t * conditions.length, conditions.length);
            }
            features = new INDArray[] {image, Nd4j.create(c, new long[] {n, conditions.length}, DataType.FLOAT)};
        } else {
            features = new INDArray[] {image};
        }
        float[] out =
                runner.output(features).castTo(DataType.FLOAT).dup('c').data().asFloat();
        boolean scalar = out.length == n * channels; // values per tile, not maps
        int bx0 = block[0];
        int bx1 = block[1];
        int by0 = block[2];
        int by1 = block[3];
        int bw = bx1 - bx0;
        for (int t = 0; t < n; t++) {
            int tx = origins.get(t)[0];
            int ty = origins.get(t)[1];
            for (int j = Math.max(0, by0 - ty); j < Math.min(p, by1 - ty); j++) {
                for (int i = Math.max(0, bx0 - tx); i < Math.min(p, bx1 - tx); i++) {
                    double w = grid.weight(i, j);
                    int at = (ty + j - by0) * bw + (tx + i - bx0);
                    for (int c = 0; c < channels; c++) {
                        double v = scalar ? out[t * channels + c] : out[((t * channels + c) * p + j) * p + i];
                        sums[c][at] += w * v;
                    }
                    weights[at] += w;
                }
            }
        }
    }
}
