package org.magmap.mosaic;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.magmap.fits.FitsImageReader;
import org.magmap.ops.BlockFiles;
import org.magmap.ops.OutputFiles;
import org.magmap.sky.SkyFrames;

/**
 * The executor side of a mosaic: one unit (a target block and the inputs that reach it) read, co-added and
 * written as a block file. Each input is read only over the part of it under the block.
 */
public final class MosaicWork {
    private MosaicWork() {}

    /**
     * What one block sends back to the driver.
     *
     * @param sums per co-added map, the sum of its finite values in the block
     * @param counts per map, how many finite values
     * @param covered target pixels some input reached
     * @param error null, or why the block failed
     */
    public record BlockSummary(int window, int[] block, double[] sums, long[] counts, long covered, String error)
            implements Serializable {}

    /**
     * Where an input's pixels lie under target positions (longitude, latitude in the target frame; NaN for none),
     * and the turn of its position angles into the target frame there; null when none is on the input.
     */
    public static CoAdd.Sampling sample(double[] lon, double[] lat, String targetFrame, MosaicInput in) {
        SkyFrames.Frame from = SkyFrames.Frame.of(in.wcs().frame());
        SkyFrames.Frame to = SkyFrames.Frame.of(targetFrame);
        int n = lon.length;
        double[] xs = new double[n];
        double[] ys = new double[n];
        double[] turn = new double[n];
        double[] box = {
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
        };
        for (int p = 0; p < n; p++) {
            xs[p] = Double.NaN;
            ys[p] = Double.NaN;
            if (Double.isNaN(lon[p])) {
                continue;
            }
            double[] own = SkyFrames.convert(to, from, lon[p], lat[p]);
            double[] xy = in.wcs().worldToPixel(own[0], own[1]);
            double x = xy[0];
            double y = xy[1];
            if (!(x >= -0.5 && x < in.nx() - 0.5 && y >= -0.5 && y < in.ny() - 0.5)) {
                continue;
            }
            xs[p] = x;
            ys[p] = y;
            turn[p] = SkyFrames.positionAngleTurnDeg(from, to, own[0], own[1]);
            box[0] = Math.min(box[0], x);
            box[1] = Math.max(box[1], x);
            box[2] = Math.min(box[2], y);
            box[3] = Math.max(box[3], y);
        }
        if (!(box[1] >= box[0])) {
            return null;
        }
        int x0 = (int) Math.floor(Math.max(0, box[0]));
        int x1 = Math.min(in.nx(), (int) Math.floor(Math.min(in.nx() - 1, box[1])) + 2);
        int y0 = (int) Math.floor(Math.max(0, box[2]));
        int y1 = Math.min(in.ny(), (int) Math.floor(Math.min(in.ny() - 1, box[3])) + 2);
        return new CoAdd.Sampling(xs, ys, turn, new int[] {x0, x1, y0, y1});
    }

    /**
     * Runs one unit.
     *
     * @param inputs the window's inputs
     * @param maps the window's co-added maps (every input has them)
     * @param blocksDir the window's block directory in the staging output
     */
    public static BlockSummary run(
            MosaicUnit unit,
            SkyTarget target,
            List<MosaicInput> inputs,
            List<String> maps,
            double featherPixels,
            String blocksDir,
            OutputFiles.HadoopSettings hadoop) {
        int[] b = unit.block();
        try {
            return OutputFiles.withScratch("magmap-mosaic-", scratch -> {
                double[][] at = target.positions(b);
                CoAdd sum = new CoAdd(at[0].length, maps);
                for (int i : unit.inputs()) {
                    MosaicInput in = inputs.get(i);
                    CoAdd.Sampling s = sample(at[0], at[1], target.frame(), in);
                    if (s == null) {
                        continue;
                    }
                    int[] r = s.region();
                    int[] corner = {r[0], r[2]};
                    int[] lengths = {r[1] - r[0], r[3] - r[2]};
                    Path local = OutputFiles.localCopy(in.file(), scratch, hadoop);
                    try (FitsImageReader reader = FitsImageReader.open(local)) {
                        float[] coverage = in.coverageHdu() < 0
                                ? null
                                : reader.image(in.coverageHdu()).readTile(corner, lengths);
                        List<float[]> regions = new ArrayList<>();
                        for (String m : maps) {
                            int hdu = in.hdus().get(in.maps().indexOf(m));
                            regions.add(reader.image(hdu).readTile(corner, lengths));
                        }
                        sum.add(s, in.nx(), in.ny(), coverage, regions, featherPixels);
                    }
                    if (local.startsWith(scratch)) {
                        java.nio.file.Files.delete(local); // a copy from a remote file system: one at a time
                    }
                }
                float[][] out = sum.result();
                double[] sums = new double[maps.size()];
                long[] counts = new long[maps.size()];
                for (int q = 0; q < maps.size(); q++) {
                    for (float v : out[q]) {
                        if (Float.isFinite(v)) {
                            sums[q] += v;
                            counts[q]++;
                        }
                    }
                }
                Path file = scratch.resolve(BlockFiles.fileName(b));
                long covered = target.writeBlock(file, b, out);
                OutputFiles.publish(file, blocksDir, hadoop);
                return new BlockSummary(unit.window(), b, sums, counts, covered, null);
            });
        } catch (Exception e) {
            String why = e instanceof java.io.IOException io ? OutputFiles.reason(io) : e.toString();
            return new BlockSummary(unit.window(), b, new double[0], new long[0], 0, why);
        }
    }
}
