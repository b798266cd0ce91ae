package org.magmap.fits;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import nom.tam.image.StandardImageTiler;
import org.magmap.ops.BadInputException;

/**
 * One image HDU of an open {@link FitsImageReader}, read block by block.
 *
 * <p>Values come back as {@code float} in physical units: {@code BZERO + BSCALE * stored}, with integer
 * {@code BLANK} values and floating-point NaN as NaN. Only the requested block is read from disk (through
 * nom-tam's tiler), so a cube larger than memory can be walked plane-slab by plane-slab.
 *
 * <p>Axes are numbered in FITS order: index 0 is NAXIS1, the fastest-varying axis. Blocks come back with axis 0
 * fastest. Trailing axes of length 1 (a STOKES axis, say) are degenerate: {@link #readPlanes} steps along the
 * last axis longer than 1, and {@link #readTile} accepts corners and shapes that leave them out.
 */
public final class FitsImage {
    /** Largest Java array we hand out (some VMs reserve a few header words). */
    private static final long MAX_ARRAY_VALUES = Integer.MAX_VALUE - 8;

    private final FitsImageReader reader;
    private final int index;
    private final ImageHDU hdu;
    private final int[] shape;
    private final int bitpix;
    private final double bscale;
    private final double bzero;
    private final boolean hasBlank;
    private final long blank;

    FitsImage(FitsImageReader reader, int index, ImageHDU hdu) {
        this.reader = reader;
        this.index = index;
        this.hdu = hdu;
        Header h = hdu.getHeader();
        int naxis = h.getIntValue("NAXIS", 0);
        this.shape = new int[naxis];
        for (int i = 0; i < naxis; i++) {
            shape[i] = h.getIntValue("NAXIS" + (i + 1), 0);
        }
        this.bitpix = h.getIntValue("BITPIX", 0);
        this.bscale = FitsCards.doubleValue(h, "BSCALE", 1.0);
        this.bzero = FitsCards.doubleValue(h, "BZERO", 0.0);
        // BLANK has no meaning for floating-point images (FITS 4.0, sect. 4.4.2.5); NaN marks undefined there
        this.hasBlank = bitpix > 0 && h.containsKey("BLANK");
        this.blank = hasBlank ? h.getLongValue("BLANK", 0) : 0;
        if (bitpix != 8 && bitpix != 16 && bitpix != 32 && bitpix != 64 && bitpix != -32 && bitpix != -64) {
            throw new BadInputException(reader.file().toString(), hduLabel() + " has invalid BITPIX " + bitpix);
        }
    }

    /** The file this image is in. */
    public Path file() {
        return reader.file();
    }

    /** The HDU number (0 = primary). */
    public int hduIndex() {
        return index;
    }

    /** EXTNAME without trailing blanks, or null. */
    public String extname() {
        return reader.extname(index);
    }

    /** The HDU's header (WCS, BUNIT, beam and other keywords). */
    public Header header() {
        return hdu.getHeader();
    }

    /** BITPIX as stored: 8, 16, 32, 64 (integers) or -32, -64 (IEEE floats). */
    public int bitpix() {
        return bitpix;
    }

    /** BUNIT without surrounding blanks, or "" if absent. */
    public String unit() {
        String u = FitsCards.stringValue(header(), "BUNIT");
        return u == null ? "" : u.strip();
    }

    /** NAXIS1, NAXIS2, ... (FITS order, degenerate axes included). */
    public int[] shape() {
        return shape.clone();
    }

    /** The shape without trailing axes of length 1 (at least one axis is kept). */
    public int[] effectiveShape() {
        return Arrays.copyOf(shape, planeAxis() + 1);
    }

    /** The axis {@link #readPlanes} steps along: the last axis longer than 1 (0 if every axis has length 1). */
    public int planeAxis() {
        for (int i = shape.length - 1; i > 0; i--) {
            if (shape[i] > 1) {
                return i;
            }
        }
        return 0;
    }

    /** Length of {@link #planeAxis()}. */
    public int planeCount() {
        return shape[planeAxis()];
    }

    /** Values in one plane: the product of the axes before {@link #planeAxis()}. */
    public long planeSize() {
        long n = 1;
        for (int i = 0; i < planeAxis(); i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Values in the whole image. */
    public long size() {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * Planes {@code first .. first + count - 1} along {@link #planeAxis()}, axis 0 fastest.
     *
     * @throws BadInputException if the range leaves the image
     */
    public float[] readPlanes(int first, int count) throws IOException {
        int axis = planeAxis();
        int[] corner = new int[axis + 1];
        int[] lengths = Arrays.copyOf(shape, axis + 1);
        corner[axis] = first;
        lengths[axis] = count;
        return readTile(corner, lengths);
    }

    /** The whole image (only for images that fit in one array). */
    public float[] readAll() throws IOException {
        return readTile(new int[0], effectiveShape());
    }

    /**
     * The block with lowest corner {@code corner} and extent {@code lengths}, both in FITS axis order. Axes the
     * arrays leave out at the end are read at index 0 with length 1, so a tile of a 3-D cube can ignore a
     * degenerate 4th axis, and a 2-D image can be read as a cube with one plane.
     *
     * @throws BadInputException if the block leaves the image
     * @throws IllegalArgumentException if the arrays differ in length or the block is too large for one array
     */
    public float[] readTile(int[] corner, int[] lengths) throws IOException {
        int n = Math.max(shape.length, lengths.length);
        int[] c = new int[n];
        int[] len = new int[n];
        Arrays.fill(len, 1);
        if (corner.length > lengths.length) {
            throw new IllegalArgumentException(
                    "corner " + Arrays.toString(corner) + " has more axes than lengths " + Arrays.toString(lengths));
        }
        System.arraycopy(corner, 0, c, 0, corner.length);
        System.arraycopy(lengths, 0, len, 0, lengths.length);
        long count = 1;
        for (int i = 0; i < n; i++) {
            int axisLength = i < shape.length ? shape[i] : 1;
            if (c[i] < 0 || len[i] < 1 || (long) c[i] + len[i] > axisLength) {
                throw new BadInputException(
                        reader.file().toString(),
                        hduLabel() + ": block " + describeBlock(c, len) + " is outside the image (NAXIS" + (i + 1)
                                + " = " + axisLength + ", shape " + Arrays.toString(shape) + ")");
            }
            count *= len[i];
        }
        if (count > MAX_ARRAY_VALUES) {
            throw new IllegalArgumentException(hduLabel() + ": block " + describeBlock(c, len) + " has " + count
                    + " values, too many for one array");
        }
        // nom-tam's tiler takes corners in Java array order: the slowest (last FITS) axis first.
        int[] javaCorner = new int[shape.length];
        int[] javaLengths = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            javaCorner[shape.length - 1 - i] = c[i];
            javaLengths[shape.length - 1 - i] = len[i];
        }
        return read(javaCorner, javaLengths, (int) count);
    }

    @Override
    public String toString() {
        return reader.file() + "[" + hduLabel() + "]";
    }

    private float[] read(int[] javaCorner, int[] javaLengths, int count) throws IOException {
        StandardImageTiler tiler = hdu.getTiler();
        Object raw =
                switch (bitpix) {
                    case 8 -> new byte[count];
                    case 16 -> new short[count];
                    case 32 -> new int[count];
                    case 64 -> new long[count];
                    case -32 -> new float[count];
                    default -> new double[count];
                };
        synchronized (reader.lock()) {
            try {
                tiler.getTile(raw, javaCorner, javaLengths);
            } catch (IOException e) {
                throw new IOException(this + ": reading a block failed: " + e.getMessage(), e);
            }
        }
        return toPhysical(raw, count);
    }

    private float[] toPhysical(Object raw, int count) {
        boolean identity = bscale == 1.0 && bzero == 0.0;
        if (raw instanceof float[] f) {
            if (!identity) {
                for (int i = 0; i < count; i++) {
                    f[i] = (float) (bzero + bscale * f[i]);
                }
            }
            return f;
        }
        float[] out = new float[count];
        if (raw instanceof double[] d) {
            for (int i = 0; i < count; i++) {
                out[i] = (float) (bzero + bscale * d[i]);
            }
        } else if (raw instanceof byte[] b) {
            for (int i = 0; i < count; i++) {
                int v = b[i] & 0xFF; // BITPIX 8 is unsigned
                out[i] = hasBlank && v == blank ? Float.NaN : (float) (bzero + bscale * v);
            }
        } else if (raw instanceof short[] s) {
            for (int i = 0; i < count; i++) {
                out[i] = hasBlank && s[i] == blank ? Float.NaN : (float) (bzero + bscale * s[i]);
            }
        } else if (raw instanceof int[] v) {
            for (int i = 0; i < count; i++) {
                out[i] = hasBlank && v[i] == blank ? Float.NaN : (float) (bzero + bscale * v[i]);
            }
        } else {
            long[] v = (long[]) raw;
            for (int i = 0; i < count; i++) {
                out[i] = hasBlank && v[i] == blank ? Float.NaN : (float) (bzero + bscale * (double) v[i]);
            }
        }
        return out;
    }

    /** "HDU 2 (EXTNAME 'dens')": which HDU this is, for messages that already name the file. */
    public String hduLabel() {
        String name = extname();
        return "HDU " + index + (name == null ? "" : " (EXTNAME '" + name + "')");
    }

    private static String describeBlock(int[] corner, int[] lengths) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < corner.length; i++) {
            sb.append(i == 0 ? "" : " x ").append(corner[i]).append("..").append((long) corner[i] + lengths[i] - 1);
        }
        return sb.toString();
    }
}
