package org.magmap.sim;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.magmap.ops.BadInputException;

/**
 * Reads a FLASH (version 3 or 4) HDF5 plot or checkpoint file of a uniform grid as a cube, one z-slab at a
 * time, through jhdf.
 *
 * <p>The layout, as the FLASH User's Guide (IO Unit, HDF5 output format) describes it and yt's FLASH
 * frontend reads it: one dataset per variable ({@code dens}, {@code velx}, {@code vely}, {@code velz}, {@code
 * magx}, {@code magy}, {@code magz}, {@code temp}, ...) shaped {@code (nblocks, nzb, nyb, nxb)}, so x is
 * fastest within a block; per-block {@code refine level} (1 = root), {@code node type} (1 = leaf) and {@code
 * bounding box} {@code (nblocks, 3, 2)} in cm; and name/value tables ({@code integer scalars}, {@code real
 * scalars}, {@code string runtime parameters}, ...) whose names are blank-padded 80-byte strings.
 *
 * <p>Only leaf blocks are read. They are placed on the global grid by their bounding boxes, so they must all
 * be on one refine level (the grid is uniform) and tile a box. AMR files, whose leaves sit on several levels,
 * are refused with the level census in the message: resampling them onto one level is a modelling choice
 * (which level, how to interpolate) magmap leaves to tools that make it explicit, e.g. yt's covering grids.
 *
 * <p>Units: FLASH in its default CGS unit system writes density in g cm^-3, velocity in cm s^-1 (returned
 * in km s^-1), temperature in K and the magnetic field in gauss (returned in microgauss). When the runtime
 * parameter {@code unitsystem} is {@code none}, FLASH's MHD solver absorbs {@code 4 pi} into B as Athena does
 * ({@link CodeUnits}), and B is multiplied by {@code sqrt(4 pi)} to give gauss (yt's FLASH frontend does the
 * same); {@code SI} files are refused. The cell size comes from the bounding boxes (cm to pc with {@link
 * CodeUnits#CM_PER_PC}), the time from {@code real scalars/time} (s to Myr).
 */
public final class FlashHdf5Reader implements CubeReader {

    /** Relative tolerance on block geometry. */
    private static final double GEOMETRY_TOLERANCE = 1e-6;

    /** FLASH plot and checkpoint file names end in the file number: {@code cluster_hdf5_plt_cnt_0042}. */
    private static final Pattern FILE_NUMBER = Pattern.compile("_(\\d+)(\\.h5|\\.hdf5)?$");

    private final String source;
    private final HdfFile hdf;
    private final CubeMeta meta;
    private final Map<Field, Dataset> datasets;
    private final Map<Field, Double> toMagmap;
    private final int[] leaves;
    private final int[][] leafOrigin;
    private final int blockNx;
    private final int blockNy;
    private final int blockNz;

    private FlashHdf5Reader(Opened o, String runId) {
        this.source = o.source;
        this.hdf = o.hdf;
        this.datasets = o.datasets;
        this.toMagmap = o.toMagmap;
        this.leaves = o.leaves;
        this.leafOrigin = o.leafOrigin;
        this.blockNx = o.blockN[0];
        this.blockNy = o.blockN[1];
        this.blockNz = o.blockN[2];
        this.meta = o.meta(runId);
    }

    /**
     * Opens {@code file} with a run id taken from its name ({@code cluster_hdf5_plt_cnt_0042}).
     *
     * @throws BadInputException if the file is missing, truncated, lacks a dataset the layout needs, has
     *     leaves on several refine levels, or holds none of magmap's fields (the message names the file and
     *     why)
     */
    public static FlashHdf5Reader open(Path file) throws IOException {
        return open(file, null);
    }

    /**
     * Opens {@code file}; see {@link #open(Path)}.
     *
     * @param runId the cube's run id, or null to derive it from the file name
     */
    public static FlashHdf5Reader open(Path file, String runId) throws IOException {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(source, "no such file");
        }
        HdfFile hdf;
        try {
            hdf = new HdfFile(file);
        } catch (RuntimeException e) {
            throw new BadInputException(source, "not a readable HDF5 file (" + e.getMessage() + ")", e);
        }
        try {
            Opened o = new Opened(source, hdf, Files.size(file));
            return new FlashHdf5Reader(o, runId != null ? runId : runIdFromName(file));
        } catch (BadInputException e) {
            hdf.close();
            throw e;
        } catch (RuntimeException e) {
            hdf.close();
            // jhdf reports damaged structures (a cut file, a bad header) as unchecked exceptions
            throw new BadInputException(source, "cannot read its FLASH structure (" + e + ")", e);
        }
    }

    @Override
    public CubeMeta meta() {
        return meta;
    }

    @Override
    public synchronized float[] readSlab(Field field, int z0, int planes) throws IOException {
        checkSlab(field, z0, planes);
        Dataset ds = datasets.get(field);
        double factor = toMagmap.get(field);
        int nx = meta.shape().nx();
        int ny = meta.shape().ny();
        float[] out = new float[Math.multiplyExact(planes, meta.shape().planeSize())];
        for (int n = 0; n < leaves.length; n++) {
            int bz = leafOrigin[2][n];
            int lo = Math.max(z0, bz);
            int hi = Math.min(z0 + planes, bz + blockNz);
            if (lo >= hi) {
                continue;
            }
            Object slice;
            try {
                slice = ds.getData(new long[] {leaves[n], lo - bz, 0, 0}, new int[] {1, hi - lo, blockNy, blockNx});
            } catch (RuntimeException e) {
                throw new IOException(
                        source + ": cannot read block " + leaves[n] + " of dataset '" + field.key() + "' (" + e + ")",
                        e);
            }
            Object planesOfBlock = Array.get(slice, 0);
            for (int k = lo; k < hi; k++) {
                Object plane = Array.get(planesOfBlock, k - lo);
                for (int j = 0; j < blockNy; j++) {
                    Object row = Array.get(plane, j);
                    int dst = ((k - z0) * ny + leafOrigin[1][n] + j) * nx + leafOrigin[0][n];
                    if (row instanceof float[] f) {
                        for (int i = 0; i < blockNx; i++) {
                            out[dst + i] = (float) (f[i] * factor);
                        }
                    } else if (row instanceof double[] d) {
                        for (int i = 0; i < blockNx; i++) {
                            out[dst + i] = (float) (d[i] * factor);
                        }
                    } else {
                        throw new BadInputException(
                                source,
                                "dataset '" + field.key() + "' holds "
                                        + row.getClass().getSimpleName() + ", not floating-point values");
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        hdf.close();
    }

    /** What opening the file establishes. */
    private static final class Opened {
        final String source;
        final HdfFile hdf;
        final Map<Field, Dataset> datasets = new EnumMap<>(Field.class);
        final Map<Field, Double> toMagmap = new EnumMap<>(Field.class);
        final Map<String, Object> parameters = new HashMap<>();
        final int[] blockN = new int[3];
        final int[] gridN = new int[3];
        int[] leaves;
        int[][] leafOrigin;
        int blocks;
        int level;
        double cellSizeCm;
        double timeS = Double.NaN;
        boolean periodic;
        String unitSystem;

        Opened(String source, HdfFile hdf, long fileBytes) {
            this.source = source;
            this.hdf = hdf;
            checkNotTruncated(fileBytes);
            findFields();
            readTables();
            placeLeaves();
            units();
            Object time = parameters.get("real scalars/time");
            if (time instanceof Number t) {
                timeS = t.doubleValue();
            }
            periodic = true;
            String[] sides = {"x", "y", "z"};
            for (int a = 0; a < 3; a++) {
                if (gridN[a] == 1) {
                    continue;
                }
                for (String lr : new String[] {"l", "r"}) {
                    Object bc = parameters.get("string runtime parameters/" + sides[a] + lr + "_boundary_type");
                    periodic &= bc instanceof String s && s.equalsIgnoreCase("periodic");
                }
            }
        }

        /** The superblock records the file's length; a shorter file was cut (HDF5 spec, section II.A). */
        private void checkNotTruncated(long fileBytes) {
            Superblock sb = hdf.getHdfBackingStorage().getSuperblock();
            long expected = sb.getBaseAddressByte() + sb.getEndOfFileAddress();
            if (expected > fileBytes) {
                throw new BadInputException(
                        source,
                        "truncated: its HDF5 superblock says the file ends at byte " + expected + " but it has "
                                + fileBytes + " bytes");
            }
        }

        private Dataset dataset(String name) {
            Node n = hdf.getChild(name);
            if (!(n instanceof Dataset d)) {
                throw new BadInputException(
                        source,
                        "has no dataset '" + name + "', which every FLASH 3/4 plot and checkpoint file has (datasets: "
                                + new TreeMap<>(hdf.getChildren()).keySet() + ")");
            }
            return d;
        }

        private void findFields() {
            int[] dims = null;
            Field first = null;
            for (Field f : Field.values()) {
                if (!(hdf.getChild(f.key()) instanceof Dataset d)) {
                    continue;
                }
                int[] dd = d.getDimensions();
                if (dd.length != 4) {
                    throw new BadInputException(
                            source,
                            "dataset '" + f.key() + "' has " + dd.length
                                    + " dimensions, not FLASH's 4 (nblocks, nzb, nyb, nxb)");
                }
                if (dims == null) {
                    dims = dd;
                    first = f;
                } else if (!Arrays.equals(dims, dd)) {
                    throw new BadInputException(
                            source,
                            "dataset '" + f.key() + "' is shaped " + Arrays.toString(dd) + " but '" + first.key()
                                    + "' is " + Arrays.toString(dims));
                }
                datasets.put(f, d);
            }
            if (dims == null) {
                throw new BadInputException(
                        source,
                        "has none of the datasets magmap reads ("
                                + Arrays.stream(Field.values()).map(Field::key).toList() + ")");
            }
            blocks = dims[0];
            blockN[0] = dims[3];
            blockN[1] = dims[2];
            blockN[2] = dims[1];
        }

        /**
         * Reads the name/value tables into {@code parameters} as "table/name". A table in another shape is
         * skipped: they are informative, and the block geometry is checked from the per-block datasets.
         */
        private void readTables() {
            for (String table : new String[] {
                "integer scalars",
                "real scalars",
                "integer runtime parameters",
                "real runtime parameters",
                "string runtime parameters",
                "string scalars"
            }) {
                if (!(hdf.getChild(table) instanceof Dataset d) || !d.isCompound()) {
                    continue;
                }
                if (!(d.getData() instanceof Map<?, ?> columns)) {
                    continue;
                }
                Object names = columns.get("name");
                Object values = columns.get("value");
                if (names == null
                        || values == null
                        || !names.getClass().isArray()
                        || !values.getClass().isArray()) {
                    continue;
                }
                for (int i = 0; i < Array.getLength(names) && i < Array.getLength(values); i++) {
                    Object v = Array.get(values, i);
                    parameters.put(
                            table + "/"
                                    + String.valueOf(Array.get(names, i)).trim().toLowerCase(Locale.ROOT),
                            v instanceof String s ? s.trim() : v);
                }
            }
            String[] axes = {"nxb", "nyb", "nzb"};
            for (int a = 0; a < 3; a++) {
                Object v = parameters.get("integer scalars/" + axes[a]);
                if (v instanceof Number n && n.intValue() != blockN[a]) {
                    throw new BadInputException(
                            source,
                            "integer scalars give " + axes[a] + "=" + n + " but the variable datasets hold " + blockN[a]
                                    + " cells per block along that axis");
                }
            }
        }

        private void placeLeaves() {
            int[] nodeType = ints(dataset("node type"));
            int[] refine = ints(dataset("refine level"));
            Dataset bboxSet = dataset("bounding box");
            int[] bdims = bboxSet.getDimensions();
            if (bdims.length != 3 || bdims[0] != blocks || bdims[1] != 3 || bdims[2] != 2) {
                throw new BadInputException(
                        source,
                        "dataset 'bounding box' is shaped " + Arrays.toString(bdims) + ", not (" + blocks + ", 3, 2)");
            }
            double[] bbox = doubles(bboxSet);
            if (nodeType.length != blocks || refine.length != blocks) {
                throw new BadInputException(
                        source,
                        "'node type' has " + nodeType.length + " and 'refine level' " + refine.length + " entries for "
                                + blocks + " blocks");
            }
            Map<Integer, Integer> leafLevels = new TreeMap<>();
            int count = 0;
            for (int b = 0; b < blocks; b++) {
                if (nodeType[b] == 1) {
                    leafLevels.merge(refine[b], 1, Integer::sum);
                    count++;
                }
            }
            if (count == 0) {
                throw new BadInputException(source, "has no leaf blocks ('node type' 1)");
            }
            if (leafLevels.size() > 1) {
                throw new BadInputException(
                        source,
                        "is an AMR file: its leaf blocks are on refine levels " + leafLevels.keySet()
                                + " (refine level=leaf blocks: " + leafLevels + "); magmap reads only uniform grids, "
                                + "so resample it onto one level first (e.g. a yt covering grid) and write that");
            }
            level = leafLevels.keySet().iterator().next();
            leaves = new int[count];
            for (int b = 0, n = 0; b < blocks; b++) {
                if (nodeType[b] == 1) {
                    leaves[n++] = b;
                }
            }

            // Cell size per axis, from the first leaf; every leaf must agree (one level, one block size).
            double[] d = new double[3];
            double[] lower = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
            for (int a = 0; a < 3; a++) {
                d[a] = (box(bbox, leaves[0], a, 1) - box(bbox, leaves[0], a, 0)) / blockN[a];
                for (int b : leaves) {
                    double db = (box(bbox, b, a, 1) - box(bbox, b, a, 0)) / blockN[a];
                    if (Math.abs(db - d[a]) > GEOMETRY_TOLERANCE * Math.abs(d[a])) {
                        throw new BadInputException(
                                source,
                                "leaf blocks " + leaves[0] + " and " + b + " have different cell sizes along axis "
                                        + (a + 1) + " (" + d[a] + " and " + db + " cm) on one refine level");
                    }
                    lower[a] = Math.min(lower[a], box(bbox, b, a, 0));
                }
            }
            leafOrigin = new int[3][count];
            for (int a = 0; a < 3; a++) {
                long max = 0;
                for (int n = 0; n < count; n++) {
                    double offset = d[a] > 0 ? (box(bbox, leaves[n], a, 0) - lower[a]) / d[a] : 0;
                    long cells = Math.round(offset);
                    if (Math.abs(offset - cells) > 1e-3 || cells % blockN[a] != 0 || cells > Integer.MAX_VALUE / 4) {
                        throw new BadInputException(
                                source,
                                "leaf block " + leaves[n] + " starts at " + box(bbox, leaves[n], a, 0)
                                        + " cm along axis " + (a + 1) + ", which is not a whole number of blocks ("
                                        + blockN[a] + " cells of " + d[a] + " cm) from the lowest leaf");
                    }
                    leafOrigin[a][n] = (int) cells;
                    max = Math.max(max, cells + blockN[a]);
                }
                gridN[a] = (int) max;
            }
            long expected = 1;
            for (int a = 0; a < 3; a++) {
                expected *= gridN[a] / blockN[a];
            }
            boolean tiles = expected == count;
            boolean[] seen = new boolean[count];
            for (int n = 0; tiles && n < count; n++) {
                int idx = (int)
                        ((((long) leafOrigin[2][n] / blockN[2]) * (gridN[1] / blockN[1]) + leafOrigin[1][n] / blockN[1])
                                        * (gridN[0] / blockN[0])
                                + leafOrigin[0][n] / blockN[0]);
                tiles = !seen[idx];
                seen[idx] = true;
            }
            if (!tiles) {
                throw new BadInputException(
                        source,
                        "its " + count + " leaf blocks do not tile the " + gridN[0] + "x" + gridN[1] + "x" + gridN[2]
                                + " box they span (" + expected + " blocks would)");
            }
            double ref = Double.NaN;
            for (int a = 0; a < 3; a++) {
                if (gridN[a] == 1 && !(a == 2 && Double.isNaN(ref))) {
                    continue;
                }
                if (Double.isNaN(ref)) {
                    ref = d[a];
                } else if (Math.abs(d[a] - ref) > 1e-4 * ref) {
                    throw new BadInputException(
                            source,
                            "cells are not cubic (" + d[0] + " x " + d[1] + " x " + d[2]
                                    + " cm); magmap cubes have one cell size");
                }
            }
            if (!(ref > 0)) {
                throw new BadInputException(source, "the bounding boxes give no positive cell size");
            }
            cellSizeCm = ref;
        }

        private static double box(double[] bbox, int block, int axis, int side) {
            return bbox[(block * 3 + axis) * 2 + side];
        }

        /** Conversion factors to magmap units (see the class comment on unit systems). */
        private void units() {
            Object us = parameters.get("string runtime parameters/unitsystem");
            unitSystem = us == null
                    ? "cgs"
                    : us.toString().replace("'", "").replace("\"", "").trim().toLowerCase(Locale.ROOT);
            double bGauss;
            switch (unitSystem) {
                case "cgs" -> bGauss = 1;
                case "none" -> bGauss = Math.sqrt(4 * Math.PI);
                default -> throw new BadInputException(
                        source,
                        "was written with unitsystem='" + us + "'; magmap reads FLASH files in CGS (or 'none', "
                                + "where only B differs by sqrt(4 pi))");
            }
            for (Field f : datasets.keySet()) {
                toMagmap.put(
                        f,
                        switch (f) {
                            case DENSITY, TEMPERATURE -> 1.0;
                            case VELOCITY_X, VELOCITY_Y, VELOCITY_Z -> 1 / CodeUnits.CM_PER_KM;
                            case B_X, B_Y, B_Z -> bGauss * CodeUnits.MICROGAUSS_PER_GAUSS;
                        });
            }
        }

        CubeMeta meta(String runId) {
            Map<String, String> prov = new TreeMap<>();
            prov.put("source.file", source);
            prov.put("flash.unitsystem", unitSystem);
            prov.put("flash.refine_level", Integer.toString(level));
            prov.put(
                    "flash.blocks",
                    blocks + " (" + leaves.length + " leaves of " + blockN[0] + "x" + blockN[1] + "x" + blockN[2]
                            + ")");
            prov.put("flash.time.s", Double.toString(timeS));
            Object step = parameters.get("integer scalars/nstep");
            if (step != null) {
                prov.put("flash.nstep", step.toString());
            }
            Matcher m = FILE_NUMBER.matcher(Path.of(source).getFileName().toString());
            return new CubeMeta(
                    runId,
                    "flash",
                    new GridShape(gridN[0], gridN[1], gridN[2]),
                    cellSizeCm / CodeUnits.CM_PER_PC,
                    periodic,
                    m.find() ? Integer.parseInt(m.group(1)) : 0,
                    timeS / CodeUnits.S_PER_MYR,
                    datasets.keySet(),
                    Double.NaN,
                    null,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    prov);
        }

        private int[] ints(Dataset d) {
            Object flat = d.getDataFlat();
            int n = Array.getLength(flat);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                Object v = Array.get(flat, i);
                if (!(v instanceof Number num)) {
                    throw new BadInputException(source, "dataset '" + d.getName() + "' does not hold numbers");
                }
                out[i] = num.intValue();
            }
            return out;
        }

        private double[] doubles(Dataset d) {
            Object flat = d.getDataFlat();
            int n = Array.getLength(flat);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                Object v = Array.get(flat, i);
                if (!(v instanceof Number num)) {
                    throw new BadInputException(source, "dataset '" + d.getName() + "' does not hold numbers");
                }
                out[i] = num.doubleValue();
            }
            return out;
        }
    }

    private static String runIdFromName(Path file) {
        String name = file.getFileName().toString().replaceAll("\\.(h5|hdf5)$", "");
        String id = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return id.isEmpty() ? "flash" : id;
    }
}
