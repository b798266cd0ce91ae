package org.magmap.sim;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.magmap.ops.BadInputException;

/**
 * Reads one AthenaK binary output file ({@code bin/<basename>.<id>.<nnnnn>.bin}) of a uniform mesh as a cube,
 * one z-slab at a time.
 *
 * <p>The format, as AthenaK's writer ({@code src/outputs/binary.cpp}) and its Python reader ({@code
 * vis/python/bin_convert.py}) define it:
 *
 * <ol>
 *   <li>An ASCII preheader, one {@code '\n'}-terminated line each: {@code Athena binary output version=1.1},
 *       {@code size of preheader=5}, {@code time=}, {@code cycle=}, {@code size of location=} (bytes of a
 *       {@code Real}, 4 or 8), {@code size of variable=} (bytes of a data value, 4 or 8), {@code number of
 *       variables=}, {@code variables:} followed by the names (e.g. {@code dens velx vely velz eint bcc1 bcc2
 *       bcc3}), and {@code header offset=N}. Coarsened outputs add further {@code key=value} lines; they are
 *       read the same way.
 *   <li>N bytes: the input file as {@code ParameterInput::ParameterDump} prints it ({@code <block>} lines and
 *       {@code name = value # comment} lines).
 *   <li>Every mesh block in order of its global id, each the same size, in the machine's byte order
 *       (little-endian on the x86 and ARM machines AthenaK runs on; a big-endian file fails the layout or
 *       tiling checks below and is refused): a per-block header, then for each variable in turn all the
 *       block's cells, x fastest, then y, then z.
 * </ol>
 *
 * <p>Two per-block headers have been written under {@code version=1.1} (see {@link BlockLayout}); the
 * reader tells them apart by requiring that the data section divide exactly into blocks of the size each
 * implies, and refuses the file, naming the expected and actual sizes, when neither does.
 *
 * <p>Mesh blocks are placed on the global grid by their logical location ({@code lx1 * nx1_block}, ...), so
 * all blocks must be on one refinement level and tile a box; their physical bounds must agree with that
 * placement (which rules out outputs with ghost zones or slices). Variables are mapped {@code dens} to {@link
 * Field#DENSITY}, {@code velx/vely/velz} to the velocity and {@code bcc1/bcc2/bcc3} (cell-centred field) to
 * the magnetic-field components; other variables ({@code eint}, ...) are ignored. Values are converted from
 * code units with the caller's {@link CodeUnits}.
 *
 * <p>Nothing is held but the block table: each {@link #readSlab} seeks to the slice of every block that
 * overlaps the slab, for that one variable only, so a 512^3 cube costs only the slab it returns. Reads are
 * positional, so several threads may read slabs of one open reader at once.
 */
public final class AthenaKBinReader implements CubeReader {

    /** Per-mesh-block headers AthenaK's {@code src/outputs/binary.cpp} has written under version 1.1. */
    public enum BlockLayout {
        /**
         * Since AthenaK commit d1ad982a (November 2022): 6 int32 output index bounds {@code ois, oie, ojs, oje,
         * oks, oke}, 4 int32 logical location {@code lx1, lx2, lx3, level}, then 6 Reals {@code x1min, x1max,
         * x2min, x2max, x3min, x3max}. Cells per block come from the index bounds.
         */
        INDEX_BOUNDS(10),
        /**
         * January to November 2022 (commits cbc51275 to 5dbde54e): 4 int32 logical location, then 6 Reals (at
         * first the left cell centre and cell width per axis, from commit c680d353 the block bounds; not used
         * here). Cells per block come from {@code <meshblock> nx1, nx2, nx3} in the input dump, the cell size
         * from {@code <mesh> x1min, x1max} there.
         */
        LOGICAL_ONLY(4);

        private final int int32s;

        BlockLayout(int int32s) {
            this.int32s = int32s;
        }

        /** Bytes of the per-block header before the data, for Reals of {@code locationBytes}. */
        public int headerBytes(int locationBytes) {
            return 4 * int32s + 6 * locationBytes;
        }
    }

    /** AthenaK output variable labels magmap reads, and the field each one is. */
    private static final Map<String, Field> VARIABLES = Map.of(
            "dens", Field.DENSITY,
            "velx", Field.VELOCITY_X,
            "vely", Field.VELOCITY_Y,
            "velz", Field.VELOCITY_Z,
            "bcc1", Field.B_X,
            "bcc2", Field.B_Y,
            "bcc3", Field.B_Z);

    /** The preheader is a dozen short lines; this much always holds it and the {@code header offset} line. */
    private static final int PREHEADER_MAX_BYTES = 64 * 1024;

    /** An input-file dump larger than this is not an input file. */
    private static final long DUMP_MAX_BYTES = 64L * 1024 * 1024;

    /** Relative tolerance on block geometry (Reals may be 4-byte floats). */
    private static final double GEOMETRY_TOLERANCE = 1e-4;

    private static final Pattern FILE_NUMBER = Pattern.compile("\\.(\\d+)\\.bin$");

    private final String source;
    private final FileChannel channel;
    private final CubeMeta meta;
    private final CodeUnits units;
    private final BlockLayout layout;
    private final List<String> variables;
    private final Map<Field, Integer> variableIndex;
    private final int valueBytes;
    private final long dataStart;
    private final long blockBytes;
    private final int blockHeaderBytes;
    private final int blockNx;
    private final int blockNy;
    private final int blockNz;
    private final int[] blockX0;
    private final int[] blockY0;
    private final int[] blockZ0;

    private AthenaKBinReader(String source, FileChannel channel, Parsed p, String runId) {
        this.source = source;
        this.channel = channel;
        this.units = p.units;
        this.layout = p.layout;
        this.variables = List.copyOf(p.variables);
        this.variableIndex = p.variableIndex;
        this.valueBytes = p.valueBytes;
        this.dataStart = p.dataStart;
        this.blockBytes = p.blockBytes;
        this.blockHeaderBytes = p.layout.headerBytes(p.locationBytes);
        this.blockNx = p.blockN[0];
        this.blockNy = p.blockN[1];
        this.blockNz = p.blockN[2];
        this.blockX0 = p.blockOrigin[0];
        this.blockY0 = p.blockOrigin[1];
        this.blockZ0 = p.blockOrigin[2];
        this.meta = p.meta(runId);
    }

    /**
     * Opens {@code file} with a run id taken from its name ({@code turb.mhd_w_bcc.00042.bin} becomes {@code
     * turb.mhd_w_bcc.00042}).
     *
     * @throws BadInputException if the file is missing, is not an AthenaK binary output this reader can place
     *     on a uniform grid, or holds none of the fields magmap reads (the message names the file and why)
     */
    public static AthenaKBinReader open(Path file, CodeUnits units) throws IOException {
        return open(file, units, null);
    }

    /**
     * Opens {@code file}; see {@link #open(Path, CodeUnits)}.
     *
     * @param runId the cube's run id, or null to derive it from the file name
     */
    public static AthenaKBinReader open(Path file, CodeUnits units, String runId) throws IOException {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(source, "no such file");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            Parsed p = parse(source, ch, units);
            String id = runId != null ? runId : runIdFromName(file);
            return new AthenaKBinReader(source, ch, p, id);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public CubeMeta meta() {
        return meta;
    }

    /** Which per-block header the file was written with. */
    public BlockLayout layout() {
        return layout;
    }

    /** The file's variable labels in file order, including those magmap does not read. */
    public List<String> variables() {
        return variables;
    }

    @Override
    public float[] readSlab(Field field, int z0, int planes) throws IOException {
        checkSlab(field, z0, planes);
        int var = variableIndex.get(field);
        double factor = units.toMagmap(field);
        int nx = meta.shape().nx();
        int ny = meta.shape().ny();
        float[] out = new float[Math.multiplyExact(planes, meta.shape().planeSize())];
        int blockPlane = blockNx * blockNy;
        long blockCells = (long) blockPlane * blockNz;
        ByteBuffer buf = ByteBuffer.allocate(0);
        for (int b = 0; b < blockZ0.length; b++) {
            int lo = Math.max(z0, blockZ0[b]);
            int hi = Math.min(z0 + planes, blockZ0[b] + blockNz);
            if (lo >= hi) {
                continue;
            }
            // Within a block a variable's cells are contiguous and z is slowest, so planes lo..hi-1 of this
            // variable are one contiguous run of bytes.
            long firstCell = var * blockCells + (long) (lo - blockZ0[b]) * blockPlane;
            long offset = dataStart + b * blockBytes + blockHeaderBytes + firstCell * valueBytes;
            int length = (hi - lo) * blockPlane * valueBytes;
            if (buf.capacity() < length) {
                buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            }
            buf.clear().limit(length);
            readFully(source, channel, buf, offset);
            buf.flip();
            for (int k = lo; k < hi; k++) {
                for (int j = 0; j < blockNy; j++) {
                    int dst = ((k - z0) * ny + blockY0[b] + j) * nx + blockX0[b];
                    for (int i = 0; i < blockNx; i++) {
                        double v = valueBytes == 4 ? buf.getFloat() : buf.getDouble();
                        out[dst + i] = (float) (v * factor);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    // ---------------------------------------------------------------------------------------------------
    // Parsing

    /** Everything learnt from the file while opening it. */
    private static final class Parsed {
        String source;
        CodeUnits units;
        double timeCode = Double.NaN;
        long cycle = -1;
        long coarsening = 1;
        int locationBytes;
        int valueBytes;
        List<String> variables;
        Map<Field, Integer> variableIndex;
        Map<String, Map<String, String>> dump;
        long dataStart;
        BlockLayout layout;
        long blockBytes;
        int blocks;
        int level;
        int[] blockN;
        int[][] blockOrigin;
        int[] gridN;
        double cellSizeCode;
        boolean periodic;
        int snapshot;

        CubeMeta meta(String runId) {
            Map<String, String> prov = new TreeMap<>();
            prov.put("source.file", source);
            prov.put("athenak.layout", layout.name());
            prov.put("athenak.variables", String.join(" ", variables));
            prov.put("athenak.time.code", Double.toString(timeCode));
            prov.put("athenak.cycle", Long.toString(cycle));
            prov.put("athenak.level", Integer.toString(level));
            prov.put("athenak.blocks", blocks + " of " + blockN[0] + "x" + blockN[1] + "x" + blockN[2]);
            prov.put("code.unit.density.g_per_cm3", Double.toString(units.densityGPerCm3()));
            prov.put("code.unit.length.pc", Double.toString(units.lengthPc()));
            prov.put("code.unit.velocity.km_per_s", Double.toString(units.velocityKmPerS()));
            prov.put("code.unit.b.uG", Double.toString(units.magneticFieldMicrogauss()));
            return new CubeMeta(
                    runId,
                    "athenak",
                    new GridShape(gridN[0], gridN[1], gridN[2]),
                    cellSizeCode * units.lengthPc(),
                    periodic,
                    snapshot,
                    timeCode * units.timeMyr(),
                    variableIndex.keySet(),
                    Double.NaN,
                    null,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    prov);
        }
    }

    private static Parsed parse(String source, FileChannel ch, CodeUnits units) throws IOException {
        Parsed p = new Parsed();
        p.source = source;
        p.units = units;
        long fileBytes = ch.size();
        parsePreheader(p, ch, fileBytes);
        chooseLayout(p, ch, fileBytes);
        placeBlocks(p, ch);
        p.periodic = periodic(p);
        Matcher m = FILE_NUMBER.matcher(Path.of(source).getFileName().toString());
        p.snapshot = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return p;
    }

    /** Reads the ASCII preheader and the input-file dump (format item 1 and 2 of the class comment). */
    private static void parsePreheader(Parsed p, FileChannel ch, long fileBytes) throws IOException {
        String src = p.source;
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(fileBytes, PREHEADER_MAX_BYTES));
        readFully(src, ch, head, 0);
        byte[] bytes = head.array();
        int pos = 0;
        Map<String, String> keys = new LinkedHashMap<>();
        List<String> names = null;
        String first = null;
        long dumpBytes = -1;
        while (dumpBytes < 0) {
            int end = indexOf(bytes, (byte) '\n', pos);
            if (end < 0) {
                throw new BadInputException(
                        src,
                        first == null || !first.startsWith("Athena binary output")
                                ? "not an AthenaK binary output (no 'Athena binary output version=1.1' line)"
                                : "the preheader has no 'header offset=' line in its first " + bytes.length
                                        + " bytes (truncated?)");
            }
            String line = new String(bytes, pos, end - pos, StandardCharsets.US_ASCII).trim();
            pos = end + 1;
            if (first == null) {
                first = line;
                if (!line.startsWith("Athena binary output")) {
                    throw new BadInputException(
                            src,
                            "not an AthenaK binary output: it starts with '" + printable(line)
                                    + "', not 'Athena binary output version=1.1'");
                }
                String version = line.substring(line.indexOf('=') + 1).trim();
                if (!line.contains("=") || !version.equals("1.1")) {
                    throw new BadInputException(
                            src,
                            "AthenaK binary output version '" + printable(version) + "' is not supported (1.1 is)");
                }
                continue;
            }
            if (line.startsWith("variables:")) {
                names = List.of(line.substring("variables:".length()).trim().split("\\s+"));
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new BadInputException(src, "unexpected preheader line '" + printable(line) + "'");
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            keys.put(key, value);
            if (key.equals("header offset")) {
                dumpBytes = parseLong(src, key, value);
            }
        }
        p.locationBytes = (int) parseLong(src, "size of location", require(src, keys, "size of location"));
        p.valueBytes = (int) parseLong(src, "size of variable", require(src, keys, "size of variable"));
        if (p.locationBytes != 4 && p.locationBytes != 8) {
            throw new BadInputException(src, "size of location=" + p.locationBytes + " is not 4 or 8 bytes");
        }
        if (p.valueBytes != 4 && p.valueBytes != 8) {
            throw new BadInputException(src, "size of variable=" + p.valueBytes + " is not 4 or 8 bytes");
        }
        long count = parseLong(src, "number of variables", require(src, keys, "number of variables"));
        if (names == null || names.size() != count || names.get(0).isEmpty()) {
            throw new BadInputException(
                    src,
                    "the preheader says number of variables=" + count + " but lists "
                            + (names == null ? "none" : names.size() + " (" + String.join(" ", names) + ")"));
        }
        p.variables = names;
        if (keys.containsKey("time")) {
            p.timeCode = parseDouble(src, "time", keys.get("time"));
        }
        if (keys.containsKey("coarsening factor")) {
            p.coarsening = parseLong(src, "coarsening factor", keys.get("coarsening factor"));
            if (p.coarsening < 1) {
                throw new BadInputException(src, "coarsening factor=" + p.coarsening + " is not positive");
            }
        }
        if (keys.containsKey("cycle")) {
            p.cycle = parseLong(src, "cycle", keys.get("cycle"));
        }
        if (dumpBytes > DUMP_MAX_BYTES || pos + dumpBytes > fileBytes) {
            throw new BadInputException(
                    src,
                    "header offset=" + dumpBytes + " puts the data past the end of the file (" + fileBytes
                            + " bytes; truncated?)");
        }
        ByteBuffer dump = ByteBuffer.allocate((int) dumpBytes);
        readFully(src, ch, dump, pos);
        p.dump = parseDump(new String(dump.array(), StandardCharsets.US_ASCII));
        p.dataStart = pos + dumpBytes;

        p.variableIndex = new EnumMap<>(Field.class);
        for (int n = 0; n < names.size(); n++) {
            Field f = VARIABLES.get(names.get(n));
            if (f != null) {
                p.variableIndex.putIfAbsent(f, n);
            }
        }
        if (p.variableIndex.isEmpty()) {
            throw new BadInputException(
                    src,
                    "none of its variables (" + String.join(" ", names) + ") is one magmap reads "
                            + new TreeSet<>(VARIABLES.keySet()));
        }
    }

    /**
     * Input-file dump as {@code ParameterInput::ParameterDump} writes it: {@code <block>} lines, then {@code
     * name = value # comment}; lines starting with '#' are separators.
     */
    private static Map<String, Map<String, String>> parseDump(String text) {
        Map<String, Map<String, String>> blocks = new HashMap<>();
        Map<String, String> current = null;
        for (String raw : text.split("\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("<") && line.endsWith(">")) {
                current = blocks.computeIfAbsent(
                        line.substring(1, line.length() - 1).trim(), k -> new HashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (current != null && eq > 0) {
                current.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return blocks;
    }

    /**
     * Decides the per-block layout by size: the data section must be a whole number of equal blocks. The
     * current layout is tried first and must also claim the same cell count in every block's index bounds;
     * only if it fails is the early-2022 layout tried.
     */
    private static void chooseLayout(Parsed p, FileChannel ch, long fileBytes) throws IOException {
        String src = p.source;
        long dataBytes = fileBytes - p.dataStart;
        int nvar = p.variables.size();
        List<String> tried = new ArrayList<>();

        int[] early = meshblockCells(p);
        long earlySize = early == null
                ? -1
                : BlockLayout.LOGICAL_ONLY.headerBytes(p.locationBytes)
                        + (long) nvar * early[0] * early[1] * early[2] * p.valueBytes;
        boolean earlyFits = early != null && dataBytes > 0 && dataBytes % earlySize == 0;

        int currentHeader = BlockLayout.INDEX_BOUNDS.headerBytes(p.locationBytes);
        if (dataBytes >= currentHeader) {
            int[] n = indexBounds(src, ch, p.dataStart, null);
            if (n != null) {
                long size = currentHeader + (long) nvar * n[0] * n[1] * n[2] * p.valueBytes;
                tried.add("the current layout (10 int32 + 6 x " + p.locationBytes + "-byte bounds + " + nvar
                        + " variables x " + n[0] + "x" + n[1] + "x" + n[2] + " cells x " + p.valueBytes
                        + " bytes) expects blocks of " + size + " bytes");
                if (dataBytes % size == 0) {
                    long blocks = dataBytes / size;
                    boolean consistent = true;
                    for (long b = 1; consistent && b < blocks; b++) {
                        long at = p.dataStart + b * size;
                        consistent = indexBounds(src, ch, at, n) != null;
                        if (!consistent && !earlyFits) {
                            throw new BadInputException(
                                    src,
                                    "mesh block " + b + " (at byte " + at + ") has output index bounds "
                                            + describeBounds(src, ch, at) + " but block 0 has " + n[0] + "x" + n[1]
                                            + "x" + n[2] + " cells; AthenaK writes the same number of cells "
                                            + "for every block");
                        }
                    }
                    if (consistent) {
                        setLayout(p, BlockLayout.INDEX_BOUNDS, size, n, blocks);
                        return;
                    }
                    // else: the early layout explains the file, and what looked like bounds were not bounds
                }
            } else {
                tried.add("the current layout does not fit (the first block's index bounds are not valid)");
            }
        }

        if (early != null) {
            tried.add("the early-2022 layout (4 int32 + 6 x " + p.locationBytes + "-byte Reals + " + nvar
                    + " variables x " + early[0] + "x" + early[1] + "x" + early[2] + " cells from <meshblock> x "
                    + p.valueBytes + " bytes) expects blocks of " + earlySize + " bytes");
            if (earlyFits) {
                setLayout(p, BlockLayout.LOGICAL_ONLY, earlySize, early, dataBytes / earlySize);
                return;
            }
        } else {
            tried.add("the early-2022 layout cannot be checked (the input dump gives no <meshblock> or <mesh> nx1)");
        }
        throw new BadInputException(
                src,
                "the data section after the header (" + dataBytes + " bytes from byte " + p.dataStart
                        + ") does not divide into whole mesh blocks: " + String.join("; ", tried)
                        + " (truncated file, or a layout this reader does not know)");
    }

    private static void setLayout(Parsed p, BlockLayout layout, long size, int[] n, long blocks) {
        if (blocks > Integer.MAX_VALUE) {
            throw new BadInputException(p.source, "more than 2^31 mesh blocks");
        }
        p.layout = layout;
        p.blockBytes = size;
        p.blockN = n;
        p.blocks = (int) blocks;
    }

    /**
     * Cells per axis from the six int32 index bounds at {@code offset}, or null if they are not valid bounds
     * or (when {@code like} is given) give another cell count.
     */
    private static int[] indexBounds(String src, FileChannel ch, long offset, int[] like) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        readFully(src, ch, b, offset);
        b.flip();
        int[] n = new int[3];
        for (int a = 0; a < 3; a++) {
            int s = b.getInt();
            int e = b.getInt();
            if (s < 0 || e < s || e - s >= 1 << 16) {
                return null;
            }
            n[a] = e - s + 1;
        }
        return like == null || Arrays.equals(n, like) ? n : null;
    }

    private static String describeBounds(String src, FileChannel ch, long offset) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        readFully(src, ch, b, offset);
        b.flip();
        return "i=" + b.getInt() + ".." + b.getInt() + ", j=" + b.getInt() + ".." + b.getInt() + ", k=" + b.getInt()
                + ".." + b.getInt();
    }

    /** Cells per block from the dump: {@code <meshblock> nx1..3}, which default to {@code <mesh>}'s. */
    private static int[] meshblockCells(Parsed p) {
        Map<String, String> mb = p.dump.getOrDefault("meshblock", Map.of());
        Map<String, String> mesh = p.dump.getOrDefault("mesh", Map.of());
        int[] n = new int[3];
        for (int a = 0; a < 3; a++) {
            String key = "nx" + (a + 1);
            String v = mb.getOrDefault(key, mesh.get(key));
            if (v == null) {
                if (a == 0) {
                    return null;
                }
                v = "1";
            }
            try {
                n[a] = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                return null;
            }
            if (n[a] <= 0) {
                return null;
            }
        }
        return n;
    }

    /**
     * Reads every block's logical location (and, in the current layout, its bounds), checks that all blocks
     * are on one level and tile a box, and fixes the global grid and the cell size.
     */
    private static void placeBlocks(Parsed p, FileChannel ch) throws IOException {
        String src = p.source;
        int header = p.layout.headerBytes(p.locationBytes);
        int skip = p.layout == BlockLayout.INDEX_BOUNDS ? 24 : 0;
        int[][] lx = new int[3][p.blocks];
        double[][] bounds = new double[p.blocks][6];
        Map<Integer, Integer> levels = new TreeMap<>();
        ByteBuffer h = ByteBuffer.allocate(header).order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < p.blocks; b++) {
            h.clear();
            readFully(src, ch, h, p.dataStart + b * p.blockBytes);
            h.flip().position(skip);
            for (int a = 0; a < 3; a++) {
                lx[a][b] = h.getInt();
                if (lx[a][b] < 0) {
                    throw new BadInputException(
                            src, "mesh block " + b + " has a negative logical location lx" + (a + 1) + "=" + lx[a][b]);
                }
            }
            levels.merge(h.getInt(), 1, Integer::sum);
            for (int i = 0; i < 6; i++) {
                bounds[b][i] = p.locationBytes == 8 ? h.getDouble() : h.getFloat();
            }
        }
        if (levels.size() > 1) {
            throw new BadInputException(
                    src,
                    "mesh blocks are on several refinement levels (level: blocks " + levels
                            + "); magmap reads only uniform meshes: write the output from a uniform mesh or "
                            + "resample it onto one first");
        }
        p.level = levels.keySet().iterator().next();

        int[] nb = new int[3];
        boolean tiles = true;
        for (int a = 0; a < 3; a++) {
            nb[a] = Arrays.stream(lx[a]).max().orElse(0) + 1;
            tiles &= nb[a] <= p.blocks;
        }
        long expectedBlocks = (long) nb[0] * nb[1] * nb[2];
        boolean[] seen = new boolean[p.blocks];
        tiles &= expectedBlocks == p.blocks;
        for (int b = 0; tiles && b < p.blocks; b++) {
            int idx = (int) (((long) lx[2][b] * nb[1] + lx[1][b]) * nb[0] + lx[0][b]);
            tiles = !seen[idx];
            seen[idx] = true;
        }
        if (!tiles) {
            throw new BadInputException(
                    src,
                    "its " + p.blocks + " mesh blocks do not tile a box: logical locations reach (" + (nb[0] - 1)
                            + ", " + (nb[1] - 1) + ", " + (nb[2] - 1) + "), which needs " + expectedBlocks
                            + " distinct blocks (a slice, a single-block or partial output?)");
        }
        p.gridN = new int[3];
        p.blockOrigin = new int[3][p.blocks];
        for (int a = 0; a < 3; a++) {
            long n = (long) nb[a] * p.blockN[a];
            if (n > Integer.MAX_VALUE / 4) {
                throw new BadInputException(src, "the assembled grid is too large along axis " + (a + 1) + ": " + n);
            }
            p.gridN[a] = (int) n;
            for (int b = 0; b < p.blocks; b++) {
                p.blockOrigin[a][b] = lx[a][b] * p.blockN[a];
            }
        }
        double[] cell = p.layout == BlockLayout.INDEX_BOUNDS ? cellSizeFromBounds(p, lx, bounds) : cellSizeFromDump(p);
        p.cellSizeCode = cubicCell(src, p.gridN, cell);
    }

    /**
     * Cell size per axis from the blocks' bounds, checking each block's bounds against the place its logical
     * location gives it: outputs with ghost zones or slices fail here rather than being assembled wrongly.
     */
    private static double[] cellSizeFromBounds(Parsed p, int[][] lx, double[][] bounds) {
        double[] d = new double[3];
        for (int a = 0; a < 3; a++) {
            d[a] = (bounds[0][2 * a + 1] - bounds[0][2 * a]) / p.blockN[a];
            if (!(d[a] > 0)) {
                throw new BadInputException(
                        p.source,
                        "mesh block 0 has an empty extent along x" + (a + 1) + ": " + bounds[0][2 * a] + ".."
                                + bounds[0][2 * a + 1]);
            }
            double origin = bounds[0][2 * a] - (double) lx[a][0] * p.blockN[a] * d[a];
            for (int b = 0; b < p.blocks; b++) {
                double lo = origin + (double) lx[a][b] * p.blockN[a] * d[a];
                double hi = lo + p.blockN[a] * d[a];
                double tol = GEOMETRY_TOLERANCE * d[a];
                if (Math.abs(bounds[b][2 * a] - lo) > tol + GEOMETRY_TOLERANCE * Math.abs(lo)
                        || Math.abs(bounds[b][2 * a + 1] - hi) > tol + GEOMETRY_TOLERANCE * Math.abs(hi)) {
                    throw new BadInputException(
                            p.source,
                            "mesh block " + b + " spans x" + (a + 1) + "=" + bounds[b][2 * a] + ".."
                                    + bounds[b][2 * a + 1] + " but its logical location lx" + (a + 1) + "="
                                    + lx[a][b] + " with " + p.blockN[a] + " cells of " + d[a] + " puts it at " + lo
                                    + ".." + hi + " (was the output written with ghost zones or as a slice?)");
                }
            }
        }
        // Cross-check with the mesh size in the input dump: a partial output (one gid, a slice) would pass the
        // tiling test when it happens to start at the origin. Coarsened outputs (outputs/coarsened_binary.cpp)
        // divide every block by the "coarsening factor" of their preheader.
        Map<String, String> mesh = p.dump.getOrDefault("mesh", Map.of());
        for (int a = 0; a < 3; a++) {
            String v = mesh.get("nx" + (a + 1));
            if (v == null || !v.matches("\\d{1,9}") || Long.parseLong(v) <= 1 || p.level < 0 || p.level > 30) {
                continue;
            }
            long expected = (Long.parseLong(v) << p.level) / p.coarsening;
            if (expected != p.gridN[a]) {
                throw new BadInputException(
                        p.source,
                        "the blocks assemble to " + p.gridN[a] + " cells along x" + (a + 1) + " but <mesh> nx"
                                + (a + 1) + "=" + v + " at level " + p.level
                                + (p.coarsening > 1 ? " coarsened by " + p.coarsening : "") + " means " + expected
                                + " (a partial output?)");
            }
        }
        return d;
    }

    /** Cell size per axis from the dump's {@code <mesh>} extent, for the early layout. */
    private static double[] cellSizeFromDump(Parsed p) {
        Map<String, String> mesh = p.dump.getOrDefault("mesh", Map.of());
        double[] d = new double[3];
        for (int a = 0; a < 3; a++) {
            String lo = mesh.get("x" + (a + 1) + "min");
            String hi = mesh.get("x" + (a + 1) + "max");
            if (lo == null || hi == null) {
                throw new BadInputException(
                        p.source,
                        "the input dump gives no <mesh> x" + (a + 1) + "min/x" + (a + 1)
                                + "max, which the early-2022 block layout needs for the cell size");
            }
            double extent =
                    parseDouble(p.source, "x" + (a + 1) + "max", hi) - parseDouble(p.source, "x" + (a + 1) + "min", lo);
            d[a] = extent / p.gridN[a];
        }
        // The level these writers stored is not always relative to the root (before commit c680d353 it was
        // absolute), so check only that every axis is refined by the same whole factor of <mesh> nx.
        long ratio = 0;
        for (int a = 0; a < 3; a++) {
            String v = mesh.get("nx" + (a + 1));
            if (v == null || !v.matches("\\d{1,9}") || Long.parseLong(v) <= 1) {
                continue;
            }
            long meshN = Long.parseLong(v);
            if (p.gridN[a] % meshN != 0 || (ratio != 0 && p.gridN[a] / meshN != ratio)) {
                throw new BadInputException(
                        p.source,
                        "the blocks assemble to a " + p.gridN[0] + "x" + p.gridN[1] + "x" + p.gridN[2]
                                + " grid, which is not <mesh> nx1 x nx2 x nx3 refined evenly (a partial output?)");
            }
            ratio = p.gridN[a] / meshN;
        }
        return d;
    }

    /** The one cell size of a grid with cubic cells (axes of one cell do not count). */
    private static double cubicCell(String src, int[] n, double[] d) {
        double ref = Double.NaN;
        for (int a = 0; a < 3; a++) {
            if (n[a] > 1 || (a == 2 && Double.isNaN(ref))) {
                if (Double.isNaN(ref)) {
                    ref = d[a];
                } else if (Math.abs(d[a] - ref) > GEOMETRY_TOLERANCE * ref) {
                    throw new BadInputException(
                            src,
                            "cells are not cubic (dx1=" + d[0] + ", dx2=" + d[1] + ", dx3=" + d[2]
                                    + " in code units); magmap cubes have one cell size");
                }
            }
        }
        if (!(ref > 0)) {
            throw new BadInputException(src, "the cell size is not positive (" + ref + " code units)");
        }
        return ref;
    }

    /** Periodic when every boundary of every axis with more than one cell is {@code periodic} in the dump. */
    private static boolean periodic(Parsed p) {
        Map<String, String> mesh = p.dump.getOrDefault("mesh", Map.of());
        for (int a = 0; a < 3; a++) {
            if (p.gridN[a] == 1) {
                continue;
            }
            for (String side : new String[] {"ix", "ox"}) {
                String bc = mesh.get(side + (a + 1) + "_bc");
                if (bc == null || !bc.equalsIgnoreCase("periodic")) {
                    return false;
                }
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------
    // Small helpers

    private static void readFully(String src, FileChannel ch, ByteBuffer buf, long offset) throws IOException {
        long at = offset;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw new IOException(src + ": unexpected end of file at byte " + at + " (the file shrank?)");
            }
            at += n;
        }
    }

    private static int indexOf(byte[] a, byte v, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static String require(String src, Map<String, String> keys, String key) {
        String v = keys.get(key);
        if (v == null) {
            throw new BadInputException(src, "the preheader has no '" + key + "=' line");
        }
        return v;
    }

    private static long parseLong(String src, String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(src, "'" + key + "=" + printable(v) + "' is not an integer");
        }
    }

    private static double parseDouble(String src, String key, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException(src, "'" + key + "=" + printable(v) + "' is not a number");
        }
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static String runIdFromName(Path file) {
        String name = file.getFileName().toString();
        if (name.toLowerCase(Locale.ROOT).endsWith(".bin")) {
            name = name.substring(0, name.length() - 4);
        }
        String id = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return id.isEmpty() ? "athenak" : id;
    }
}
