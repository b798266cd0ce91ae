package org.magmap.mosaic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImageWriter;
import org.magmap.ops.BlockFiles;

/**
 * The driver side of a mosaic's output: one FITS file per window, each map an image HDU on the target grid,
 * assembled from the block files one row of blocks at a time, so no map is ever held whole. Blocks no input
 * reached have no file and are written blank (NaN, coverage 0).
 */
public final class MosaicOutput {
    private MosaicOutput() {}

    /** The maps of a window's output in order: the co-added maps, then COVERAGE and N_INPUTS. */
    public static List<String> outputMaps(List<String> coAdded) {
        List<String> out = new java.util.ArrayList<>(coAdded);
        out.add("COVERAGE");
        out.add("N_INPUTS");
        return out;
    }

    private static String unit(String map) {
        if (map.endsWith("PSI_DEG") || map.startsWith("GAMMA_DEG") || map.startsWith("PSI_DEG")) {
            return "deg";
        }
        return map.startsWith("B_UG") ? "uG" : "";
    }

    private static String describe(String map, TargetGrid grid) {
        return switch (map) {
            case "PSI_DEG" -> "field orientation psi, position angle east of north (IAU), " + grid.frame();
            case "VGT_PSI_DEG" -> "VGT field orientation, position angle east of north (IAU), " + grid.frame();
            case "COVERAGE" -> "sum of the inputs' weights (their COVERAGE times the edge feather); 0: no input";
            case "N_INPUTS" -> "number of inputs co-added at the pixel";
            default -> map.endsWith("_ERR")
                    ? "propagated error sqrt(sum w^2 err^2) / sum w of the inputs' errors"
                    : "coverage-weighted mean of the inputs' " + map;
        };
    }

    /**
     * Writes one window's HEALPix mosaic: the HEALPix FITS convention's binary table (Gorski et al. 2005,
     * appendix; the HEALPix "FITS format" note) with explicit indices: a PIXEL column (int64, in the target's
     * ORDERING) and a float column per map, one row per reached pixel, in the order of the NESTED blocks (so a
     * NESTED map's rows are sorted; a RING map's PIXEL column says where each row lies).
     *
     * @param written block file name to the rows it holds
     */
    public static void writeHealpix(
            Path file,
            FileSystem fs,
            String blocksDir,
            java.util.Map<String, Long> written,
            HealpixTarget target,
            List<String> coAdded,
            FitsCards primary)
            throws IOException {
        List<String> maps = outputMaps(coAdded);
        long rows = written.values().stream().mapToLong(Long::longValue).sum();
        List<String> names = new java.util.ArrayList<>(List.of("PIXEL"));
        List<String> units = new java.util.ArrayList<>(List.of(""));
        for (String m : maps) {
            names.add(m);
            units.add(unit(m));
        }
        FitsCards cards = new FitsCards()
                .add("PIXTYPE", "HEALPIX", "HEALPix pixelisation")
                .add("ORDERING", target.ordering().name(), "pixel ordering scheme")
                .add("NSIDE", target.nside(), "resolution parameter")
                .add("FIRSTPIX", 0L, "first pixel number (0 based)")
                .add("LASTPIX", org.magmap.sky.Healpix.pixels(target.nside()) - 1, "last pixel number (0 based)")
                .add("INDXSCHM", "EXPLICIT", "indices in the PIXEL column")
                .add("OBJECT", "PARTIAL", "sky coverage: the pixels some input reached")
                .add("COORDSYS", target.coordsys(), target.frame() + " coordinates");
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.writeEmptyPrimary(primary);
            w.beginTable("MOSAIC", names, units, rows, cards);
            for (java.util.Map.Entry<String, Long> e : written.entrySet()) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(blocksDir, e.getKey());
                try (java.io.DataInputStream in =
                        new java.io.DataInputStream(new java.io.BufferedInputStream(fs.open(p), 1 << 16))) {
                    int n = in.readInt();
                    long[] pixel = new long[n];
                    for (int k = 0; k < n; k++) {
                        pixel[k] = in.readLong();
                    }
                    float[] values = new float[n * maps.size()]; // row-major for the table
                    for (int q = 0; q < maps.size(); q++) {
                        for (int k = 0; k < n; k++) {
                            values[k * maps.size() + q] = in.readFloat();
                        }
                    }
                    for (int k = 0; k < n; k++) {
                        w.writeRow(pixel[k], values, k * maps.size());
                    }
                }
            }
            w.endTable();
        }
    }

    /**
     * Writes one window's mosaic.
     *
     * @param blocksDir the window's block directory (any Hadoop path)
     * @param written the names of the block files there ({@link BlockFiles#fileName})
     */
    public static void write(
            Path file,
            FileSystem fs,
            String blocksDir,
            Set<String> written,
            TargetGrid grid,
            List<String> coAdded,
            FitsCards primary)
            throws IOException {
        List<String> maps = outputMaps(coAdded);
        List<int[]> blocks = grid.blocks();
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.writeEmptyPrimary(primary);
            for (int q = 0; q < maps.size(); q++) {
                String map = maps.get(q);
                FitsCards cards = grid.cards().add("BUNIT", unit(map), null).comment(describe(map, grid));
                w.beginImage(map, new int[] {grid.nx(), grid.ny()}, cards);
                float blank = q < coAdded.size() ? Float.NaN : 0f;
                for (int row = 0; row < blocks.size(); ) {
                    int y0 = blocks.get(row)[2];
                    int y1 = blocks.get(row)[3];
                    float[] slab = new float[grid.nx() * (y1 - y0)];
                    Arrays.fill(slab, blank);
                    while (row < blocks.size() && blocks.get(row)[2] == y0) {
                        int[] b = blocks.get(row);
                        if (written.contains(BlockFiles.fileName(b))) {
                            BlockFiles.readInto(fs, blocksDir, b, q, slab, grid.nx());
                        }
                        row++;
                    }
                    w.write(slab);
                }
                w.endImage();
            }
        }
    }
}
