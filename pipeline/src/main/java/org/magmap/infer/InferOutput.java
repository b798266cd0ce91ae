package org.magmap.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import nom.tam.fits.Header;
import org.apache.hadoop.fs.FileSystem;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImageWriter;
import org.magmap.ops.BlockFiles;

/**
 * The driver side of {@code infer}'s output: one FITS file per input and window, assembled from the block
 * files slab by slab (one row of blocks at a time), so no map is ever held whole. Each map is one image HDU with
 * the input's 2D celestial WCS (spectral and Stokes axes dropped), its unit, and the provenance in the primary
 * header.
 */
public final class InferOutput {
    private InferOutput() {}

    /** The blocks of a map, row by row: [x0, x1, y0, y1] each. */
    public static List<int[]> blocks(int nx, int ny, int blockPixels) {
        return BlockFiles.blocks(nx, ny, blockPixels);
    }

    /** The region a block's tiles read: the block widened to the tiles that touch it. */
    public static int[] region(int[] block, TileGrid grid) {
        int p = grid.size();
        int[] tx = TileGrid.touching(grid.xStarts(), p, block[0], block[1]);
        int[] ty = TileGrid.touching(grid.yStarts(), p, block[2], block[3]);
        return new int[] {
            Math.min(block[0], tx[0]),
            Math.max(block[1], tx[tx.length - 1] + p),
            Math.min(block[2], ty[0]),
            Math.max(block[3], ty[ty.length - 1] + p)
        };
    }

    /** The region, also covering the VGT blocks that touch the block with a pixel to spare ({@link VgtBeside}). */
    public static int[] region(int[] block, TileGrid grid, int vgtBlock, int nx, int ny) {
        int[] r = region(block, grid);
        if (vgtBlock <= 0) {
            return r;
        }
        int m = VgtBeside.margin(vgtBlock);
        return new int[] {
            Math.max(0, Math.min(r[0], block[0] - m)),
            Math.min(nx, Math.max(r[1], block[1] + m)),
            Math.max(0, Math.min(r[2], block[2] - m)),
            Math.min(ny, Math.max(r[3], block[3] + m))
        };
    }

    private static String unit(String map, InferInput in) {
        return switch (map) {
            case "PSI_DEG", "PSI_PIX_DEG", "GAMMA_DEG", "PSI_DEG_ERR", "GAMMA_DEG_ERR", "VGT_PSI_DEG" -> "deg";
            case "B_UG", "B_UG_ERR" -> "uG";
            case "WINDOW" -> in.spectral() == null ? in.unit() : (in.unit().isBlank() ? "" : in.unit() + " ") + "km/s";
            default -> "";
        };
    }

    private static String describe(String map, InferInput in) {
        return switch (map) {
            case "PSI_DEG" -> "field orientation psi, position angle east of north (IAU), "
                    + in.wcs().frame();
            case "PSI_PIX_DEG" -> "psi in the pixel frame, from +x towards +y";
            case "GAMMA_DEG" -> "inclination of B to the line of sight";
            case "B_UG" -> "magnetic field strength";
            case "M_A" -> "Alfven Mach number";
            case "M_S" -> "sonic Mach number";
            case "COVERAGE" -> "sum of the tile blending weights (0: not predicted)";
            case "VGT_PSI_DEG" -> "VGT field orientation, position angle east of north (IAU), "
                    + in.wcs().frame();
            case "AM" -> "Alignment Measure cos 2(PSI_DEG - VGT_PSI_DEG) per pixel, on the sky";
            case "PSI_DEG_ERR",
                    "GAMMA_DEG_ERR",
                    "B_UG_ERR",
                    "M_A_ERR",
                    "M_S_ERR" -> "spread (standard deviation) over the tile's eight rotations and mirrors";
            default -> in.spectral() == null ? "the input image" : "the window's integrated channel map";
        };
    }

    /**
     * Writes one input's window as a FITS file.
     *
     * @param blocksDir the window's block directory (any Hadoop path)
     * @param header the input's image header, for the WCS cards
     * @param settings the run's settings (block size, whether the spread maps are there)
     * @param provenance cards for the primary header
     */
    public static void write(
            Path file,
            FileSystem fs,
            String blocksDir,
            InferInput in,
            ModelSpec model,
            InferSettings settings,
            Header header,
            FitsCards provenance)
            throws IOException {
        List<String> maps = InferWork.maps(model, settings, in);
        int blockPixels = settings.blockPixels();
        List<int[]> blocks = blocks(in.nx(), in.ny(), blockPixels);
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.writeEmptyPrimary(provenance);
            for (int q = 0; q < maps.size(); q++) {
                FitsCards cards = in.wcs().cards(header);
                cards.add("BUNIT", unit(maps.get(q), in), null);
                cards.comment(describe(maps.get(q), in));
                w.beginImage(maps.get(q), new int[] {in.nx(), in.ny()}, cards);
                for (int row = 0; row < blocks.size(); ) {
                    int y0 = blocks.get(row)[2];
                    int y1 = blocks.get(row)[3];
                    float[] slab = new float[in.nx() * (y1 - y0)];
                    while (row < blocks.size() && blocks.get(row)[2] == y0) {
                        int[] b = blocks.get(row);
                        BlockFiles.readInto(fs, blocksDir, b, q, slab, in.nx());
                        row++;
                    }
                    w.write(slab);
                }
                w.endImage();
            }
        }
    }

    /** The output file name of an input's window. */
    public static String fileName(InferInput in, int window) {
        return String.format(
                Locale.ROOT, "%s__%s.fits", in.stem(), in.windows().get(window).name());
    }
}
