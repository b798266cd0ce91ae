package org.magmap.fits;

import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import nom.tam.util.FitsOutputStream;

/**
 * Writes a FITS file of float32 images one HDU at a time, each image streamed in slabs, so that peak memory is
 * one slab however large the image (a 512^3 field is written from 64-plane slabs of 64 MiB, never as a Java
 * 3-D array).
 *
 * <p>Headers are built and written by nom-tam ({@link Header}); data are written here as big-endian IEEE
 * floats, padded with zeros to the 2880-byte block. The primary header always gets {@code DATE} (UTC, when
 * written) and {@code ORIGIN = 'magmap'} unless the caller's cards set them.
 *
 * <pre>{@code
 * try (FitsImageWriter w = FitsImageWriter.create(path)) {
 *     w.writeEmptyPrimary(new FitsCards().add("RUNID", "b3-s2.5", "run").history("made by ..."));
 *     w.beginImage("dens", new int[] {nx, ny, nz}, new FitsCards().add("BUNIT", "g cm-3", null));
 *     for (...) w.write(slab);   // x fastest, then y, then z
 *     w.endImage();
 * }
 * }</pre>
 *
 * <p>Not thread-safe. {@link #close()} flushes and forces the file to disk, so a caller that renames it into
 * place afterwards publishes complete data.
 */
public final class FitsImageWriter implements Closeable {
    /** The ORIGIN written into every primary header. */
    public static final String ORIGIN = "magmap";

    private static final DateTimeFormatter FITS_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Path file;
    private final FileOutputStream fileOut;
    private final FitsOutputStream out;
    private int hdusWritten;
    private String current;
    private long valuesExpected;
    private long valuesWritten;
    private boolean closed;
    private int tableRowBytes; // 0 unless a table is open
    private int tableColumns;

    private FitsImageWriter(Path file, FileOutputStream fileOut) {
        this.file = file;
        this.fileOut = fileOut;
        this.out = new FitsOutputStream(fileOut, 1 << 16);
    }

    /** Creates (or truncates) {@code file} for writing. */
    public static FitsImageWriter create(Path file) throws IOException {
        return new FitsImageWriter(file, new FileOutputStream(file.toFile()));
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    /**
     * Writes a primary HDU without data (NAXIS = 0) carrying {@code cards}; images written next become
     * extensions. Must come first.
     */
    public void writeEmptyPrimary(FitsCards cards) throws IOException {
        if (hdusWritten > 0 || current != null) {
            throw new IllegalStateException(file + ": the primary HDU has already been written");
        }
        writeHeader(null, new int[0], cards);
        hdusWritten++;
    }

    /**
     * Starts a float32 image: the primary one if nothing has been written yet, else an IMAGE extension. Follow
     * with {@link #write} calls supplying exactly the product of {@code shape} values, then {@link #endImage()}.
     *
     * @param extname EXTNAME, or null for none
     * @param shape NAXIS1, NAXIS2, ... (FITS order: the first axis varies fastest in the data)
     * @param cards further header cards (BUNIT, WCS, provenance)
     */
    public void beginImage(String extname, int[] shape, FitsCards cards) throws IOException {
        if (current != null) {
            throw new IllegalStateException(file + ": image '" + current + "' is still open; call endImage() first");
        }
        if (shape.length == 0 || shape.length > 999) {
            throw new IllegalArgumentException(file + ": an image needs 1 to 999 axes, got " + shape.length);
        }
        long values = 1;
        for (int n : shape) {
            if (n <= 0) {
                throw new IllegalArgumentException(
                        file + ": image axes must be positive, got " + Arrays.toString(shape));
            }
            values *= n;
        }
        writeHeader(extname, shape, cards);
        hdusWritten++;
        current = extname == null ? "HDU " + (hdusWritten - 1) : extname;
        valuesExpected = values;
        valuesWritten = 0;
    }

    /** Appends all of {@code values} to the open image. */
    public void write(float[] values) throws IOException {
        write(values, 0, values.length);
    }

    /** Appends {@code values[offset .. offset + count - 1]} to the open image. */
    public void write(float[] values, int offset, int count) throws IOException {
        if (current == null || tableRowBytes != 0) {
            throw new IllegalStateException(file + ": no image is open; call beginImage() first");
        }
        if (count > valuesExpected - valuesWritten) {
            throw new IllegalArgumentException(file + ": image '" + current + "' takes " + valuesExpected
                    + " values; writing " + count + " more after " + valuesWritten + " would overflow it");
        }
        out.write(values, offset, count);
        valuesWritten += count;
    }

    /** Values the open image still needs (0 when none is open). */
    public long valuesRemaining() {
        return current == null ? 0 : valuesExpected - valuesWritten;
    }

    /** Finishes the open image: checks it is complete and pads it to the 2880-byte block. */
    public void endImage() throws IOException {
        if (current == null || tableRowBytes != 0) {
            throw new IllegalStateException(file + ": no image is open");
        }
        if (valuesWritten != valuesExpected) {
            throw new IllegalStateException(file + ": image '" + current + "' is incomplete: " + valuesWritten + " of "
                    + valuesExpected + " values written");
        }
        long bytes = valuesExpected * Float.BYTES;
        int pad = (int) (FitsImageReader.padded(bytes) - bytes);
        out.write(new byte[pad]);
        current = null;
    }

    /**
     * Starts a binary table extension of one 64-bit integer column followed by 32-bit float columns (a HEALPix
     * map with explicit pixel indices is one). Follow with exactly {@code rows} {@link #writeRow} calls, then
     * {@link #endTable()}.
     *
     * @param names the columns' TTYPEs, the integer column first
     * @param units their TUNITs ("" for none)
     * @param cards further header cards
     */
    public void beginTable(String extname, List<String> names, List<String> units, long rows, FitsCards cards)
            throws IOException {
        if (current != null) {
            throw new IllegalStateException(file + ": HDU '" + current + "' is still open");
        }
        if (hdusWritten == 0) {
            writeEmptyPrimary(new FitsCards());
        }
        int rowBytes = Long.BYTES + (names.size() - 1) * Float.BYTES;
        Header h = new Header();
        try {
            h.addLine(new HeaderCard("XTENSION", "BINTABLE", "binary table extension"));
            h.addLine(new HeaderCard("BITPIX", 8, "bytes"));
            h.addLine(new HeaderCard("NAXIS", 2, "a table"));
            h.addLine(new HeaderCard("NAXIS1", rowBytes, "bytes per row"));
            h.addLine(new HeaderCard("NAXIS2", rows, "rows"));
            h.addLine(new HeaderCard("PCOUNT", 0, "no heap"));
            h.addLine(new HeaderCard("GCOUNT", 1, "one group"));
            h.addLine(new HeaderCard("TFIELDS", names.size(), "columns"));
            for (int c = 0; c < names.size(); c++) {
                h.addLine(new HeaderCard("TTYPE" + (c + 1), names.get(c), null));
                h.addLine(new HeaderCard("TFORM" + (c + 1), c == 0 ? "1K" : "1E", c == 0 ? "int64" : "float32"));
                if (!units.get(c).isEmpty()) {
                    h.addLine(new HeaderCard("TUNIT" + (c + 1), units.get(c), null));
                }
            }
            h.addLine(new HeaderCard("EXTNAME", extname, "name of this HDU"));
            cards.appendTo(h);
            h.write(out);
        } catch (FitsException e) {
            throw new IOException(file + ": cannot write the header of table " + extname + ": " + e.getMessage(), e);
        }
        hdusWritten++;
        current = extname;
        valuesExpected = rows;
        valuesWritten = 0;
        tableRowBytes = rowBytes;
        tableColumns = names.size() - 1;
    }

    /** Appends one row to the open table: its integer, then one float per further column. */
    public void writeRow(long index, float[] values, int offset) throws IOException {
        if (current == null || tableRowBytes == 0) {
            throw new IllegalStateException(file + ": no table is open; call beginTable() first");
        }
        if (valuesWritten == valuesExpected) {
            throw new IllegalArgumentException(file + ": table '" + current + "' has its " + valuesExpected + " rows");
        }
        out.writeLong(index);
        for (int c = 0; c < tableColumns; c++) {
            out.writeFloat(values[offset + c]);
        }
        valuesWritten++;
    }

    /** Finishes the open table: checks every row came and pads it to the 2880-byte block. */
    public void endTable() throws IOException {
        if (current == null || tableRowBytes == 0) {
            throw new IllegalStateException(file + ": no table is open");
        }
        if (valuesWritten != valuesExpected) {
            throw new IllegalStateException(file + ": table '" + current + "' is incomplete: " + valuesWritten + " of "
                    + valuesExpected + " rows written");
        }
        long bytes = valuesExpected * tableRowBytes;
        out.write(new byte[(int) (FitsImageReader.padded(bytes) - bytes)]);
        current = null;
        tableRowBytes = 0;
    }

    /**
     * Flushes, forces the data to disk and closes. An empty file gets an empty primary HDU so it is valid FITS.
     *
     * @throws IOException also if an image was left incomplete (the file is then not valid FITS)
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        String unfinished = current == null
                ? null
                : "image '" + current + "' was left incomplete: " + valuesWritten + " of " + valuesExpected
                        + " values written";
        try {
            if (hdusWritten == 0) {
                writeHeader(null, new int[0], new FitsCards());
            }
            out.flush();
            fileOut.getFD().sync();
        } finally {
            out.close();
        }
        if (unfinished != null) {
            throw new IOException(file + ": " + unfinished);
        }
    }

    private void writeHeader(String extname, int[] shape, FitsCards cards) throws IOException {
        boolean primary = hdusWritten == 0;
        Header h = new Header();
        try {
            // the mandatory keywords, in the order FITS 4.0 (sect. 4.4.1) requires
            if (primary) {
                h.addLine(new HeaderCard("SIMPLE", true, "conforms to FITS 4.0"));
            } else {
                h.addLine(new HeaderCard("XTENSION", "IMAGE", "image extension"));
            }
            h.addLine(new HeaderCard(
                    "BITPIX", shape.length == 0 ? 8 : -32, shape.length == 0 ? "no data" : "IEEE 32-bit floats"));
            h.addLine(new HeaderCard("NAXIS", shape.length, "number of axes"));
            for (int i = 0; i < shape.length; i++) {
                h.addLine(new HeaderCard("NAXIS" + (i + 1), shape[i], "length of axis " + (i + 1)));
            }
            if (primary) {
                h.addLine(new HeaderCard("EXTEND", true, "extensions may follow"));
            } else {
                h.addLine(new HeaderCard("PCOUNT", 0, "no heap"));
                h.addLine(new HeaderCard("GCOUNT", 1, "one group"));
            }
            if (extname != null) {
                h.addLine(new HeaderCard("EXTNAME", extname, "name of this HDU"));
            }
            if (primary && !cards.contains("DATE")) {
                String now = FITS_DATE.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
                h.addLine(new HeaderCard("DATE", now, "UTC date this file was written"));
            }
            if (primary && !cards.contains("ORIGIN")) {
                h.addLine(new HeaderCard("ORIGIN", ORIGIN, "software that wrote this file"));
            }
            cards.appendTo(h);
            h.write(out);
        } catch (FitsException e) {
            throw new IOException(file + ": cannot write the header of HDU " + hdusWritten + ": " + e.getMessage(), e);
        }
    }
}
