package org.magmap.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import nom.tam.fits.Header;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImage;
import org.magmap.fits.FitsImageReader;
import org.magmap.fits.FitsImageWriter;
import org.magmap.ops.BadInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * magmap's own storage format for simulation cubes, and the reader for cubes in foreign FITS layouts.
 *
 * <h2>The format (version 1)</h2>
 *
 * One FITS file. The primary HDU has no data; its header holds the {@link CubeMeta}:
 *
 * <table>
 *   <caption>Primary-header keywords</caption>
 *   <tr><th>keyword</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>CUBEFMT</td><td>int</td><td>format version (1); marks a file as a magmap cube</td></tr>
 *   <tr><td>RUNID</td><td>string</td><td>{@link CubeMeta#runId()}</td></tr>
 *   <tr><td>SIMCODE</td><td>string</td><td>{@link CubeMeta#sourceCode()} (absent if null)</td></tr>
 *   <tr><td>GRIDNX, GRIDNY, GRIDNZ</td><td>int</td><td>grid shape (also the NAXISn of every field)</td></tr>
 *   <tr><td>CELLPC</td><td>real</td><td>cell size in parsec</td></tr>
 *   <tr><td>PERIODIC</td><td>logical</td><td>whether the box wraps</td></tr>
 *   <tr><td>SNAPSHOT</td><td>int</td><td>snapshot number</td></tr>
 *   <tr><td>TIMEMYR</td><td>real</td><td>simulation time in Myr</td></tr>
 *   <tr><td>B0UG</td><td>real</td><td>mean field strength |B0| in microgauss</td></tr>
 *   <tr><td>B0DIRX, B0DIRY, B0DIRZ</td><td>real</td><td>unit vector of B0 in the cube frame</td></tr>
 *   <tr><td>CSKMS</td><td>real</td><td>isothermal sound speed c_s in km/s</td></tr>
 *   <tr><td>SIGVKMS</td><td>real</td><td>3-D velocity dispersion sigma_v in km/s</td></tr>
 *   <tr><td>RHOMEAN</td><td>real</td><td>mean mass density in g/cm^3</td></tr>
 *   <tr><td>FIELDS</td><td>string</td><td>comma-separated field keys, in HDU order</td></tr>
 *   <tr><td>NPROV</td><td>int</td><td>number of provenance entries</td></tr>
 *   <tr><td>PROV0001...</td><td>string</td><td>one provenance entry each, {@code key=value}, percent-encoded</td></tr>
 * </table>
 *
 * A real-valued keyword whose value is unknown (NaN, or a null direction) is left out, and reads back as NaN
 * (null). Reals are written so they read back bit for bit. Provenance keys and values are UTF-8 with {@code %},
 * characters outside printable ASCII, {@code =} in keys and trailing blanks written as {@code %XX}, so any map
 * survives the round trip; long entries continue over CONTINUE cards. The provenance is repeated in HISTORY
 * cards for people reading the header. DATE and ORIGIN = 'magmap' are set by {@link FitsImageWriter}.
 *
 * <p>Then one float32 IMAGE extension per field, in {@link Field} order: EXTNAME = {@link Field#key()}, BUNIT
 * = {@link Field#unit()}, NAXIS1 = nx, NAXIS2 = ny, NAXIS3 = nz (x fastest, as {@link GridShape} lays out
 * arrays), with a linear WCS in parsec (CDELTn = cell size, CUNITn = 'pc') so viewers show physical lengths.
 *
 * <h2>Foreign layouts</h2>
 *
 * Files without CUBEFMT are read as (a) one file with one image HDU per field, EXTNAME a field key in any case;
 * or, with {@link #openFieldFiles}, (b) one file per field. Values are converted from BUNIT to the stored unit
 * (density g/cm3; velocity km/s, m/s, cm/s; field G, mG, uG; temperature K); an unknown BUNIT is an error, a
 * blank one is taken to be the stored unit already (with a warning). Metadata a foreign file lacks is NaN or a
 * default; the cell size is {@link ForeignOptions#cellSizePc()} if configured, else CDELT1 with CUNIT1.
 *
 * <p>Readers returned here read only the planes asked for; they are safe to share between threads (reads of
 * one file are serialized) and must be closed.
 */
public final class FitsCubeStore {
    /** The format version written into CUBEFMT. */
    public static final int FORMAT_VERSION = 1;

    /** Largest slab {@link #write} pulls from its source at once. */
    public static final long MAX_SLAB_BYTES = 64L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(FitsCubeStore.class);
    private static final int MAX_PROVENANCE = 9999;

    private FitsCubeStore() {}

    /**
     * Settings for cubes whose files do not carry magmap's metadata.
     *
     * @param runId run id to give the cube; null = the file name without extension, with characters a run id
     *     may not hold replaced by '_'
     * @param cellSizePc cell size in parsec; NaN = take it from CDELT1/CUNIT1 (it wins over CDELT if set)
     * @param periodic whether the box wraps
     */
    public record ForeignOptions(String runId, double cellSizePc, boolean periodic) {
        /** Run id from the file name, cell size from CDELT1, not periodic. */
        public static ForeignOptions defaults() {
            return new ForeignOptions(null, Double.NaN, false);
        }

        /** A copy with this run id. */
        public ForeignOptions withRunId(String id) {
            return new ForeignOptions(id, cellSizePc, periodic);
        }

        /** A copy with this cell size in parsec (NaN: from CDELT1). */
        public ForeignOptions withCellSizePc(double pc) {
            return new ForeignOptions(runId, pc, periodic);
        }

        /** A copy with this periodicity. */
        public ForeignOptions withPeriodic(boolean p) {
            return new ForeignOptions(runId, cellSizePc, p);
        }
    }

    /** Planes per slab when writing: as many as fit in {@link #MAX_SLAB_BYTES}, at least one. */
    public static int slabPlanes(GridShape shape) {
        long planeBytes = (long) shape.planeSize() * Float.BYTES;
        return (int) Math.max(1, Math.min(shape.nz(), MAX_SLAB_BYTES / planeBytes));
    }

    /**
     * Writes {@code source} to {@code file}, pulling one slab at a time. The file appears under its name only
     * when complete: data go to a temporary file in the same directory, which is forced to disk and renamed
     * atomically (replacing an older {@code file}).
     *
     * @throws IOException if the source or the disk fails (no partial file is left behind)
     * @throws IllegalArgumentException if the metadata cannot be stored (an infinite value, a direction that
     *     is not 3-D, more than 9999 provenance entries)
     */
    public static void write(Path file, CubeReader source) throws IOException {
        CubeMeta meta = source.meta();
        FitsCards primary = metaCards(meta);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        // a plain createFile (not createTempFile, which makes files private to the owner) keeps the umask's mode
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.createFile(tmp);
        boolean moved = false;
        try {
            try (FitsImageWriter out = FitsImageWriter.create(tmp)) {
                out.writeEmptyPrimary(primary);
                GridShape g = meta.shape();
                int step = slabPlanes(g);
                for (Field f : sortedFields(meta)) {
                    out.beginImage(f.key(), new int[] {g.nx(), g.ny(), g.nz()}, fieldCards(f, meta));
                    for (int z0 = 0; z0 < g.nz(); z0 += step) {
                        int planes = Math.min(step, g.nz() - z0);
                        float[] slab = source.readSlab(f, z0, planes);
                        if (slab.length != (long) planes * g.planeSize()) {
                            throw new IOException(meta.runId() + ": source returned " + slab.length + " values for "
                                    + f.key() + " planes " + z0 + ".." + (z0 + planes - 1) + ", expected "
                                    + (long) planes * g.planeSize());
                        }
                        out.write(slab);
                    }
                    out.endImage();
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Opens a cube file: magmap's own format, or else a foreign file with one HDU per field (read with
     * {@link ForeignOptions#defaults()}).
     */
    public static CubeReader open(Path file) throws IOException {
        return open(file, ForeignOptions.defaults());
    }

    /**
     * Opens a cube file: magmap's own format (then {@code foreign} is ignored, the file says everything), or
     * a foreign file with one image HDU per field whose EXTNAME is a field key.
     *
     * @throws BadInputException if the file is not FITS, truncated, incomplete, lacks fields or a cell size, has
     *     fields on different grids, or an unknown BUNIT (the message names the file and the HDU)
     */
    public static CubeReader open(Path file, ForeignOptions foreign) throws IOException {
        FitsImageReader fits = FitsImageReader.open(file);
        try {
            if (fits.primaryHeader().containsKey("CUBEFMT")) {
                return openOwn(fits);
            }
            return openHduPerField(fits, foreign);
        } catch (RuntimeException | IOException e) {
            fits.close();
            throw e;
        }
    }

    /**
     * Opens a cube stored as one FITS file per field. Each file's first image HDU with data is the field; its
     * BUNIT (or the primary header's) gives the unit.
     */
    public static CubeReader openFieldFiles(Map<Field, Path> files, ForeignOptions foreign) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no field files given");
        }
        List<FitsImageReader> open = new ArrayList<>();
        try {
            Map<Field, FitsImage> images = new EnumMap<>(Field.class);
            for (Map.Entry<Field, Path> e : new EnumMap<>(files).entrySet()) {
                FitsImageReader fits = FitsImageReader.open(e.getValue());
                open.add(fits);
                List<FitsImage> all = fits.images();
                if (all.isEmpty()) {
                    throw new BadInputException(e.getValue().toString(), "has no image HDU with data");
                }
                images.put(e.getKey(), all.get(0));
            }
            Path first = files.get(images.keySet().iterator().next());
            return foreignCube(open, images, foreign, first, "file-per-field");
        } catch (RuntimeException | IOException e) {
            for (FitsImageReader r : open) {
                r.close();
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- writing

    private static List<Field> sortedFields(CubeMeta meta) {
        EnumSet<Field> inEnumOrder = EnumSet.noneOf(Field.class);
        inEnumOrder.addAll(meta.fields());
        return List.copyOf(inEnumOrder);
    }

    private static FitsCards metaCards(CubeMeta m) {
        FitsCards c = new FitsCards()
                .add("CUBEFMT", FORMAT_VERSION, "magmap cube store format version")
                .add("RUNID", m.runId(), "run and snapshot id");
        if (m.sourceCode() != null) {
            c.add("SIMCODE", m.sourceCode(), "code that produced the cube");
        }
        GridShape g = m.shape();
        c.add("GRIDNX", g.nx(), "cells along x (NAXIS1 of each field)")
                .add("GRIDNY", g.ny(), "cells along y (NAXIS2)")
                .add("GRIDNZ", g.nz(), "cells along z (NAXIS3)")
                .add("CELLPC", m.cellSizePc(), "[pc] cell size")
                .add("PERIODIC", m.periodic(), "box wraps around")
                .add("SNAPSHOT", m.snapshot(), "snapshot number");
        addKnown(c, "TIMEMYR", m.timeMyr(), "[Myr] simulation time");
        addKnown(c, "B0UG", m.meanFieldMicrogauss(), "[uG] mean field strength |B0|");
        double[] dir = m.meanFieldDirection();
        if (dir != null) {
            if (dir.length != 3) {
                throw new IllegalArgumentException(
                        m.runId() + ": mean field direction must have 3 components, got " + Arrays.toString(dir));
            }
            c.add("B0DIRX", dir[0], "B0 unit vector, x")
                    .add("B0DIRY", dir[1], "B0 unit vector, y")
                    .add("B0DIRZ", dir[2], "B0 unit vector, z");
        }
        addKnown(c, "CSKMS", m.soundSpeedKmPerS(), "[km/s] isothermal sound speed");
        addKnown(c, "SIGVKMS", m.sigmaVKmPerS(), "[km/s] 3-D velocity dispersion");
        addKnown(c, "RHOMEAN", m.meanDensityGPerCm3(), "[g/cm3] mean mass density");
        c.add("FIELDS", sortedFields(m).stream().map(Field::key).collect(Collectors.joining(",")), "fields");

        Map<String, String> prov = new TreeMap<>(m.provenance());
        if (prov.size() > MAX_PROVENANCE) {
            throw new IllegalArgumentException(m.runId() + ": " + prov.size() + " provenance entries, at most "
                    + MAX_PROVENANCE + " fit the PROVnnnn keywords");
        }
        c.add("NPROV", prov.size(), "provenance entries PROVnnnn");
        int i = 1;
        for (Map.Entry<String, String> e : prov.entrySet()) {
            c.add(provKey(i++), encode(e.getKey(), true) + "=" + encode(e.getValue(), false), null);
        }
        c.history("magmap cube store format " + FORMAT_VERSION + ": run " + m.runId() + " ("
                + (m.sourceCode() == null ? "unknown code" : m.sourceCode()) + "), grid " + g + ", cell "
                + m.cellSizePc() + " pc");
        for (Map.Entry<String, String> e : prov.entrySet()) {
            c.history("provenance: " + encode(e.getKey(), true) + " = " + encode(e.getValue(), false));
        }
        return c;
    }

    private static void addKnown(FitsCards c, String key, double value, String comment) {
        if (!Double.isNaN(value)) {
            c.add(key, value, comment);
        }
    }

    private static FitsCards fieldCards(Field f, CubeMeta m) {
        FitsCards c = new FitsCards().add("BUNIT", f.unit(), "unit of the values");
        for (int axis = 1; axis <= 3; axis++) {
            c.add("CTYPE" + axis, "XYZ".charAt(axis - 1) + "", "linear cell coordinate")
                    .add("CUNIT" + axis, "pc", null)
                    .add("CRPIX" + axis, 1L, "first cell")
                    .add("CRVAL" + axis, 0.0, "[pc] at the first cell's centre")
                    .add("CDELT" + axis, m.cellSizePc(), "[pc] cell size");
        }
        return c.add("RUNID", m.runId(), "run and snapshot id");
    }

    private static String provKey(int i) {
        return String.format(Locale.ROOT, "PROV%04d", i);
    }

    /**
     * Percent-encodes what a FITS string cannot hold or would lose: '%', bytes outside printable ASCII, '=' in
     * keys (it separates key from value) and trailing blanks (FITS strings drop them).
     */
    static String encode(String s, boolean isKey) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        int keep = utf8.length;
        while (keep > 0 && utf8[keep - 1] == ' ') {
            keep--;
        }
        StringBuilder sb = new StringBuilder(utf8.length);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xFF;
            boolean plain = b >= 0x20 && b <= 0x7E && b != '%' && !(isKey && b == '=') && !(b == ' ' && i >= keep);
            if (plain) {
                sb.append((char) b);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", b));
            }
        }
        return sb.toString();
    }

    static String decode(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            int hex = ch == '%' && i + 2 < s.length() ? hexByte(s.substring(i + 1, i + 3)) : -1;
            if (hex >= 0) {
                bytes.write(hex);
                i += 2;
            } else {
                bytes.write(ch);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int hexByte(String two) {
        int hi = Character.digit(two.charAt(0), 16);
        int lo = Character.digit(two.charAt(1), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    // ---------------------------------------------------------------- reading our own format

    private static CubeReader openOwn(FitsImageReader fits) throws IOException {
        String source = fits.file().toString();
        Header h = fits.primaryHeader();
        int version = h.getIntValue("CUBEFMT", -1);
        if (version < 1 || version > FORMAT_VERSION) {
            throw new BadInputException(
                    source,
                    "cube format version " + version + " is not one this magmap reads (1.." + FORMAT_VERSION
                            + "); a newer magmap wrote it?");
        }
        GridShape shape;
        try {
            shape = new GridShape(
                    requireInt(h, "GRIDNX", source), requireInt(h, "GRIDNY", source), requireInt(h, "GRIDNZ", source));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(source, "bad grid in the primary header: " + e.getMessage(), e);
        }
        String runId = require(FitsCards.stringValue(h, "RUNID"), "RUNID", source);
        if (!h.containsKey("CELLPC")) {
            throw new BadInputException(source, "the primary header lacks CELLPC");
        }
        double cellSizePc = FitsCards.doubleValue(h, "CELLPC", Double.NaN);

        EnumSet<Field> fields = EnumSet.noneOf(Field.class);
        String listed = require(FitsCards.stringValue(h, "FIELDS"), "FIELDS", source);
        Map<Field, Source> sources = new EnumMap<>(Field.class);
        for (String key : listed.isBlank() ? new String[0] : listed.split(",")) {
            Field f;
            try {
                f = Field.byKey(key.strip());
            } catch (IllegalArgumentException e) {
                throw new BadInputException(source, "FIELDS lists " + e.getMessage(), e);
            }
            if (fits.indexOf(f.key()) < 0) {
                throw new BadInputException(
                        source,
                        "incomplete cube: FIELDS lists '" + f.key() + "' but no HDU has EXTNAME '" + f.key()
                                + "' (truncated, or written by a crashed run)");
            }
            FitsImage image = fits.image(f.key());
            int[] s = cubeShape(image, source);
            if (s[0] != shape.nx() || s[1] != shape.ny() || s[2] != shape.nz()) {
                throw new BadInputException(
                        source,
                        image.hduLabel() + " is " + s[0] + "x" + s[1] + "x" + s[2] + " but the primary header says "
                                + shape);
            }
            fields.add(f);
            sources.put(f, new Source(image, factor(f, image, source)));
        }

        int nprov = h.getIntValue("NPROV", 0);
        Map<String, String> provenance = new LinkedHashMap<>();
        for (int i = 1; i <= nprov; i++) {
            String entry = require(FitsCards.stringValue(h, provKey(i)), provKey(i), source);
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new BadInputException(source, provKey(i) + " = '" + entry + "' is not key=value");
            }
            provenance.put(decode(entry.substring(0, eq)), decode(entry.substring(eq + 1)));
        }
        double[] dir = null;
        if (h.containsKey("B0DIRX")) {
            dir = new double[] {
                FitsCards.doubleValue(h, "B0DIRX", Double.NaN),
                FitsCards.doubleValue(h, "B0DIRY", Double.NaN),
                FitsCards.doubleValue(h, "B0DIRZ", Double.NaN)
            };
        }
        CubeMeta meta;
        try {
            meta = new CubeMeta(
                    runId,
                    FitsCards.stringValue(h, "SIMCODE"),
                    shape,
                    cellSizePc,
                    h.getBooleanValue("PERIODIC", false),
                    h.getIntValue("SNAPSHOT", 0),
                    FitsCards.doubleValue(h, "TIMEMYR", Double.NaN),
                    fields,
                    FitsCards.doubleValue(h, "B0UG", Double.NaN),
                    dir,
                    FitsCards.doubleValue(h, "CSKMS", Double.NaN),
                    FitsCards.doubleValue(h, "SIGVKMS", Double.NaN),
                    FitsCards.doubleValue(h, "RHOMEAN", Double.NaN),
                    provenance);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(source, "bad cube metadata: " + e.getMessage(), e);
        }
        return new FitsCubeReader(meta, sources, List.of(fits));
    }

    private static int requireInt(Header h, String key, String source) {
        if (!h.containsKey(key)) {
            throw new BadInputException(source, "the primary header lacks " + key);
        }
        return h.getIntValue(key, 0);
    }

    private static <T> T require(T value, String key, String source) {
        if (value == null) {
            throw new BadInputException(source, "the primary header lacks " + key);
        }
        return value;
    }

    // ---------------------------------------------------------------- reading foreign layouts

    private static CubeReader openHduPerField(FitsImageReader fits, ForeignOptions foreign) throws IOException {
        String source = fits.file().toString();
        Map<Field, FitsImage> images = new EnumMap<>(Field.class);
        for (FitsImage image : fits.images()) {
            Field f = fieldOf(image.extname());
            if (f == null) {
                continue;
            }
            FitsImage before = images.put(f, image);
            if (before != null) {
                throw new BadInputException(
                        source,
                        "two HDUs hold field '" + f.key() + "': " + before.hduLabel() + " and " + image.hduLabel());
            }
        }
        if (images.isEmpty()) {
            throw new BadInputException(
                    source,
                    "not a magmap cube (no CUBEFMT) and no image HDU has an EXTNAME that is a field key ("
                            + Arrays.stream(Field.values()).map(Field::key).collect(Collectors.joining(", ")) + ")");
        }
        return foreignCube(List.of(fits), images, foreign, fits.file(), "hdu-per-field");
    }

    private static Field fieldOf(String extname) {
        if (extname == null) {
            return null;
        }
        for (Field f : Field.values()) {
            if (f.key().equalsIgnoreCase(extname.strip())) {
                return f;
            }
        }
        return null;
    }

    private static CubeReader foreignCube(
            List<FitsImageReader> files,
            Map<Field, FitsImage> images,
            ForeignOptions foreign,
            Path firstFile,
            String layout) {
        Map<Field, Source> sources = new EnumMap<>(Field.class);
        Map<String, String> provenance = new TreeMap<>();
        provenance.put("source.layout", layout);
        int[] grid = null;
        FitsImage gridFrom = null;
        Field gridField = null;
        for (Map.Entry<Field, FitsImage> e : images.entrySet()) {
            FitsImage image = e.getValue();
            String source = image.file().toString();
            int[] s = cubeShape(image, source);
            if (grid == null) {
                grid = s;
                gridFrom = image;
                gridField = e.getKey();
            } else if (!Arrays.equals(grid, s)) {
                throw new BadInputException(
                        source,
                        "field " + e.getKey().key() + " in " + image + " is " + s[0] + "x" + s[1] + "x" + s[2]
                                + " but field " + gridField.key() + " in " + gridFrom + " is "
                                + grid[0] + "x" + grid[1] + "x" + grid[2] + "; all fields must share one grid");
            }
            sources.put(e.getKey(), new Source(image, factor(e.getKey(), image, source)));
            provenance.put(
                    "source." + e.getKey().key(),
                    image + (image.unit().isEmpty() ? "" : " BUNIT='" + image.unit() + "'"));
        }
        Objects.requireNonNull(grid);
        double cellSizePc = foreign.cellSizePc();
        if (Double.isNaN(cellSizePc)) {
            cellSizePc = cellSizeFromCdelt(gridFrom);
            provenance.put("source.cellsize", "CDELT of " + gridFrom);
        } else {
            provenance.put("source.cellsize", "configured");
        }
        String runId = foreign.runId() != null ? foreign.runId() : runIdFrom(firstFile);
        CubeMeta meta;
        try {
            meta = new CubeMeta(
                    runId,
                    "fits",
                    new GridShape(grid[0], grid[1], grid[2]),
                    cellSizePc,
                    foreign.periodic(),
                    0,
                    Double.NaN,
                    images.keySet(),
                    Double.NaN,
                    null,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    provenance);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(firstFile.toString(), e.getMessage(), e);
        }
        return new FitsCubeReader(meta, sources, files);
    }

    /** The image's shape as nx, ny, nz: trailing degenerate axes dropped, missing ones (a 2-D map) set to 1. */
    private static int[] cubeShape(FitsImage image, String source) {
        int[] s = image.effectiveShape();
        if (s.length > 3) {
            throw new BadInputException(
                    source,
                    image.hduLabel() + " has " + s.length + " axes longer than 1 (shape "
                            + Arrays.toString(image.shape()) + "); a cube field has at most 3");
        }
        int[] out = {1, 1, 1};
        System.arraycopy(s, 0, out, 0, s.length);
        return out;
    }

    private static double factor(Field f, FitsImage image, String source) {
        String bunit = image.unit();
        if (bunit.isEmpty()) {
            LOG.warn("{} has no BUNIT; taking field {} to be in {} already", image, f.key(), f.unit());
        }
        return FieldUnits.toStoredUnit(f, bunit, source, image.hduLabel());
    }

    private static double cellSizeFromCdelt(FitsImage image) {
        String source = image.file().toString();
        Header h = image.header();
        double cdelt1 = FitsCards.doubleValue(h, "CDELT1", Double.NaN);
        if (Double.isNaN(cdelt1)) {
            throw new BadInputException(
                    source,
                    image.hduLabel()
                            + " has no CDELT1 to take the cell size from; configure the cell size in pc for this cube");
        }
        String cunit = FitsCards.stringValue(h, "CUNIT1");
        double pcPer = FieldUnits.pcPer(cunit);
        if (Double.isNaN(pcPer)) {
            throw new BadInputException(
                    source,
                    image.hduLabel()
                            + (cunit == null || cunit.isBlank()
                                    ? " gives CDELT1 without CUNIT1"
                                    : " has CUNIT1 = '" + cunit.strip() + "', not a length")
                            + " (known: " + String.join(", ", FieldUnits.knownLengths())
                            + "); configure the cell size in pc for this cube");
        }
        double cellPc = Math.abs(cdelt1) * pcPer;
        for (int axis = 2; axis <= 3; axis++) {
            double d = FitsCards.doubleValue(h, "CDELT" + axis, Double.NaN);
            if (Double.isNaN(d)) {
                continue;
            }
            double pc = Math.abs(d)
                    * FieldUnits.pcPer(
                            FitsCards.stringValue(h, "CUNIT" + axis) == null
                                    ? cunit
                                    : FitsCards.stringValue(h, "CUNIT" + axis));
            if (!(Math.abs(pc - cellPc) <= 1e-6 * cellPc)) {
                throw new BadInputException(
                        source,
                        image.hduLabel() + ": cells are not cubic (CDELT1 gives " + cellPc + " pc, CDELT" + axis
                                + " gives " + pc + " pc); magmap cubes need one cell size");
            }
        }
        return cellPc;
    }

    private static String runIdFrom(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String id = stem.replaceAll("[^A-Za-z0-9._-]", "_");
        return id.isEmpty() ? "cube" : id;
    }

    // ---------------------------------------------------------------- the reader

    /** Where one field's values are, and the factor to the stored unit (exactly 1.0 for magmap's own files). */
    private record Source(FitsImage image, double factor) {}

    private static final class FitsCubeReader implements CubeReader {
        private final CubeMeta meta;
        private final Map<Field, Source> sources;
        private final List<FitsImageReader> files;

        FitsCubeReader(CubeMeta meta, Map<Field, Source> sources, List<FitsImageReader> files) {
            this.meta = meta;
            this.sources = sources;
            this.files = files;
        }

        @Override
        public CubeMeta meta() {
            return meta;
        }

        @Override
        public float[] readSlab(Field field, int z0, int planes) throws IOException {
            Source s = sources.get(field);
            try {
                checkSlab(field, z0, planes);
            } catch (IllegalArgumentException e) {
                Path file = s == null ? files.get(0).file() : s.image().file();
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            GridShape g = meta.shape();
            float[] v = s.image().readTile(new int[] {0, 0, z0}, new int[] {g.nx(), g.ny(), planes});
            if (s.factor() != 1.0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (v[i] * s.factor());
                }
            }
            return v;
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (FitsImageReader f : files) {
                try {
                    f.close();
                } catch (IOException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }

        @Override
        public String toString() {
            return meta.runId() + " from "
                    + files.stream().map(f -> f.file().toString()).collect(Collectors.joining(", "));
        }
    }
}
