package org.magmap.infer;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import org.magmap.fits.FitsImage;
import org.magmap.fits.FitsImageReader;
import org.magmap.ops.Failures;
import org.magmap.ops.OutputFiles;
import org.magmap.predict.MapTargets;
import org.magmap.predict.ModelRunner;

/**
 * The executor side of {@code infer}: one block of one window of one input read (with its halo), integrated into
 * the window's channel map, predicted tile by tile and stitched ({@link BlockStitcher}), turned into physical
 * maps with psi as a position angle east of north from the file's WCS, and written as one block file beside
 * the output. A failure is returned, not thrown, so one bad input does not stop the others.
 */
public final class InferWork {
    private InferWork() {}

    /** The maps of a cresnet output, in HDU order. */
    public static final List<String> CRESNET_MAPS =
            List.of("PSI_DEG", "PSI_PIX_DEG", "GAMMA_DEG", "B_UG", "M_A", "M_S", "COVERAGE", "WINDOW");
    /** The maps of a cnn output. */
    public static final List<String> CNN_MAPS = List.of("B_UG", "COVERAGE", "WINDOW");

    /** The uncertainty maps a cresnet output adds under the dihedral mean. */
    public static final List<String> CRESNET_ERRORS =
            List.of("PSI_DEG_ERR", "GAMMA_DEG_ERR", "B_UG_ERR", "M_A_ERR", "M_S_ERR");

    /**
     * The maps an output holds: the network's, then the VGT and the Alignment Measure (a cresnet on an H I window
     * with {@code vgt-block-pixels} set), then with the dihedral mean each quantity's spread over the eight turns
     * ({@code _ERR}).
     *
     * @param in the input, or null for every map any input of the run may have (the summary's columns)
     */
    public static List<String> maps(ModelSpec model, InferSettings settings, InferInput in) {
        List<String> out = new java.util.ArrayList<>(model.imageToImage() ? CRESNET_MAPS : CNN_MAPS);
        if (hasVgt(model, settings, in)) {
            out.addAll(List.of("VGT_PSI_DEG", "AM"));
        }
        if (settings.dihedralMean()) {
            out.addAll(model.imageToImage() ? CRESNET_ERRORS : List.of("B_UG_ERR"));
        }
        return List.copyOf(out);
    }

    static boolean hasVgt(ModelSpec model, InferSettings settings, InferInput in) {
        return model.imageToImage() && settings.vgtBlockPixels() > 0 && (in == null || in.spectral() != null);
    }

    /**
     * What one block did.
     *
     * @param tiles the map's tiles whose origin is in this block
     * @param skipped of those, the ones too blank to predict
     * @param predictions tile predictions made (tiles that reach into neighbouring blocks are predicted there too)
     * @param sums per map, the sum of its finite values in the block
     * @param counts per map, how many finite values
     * @param error null, or why the block failed
     */
    public record BlockSummary(
            int input,
            int window,
            int[] block,
            long tiles,
            long skipped,
            long predictions,
            double[] sums,
            long[] counts,
            String error)
            implements Serializable {}

    /** Runs one unit; {@code blocksDir} is the window's block directory in the staging output. */
    public static BlockSummary run(
            InferUnit unit,
            InferInput in,
            ModelSpec model,
            ModelRunner runner,
            InferSettings settings,
            String blocksDir,
            OutputFiles.HadoopSettings hadoop) {
        try {
            return OutputFiles.withScratch("magmap-infer-", scratch -> {
                float[] region = readWindowMap(unit, in, scratch, hadoop);
                int[] r = unit.region();
                int rw = r[1] - r[0];
                int rh = r[3] - r[2];
                TileGrid grid = new TileGrid(in.nx(), in.ny(), model.tileSize(), settings.tileOverlap());
                float[] conditions = model.conditions() == 0 ? new float[0] : in.conditions(unit.window(), settings);
                BlockStitcher.Result s = BlockStitcher.stitch(
                        region,
                        r[0],
                        r[2],
                        rw,
                        rh,
                        unit.block(),
                        grid,
                        runner,
                        model.tileNormalization(),
                        conditions,
                        model.channels() * (settings.dihedralMean() ? 2 : 1),
                        settings.maxBlankTileFraction());
                float[] vgt = hasVgt(model, settings, in)
                        ? VgtBeside.pixelFieldDeg(
                                region, r[0], r[2], rw, rh, unit.block(), in.nx(), in.ny(), settings.vgtBlockPixels())
                        : null;
                float[][] maps = physicalMaps(unit, in, model, s, region, vgt, maps(model, settings, in));
                Path file = scratch.resolve(unit.fileName());
                List<String> names = maps(model, settings, in);
                double[] sums = new double[names.size()];
                long[] counts = new long[names.size()];
                for (int q = 0; q < maps.length; q++) {
                    for (float v : maps[q]) {
                        if (Float.isFinite(v)) {
                            sums[q] += v;
                            counts[q]++;
                        }
                    }
                }
                org.magmap.ops.BlockFiles.write(file, maps);
                OutputFiles.publish(file, blocksDir, hadoop);
                return new BlockSummary(
                        unit.input(),
                        unit.window(),
                        unit.block(),
                        s.ownTiles(),
                        s.ownSkipped(),
                        s.predictions(),
                        sums,
                        counts,
                        null);
            });
        } catch (Exception e) {
            return new BlockSummary(
                    unit.input(),
                    unit.window(),
                    unit.block(),
                    0,
                    0,
                    0,
                    new double[0],
                    new long[0],
                    Failures.describe(e));
        }
    }

    /** The window's channel map over the unit's region, x fastest; NaN where any channel in it is blank. */
    static float[] readWindowMap(InferUnit unit, InferInput in, Path scratch, OutputFiles.HadoopSettings hadoop)
            throws IOException {
        int[] r = unit.region();
        int rw = r[1] - r[0];
        int rh = r[3] - r[2];
        Path local = OutputFiles.localCopy(in.file(), scratch, hadoop);
        try (FitsImageReader fits = FitsImageReader.open(local)) {
            FitsImage image = fits.image(in.hdu());
            if (in.spectral() == null) {
                return image.readTile(new int[] {r[0], r[2]}, new int[] {rw, rh});
            }
            int first = in.firstChannel()[unit.window()];
            int count = in.channelCount()[unit.window()];
            double[] weights = in.channelWeights().get(unit.window());
            float[] cube = image.readTile(new int[] {r[0], r[2], first}, new int[] {rw, rh, count});
            float[] map = new float[rw * rh];
            int plane = rw * rh;
            for (int p = 0; p < plane; p++) {
                double sum = 0;
                for (int k = 0; k < count; k++) {
                    sum += cube[k * plane + p] * weights[k]; // NaN anywhere in the window blanks the pixel
                }
                map[p] = (float) sum;
            }
            return map;
        }
    }

    /** The block's maps in physical units, in {@link #maps} order. */
    private static float[][] physicalMaps(
            InferUnit unit,
            InferInput in,
            ModelSpec model,
            BlockStitcher.Result s,
            float[] region,
            float[] vgt,
            List<String> names) {
        int[] b = unit.block();
        int[] r = unit.region();
        int bw = b[1] - b[0];
        int bh = b[3] - b[2];
        int n = bw * bh;
        float[][] out = new float[names.size()][n];
        java.util.Map<String, float[]> map = new java.util.HashMap<>();
        for (int q = 0; q < names.size(); q++) {
            map.put(names.get(q), out[q]);
        }
        boolean spread = names.contains("B_UG_ERR");
        int channels = model.channels();
        for (int j = 0; j < bh; j++) {
            for (int i = 0; i < bw; i++) {
                int at = j * bw + i;
                int x = b[0] + i;
                int y = b[2] + j;
                double w = s.weights()[at];
                map.get("COVERAGE")[at] = (float) w;
                map.get("WINDOW")[at] = region[(y - r[2]) * (r[1] - r[0]) + (x - r[0])];
                // Blended means (and with the spread, blended standard deviations), in training units.
                double[] mean = new double[channels];
                double[] std = new double[channels];
                for (int c = 0; c < channels; c++) {
                    mean[c] = w > 0 ? s.sums()[c][at] / w : Double.NaN;
                    std[c] = w > 0 && spread ? s.sums()[channels + c][at] / w : Double.NaN;
                }
                if (!model.imageToImage()) {
                    map.get("B_UG")[at] = (float) mean[0];
                    if (spread) {
                        map.get("B_UG_ERR")[at] = (float) std[0];
                    }
                    continue;
                }
                MapTargets t = model.targets();
                double[] v = new double[channels];
                for (int c = 0; c < channels; c++) {
                    v[c] = t.physical(c, mean[c]);
                }
                double psiPix = w > 0
                        ? ((MapTargets.psiDeg(v[MapTargets.COS2PSI], v[MapTargets.SIN2PSI]) % 180) + 180) % 180
                        : Double.NaN;
                map.get("PSI_DEG")[at] = (float) (w > 0 ? in.wcs().positionAngleDeg(x, y, psiPix) : Double.NaN);
                map.get("PSI_PIX_DEG")[at] = (float) psiPix;
                String[] scalars = {"GAMMA_DEG", "B_UG", "M_A", "M_S"};
                for (int c = 2; c < channels; c++) {
                    map.get(scalars[c - 2])[at] = (float) v[c];
                }
                if (vgt != null) {
                    double vgtPa = Double.isFinite(vgt[at]) ? in.wcs().positionAngleDeg(x, y, vgt[at]) : Double.NaN;
                    double psiPa = map.get("PSI_DEG")[at];
                    map.get("VGT_PSI_DEG")[at] = (float) vgtPa;
                    // On the sky (east and north are at right angles there; a projection's pixel axes may not be).
                    map.get("AM")[at] = (float)
                            (Double.isFinite(vgtPa) && Double.isFinite(psiPa)
                                    ? Math.cos(2 * Math.toRadians(psiPa - vgtPa))
                                    : Double.NaN);
                }
                if (spread) {
                    // psi from (cos 2psi, sin 2psi): a spread d of the vector's tip across a length R turns 2psi
                    // by about d / R radians, so psi by half that.
                    double sc = std[MapTargets.COS2PSI] * t.scales()[MapTargets.COS2PSI];
                    double ss = std[MapTargets.SIN2PSI] * t.scales()[MapTargets.SIN2PSI];
                    double length = Math.hypot(v[MapTargets.COS2PSI], v[MapTargets.SIN2PSI]);
                    map.get("PSI_DEG_ERR")[at] =
                            (float) Math.min(90, Math.toDegrees(0.5 * Math.hypot(sc, ss) / length));
                    for (int c = 2; c < channels; c++) {
                        map.get(scalars[c - 2] + "_ERR")[at] = (float) (std[c] * t.scales()[c]);
                    }
                }
            }
        }
        return out;
    }
}
