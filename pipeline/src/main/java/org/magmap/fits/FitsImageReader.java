package org.magmap.fits;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import org.magmap.ops.BadInputException;

/**
 * An open FITS file: its HDUs' headers, and {@link FitsImage} handles that read blocks of image data on demand.
 *
 * <p>Opening reads every header but no data (nom-tam defers data on a random-access file), and checks that the
 * file really is FITS and that each HDU's data is all there, so a truncated download fails here with the HDU
 * it cuts into rather than later with a garbled tile. Block reads from several threads are serialized on this
 * object, because all HDUs share one file position.
 *
 * <pre>{@code
 * try (FitsImageReader fits = FitsImageReader.open(path)) {
 *     FitsImage cube = fits.image(0);            // or fits.image("DENS")
 *     float[] planes = cube.readPlanes(40, 10);  // planes 40..49 of the last non-degenerate axis
 * }
 * }</pre>
 */
public final class FitsImageReader implements Closeable {
    /** FITS files are made of 2880-byte blocks. */
    static final int BLOCK_BYTES = 2880;

    private final Path file;
    private final Fits fits;
    private final List<BasicHDU<?>> hdus;

    private FitsImageReader(Path file, Fits fits, List<BasicHDU<?>> hdus) {
        this.file = file;
        this.fits = fits;
        this.hdus = hdus;
    }

    /**
     * Opens a file and reads its headers.
     *
     * @throws BadInputException if the file is missing, is not FITS, or is truncated (the message names the file
     *     and the HDU)
     * @throws IOException if reading fails for another reason
     */
    public static FitsImageReader open(Path file) throws IOException {
        String where = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(where, "no such file");
        }
        long length = Files.size(file);
        checkSignature(file, length);
        Fits fits;
        try {
            fits = new Fits(file.toFile());
        } catch (FitsException e) {
            throw new BadInputException(where, "cannot open as FITS: " + e.getMessage(), e);
        }
        try {
            List<BasicHDU<?>> hdus = readHeaders(file, fits, length);
            return new FitsImageReader(file, fits, Collections.unmodifiableList(hdus));
        } catch (RuntimeException | IOException e) {
            fits.close();
            throw e;
        }
    }

    /** The file this reads. */
    public Path file() {
        return file;
    }

    /** Number of HDUs, the primary included. */
    public int hduCount() {
        return hdus.size();
    }

    /** The primary header. */
    public Header primaryHeader() {
        return header(0);
    }

    /** The header of HDU {@code index} (0 = primary). */
    public Header header(int index) {
        return hdu(index).getHeader();
    }

    /**
     * The image in HDU {@code index} (0 = primary).
     *
     * @throws BadInputException if there is no such HDU, or it is not an image with data
     */
    public FitsImage image(int index) {
        BasicHDU<?> hdu = hdu(index);
        if (!(hdu instanceof ImageHDU image)) {
            throw new BadInputException(
                    file.toString(), "HDU " + index + " is a " + hdu.getClass().getSimpleName() + ", not an image");
        }
        if (image.getHeader().getIntValue("NAXIS", 0) == 0) {
            throw new BadInputException(file.toString(), "HDU " + index + " has no image data (NAXIS = 0)");
        }
        return new FitsImage(this, index, image);
    }

    /**
     * The first image whose EXTNAME equals {@code extname}, ignoring case and trailing blanks.
     *
     * @throws BadInputException if none has it (the message lists the EXTNAMEs there are)
     */
    public FitsImage image(String extname) {
        int index = indexOf(extname);
        if (index < 0) {
            List<String> names = extnames();
            throw new BadInputException(
                    file.toString(),
                    "no HDU has EXTNAME '" + extname + "' ("
                            + (names.isEmpty()
                                    ? "no HDU has an EXTNAME"
                                    : "found "
                                            + names.stream()
                                                    .map(n -> "'" + n + "'")
                                                    .collect(Collectors.joining(", ")))
                            + ")");
        }
        return image(index);
    }

    /** The index of the first HDU whose EXTNAME equals {@code extname} (any case), or -1. */
    public int indexOf(String extname) {
        String wanted = extname.strip().toUpperCase(Locale.ROOT);
        for (int i = 0; i < hdus.size(); i++) {
            String name = extname(i);
            if (name != null && name.toUpperCase(Locale.ROOT).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    /** The EXTNAME of HDU {@code index} without trailing blanks, or null if it has none. */
    public String extname(int index) {
        String name = FitsCards.stringValue(header(index), "EXTNAME");
        return name == null ? null : name.strip();
    }

    /** Every image HDU that holds data (NAXIS > 0), in file order. */
    public List<FitsImage> images() {
        List<FitsImage> out = new ArrayList<>();
        for (int i = 0; i < hdus.size(); i++) {
            if (hdus.get(i) instanceof ImageHDU && header(i).getIntValue("NAXIS", 0) > 0) {
                out.add(image(i));
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        fits.close();
    }

    /** The lock block reads hold: all HDUs share one file pointer. */
    Object lock() {
        return this;
    }

    private BasicHDU<?> hdu(int index) {
        if (index < 0 || index >= hdus.size()) {
            throw new BadInputException(
                    file.toString(), "has no HDU " + index + " (it has " + hdus.size() + ", numbered from 0)");
        }
        return hdus.get(index);
    }

    private List<String> extnames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < hdus.size(); i++) {
            String n = extname(i);
            if (n != null) {
                names.add(n);
            }
        }
        return names;
    }

    /** A FITS file starts with the card SIMPLE = T in a full 2880-byte block. */
    private static void checkSignature(Path file, long length) throws IOException {
        byte[] head = new byte[30];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String card = new String(head, 0, n, StandardCharsets.US_ASCII);
        boolean simple = card.startsWith("SIMPLE  =");
        if (!simple || card.length() < 30 || card.charAt(29) != 'T') {
            throw new BadInputException(
                    file.toString(),
                    "not a FITS file (it does not start with the card SIMPLE = T"
                            + (length == 0 ? "; the file is empty)" : ")"));
        }
        if (length < BLOCK_BYTES) {
            throw new BadInputException(
                    file.toString(),
                    "truncated: " + length + " bytes, shorter than one " + BLOCK_BYTES + "-byte header block");
        }
    }

    private static List<BasicHDU<?>> readHeaders(Path file, Fits fits, long length) throws IOException {
        String where = file.toString();
        List<BasicHDU<?>> hdus = new ArrayList<>();
        long end = 0;
        while (true) {
            BasicHDU<?> hdu;
            try {
                hdu = fits.readHDU();
            } catch (RuntimeException e) { // nom-tam 1.21's FitsException is unchecked
                throw new BadInputException(where, "cannot read HDU " + hdus.size() + ": " + e.getMessage(), e);
            }
            if (hdu == null) {
                break;
            }
            int index = hdus.size();
            long dataBytes = dataBytes(hdu.getHeader());
            long dataStart = hdu.getData().getFileOffset();
            if (dataStart < 0) {
                dataStart = hdu.getHeader().getFileOffset() + hdu.getHeader().getSize();
            }
            if (dataStart + dataBytes > length) {
                String name = FitsCards.stringValue(hdu.getHeader(), "EXTNAME");
                throw new BadInputException(
                        where,
                        "truncated: HDU " + index + (name == null ? "" : " (EXTNAME '" + name.strip() + "')")
                                + " needs " + dataBytes + " data bytes from offset " + dataStart
                                + " but the file ends at " + length);
            }
            end = dataStart + padded(dataBytes);
            hdus.add(hdu);
        }
        if (hdus.isEmpty()) {
            throw new BadInputException(where, "truncated or malformed: no complete primary header");
        }
        // nom-tam stops quietly at a header cut short; a leftover XTENSION card betrays it.
        if (length > end && startsWithXtension(file, end)) {
            throw new BadInputException(
                    where, "truncated: the header of HDU " + hdus.size() + " at offset " + end + " is incomplete");
        }
        return hdus;
    }

    /** Bytes of data an HDU declares: |BITPIX|/8 * GCOUNT * (PCOUNT + product of NAXISn) (FITS 4.0, eq. 2). */
    static long dataBytes(Header h) {
        int naxis = h.getIntValue("NAXIS", 0);
        if (naxis == 0) {
            return 0;
        }
        long product = 1;
        // random groups set NAXIS1 = 0, and it is left out of the product
        int first = h.getIntValue("NAXIS1", 0) == 0 && h.getBooleanValue("GROUPS", false) ? 2 : 1;
        for (int i = first; i <= naxis; i++) {
            product *= h.getLongValue("NAXIS" + i, 0);
        }
        long bytesPerValue = Math.abs(h.getIntValue("BITPIX", 8)) / 8;
        return bytesPerValue * h.getLongValue("GCOUNT", 1) * (h.getLongValue("PCOUNT", 0) + product);
    }

    static long padded(long bytes) {
        return (bytes + BLOCK_BYTES - 1) / BLOCK_BYTES * BLOCK_BYTES;
    }

    private static boolean startsWithXtension(Path file, long offset) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            ch.position(offset);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // keep reading until 8 bytes or end of file
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).equals("XTENSION");
        }
    }
}
