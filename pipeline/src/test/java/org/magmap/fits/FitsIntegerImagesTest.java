package org.magmap.fits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every BITPIX, written by nom-tam (not by us) with BSCALE/BZERO/BLANK cards, read back through the block
 * reader. Expected values follow the FITS standard (4.0, sect. 4.4.2.5): physical = BZERO + BSCALE * stored,
 * BLANK marks undefined integers, BITPIX 8 is unsigned.
 */
class FitsIntegerImagesTest {
    @TempDir
    Path dir;

    private Path write(String name, Object data, double bscale, double bzero, Long blank) throws Exception {
        Path file = dir.resolve(name);
        try (Fits fits = new Fits()) {
            BasicHDU<?> hdu = Fits.makeHDU(data);
            Header h = hdu.getHeader();
            h.addValue("BSCALE", bscale, null);
            h.addValue("BZERO", bzero, null);
            if (blank != null) {
                h.addValue("BLANK", blank, null);
            }
            fits.addHDU(hdu);
            fits.write(file.toFile());
        }
        return file;
    }

    private static float[] read(Path file) throws Exception {
        try (FitsImageReader fits = FitsImageReader.open(file)) {
            return fits.image(0).readAll();
        }
    }

    @Test
    void bitpix8IsUnsignedAndItsBlankIsUnsigned() throws Exception {
        // stored bytes -1 and -128 are 255 and 128 unsigned; 255 is BLANK
        byte[][] stored = {{0, 1, 127}, {-128, -1, 5}};
        float[] v = read(write("b8.fits", stored, 0.5, 1.0, 255L));
        assertEquals(1.0f, v[0]);
        assertEquals(1.5f, v[1]);
        assertEquals(64.5f, v[2]); // 1 + 0.5 * 127
        assertEquals(65.0f, v[3]); // 1 + 0.5 * 128
        assertTrue(Float.isNaN(v[4]));
        assertEquals(3.5f, v[5]);
    }

    @Test
    void bitpix16WithTheUnsignedOffset() throws Exception {
        // BZERO = 32768 is the FITS convention for unsigned 16-bit data
        short[][] stored = {{Short.MIN_VALUE, -1, 0, Short.MAX_VALUE}};
        float[] v = read(write("b16.fits", stored, 1.0, 32768.0, null));
        assertArrayEquals(new float[] {0f, 32767f, 32768f, 65535f}, v);
    }

    @Test
    void bitpix32WithScaleAndBlank() throws Exception {
        int[][][] stored = {{{Integer.MIN_VALUE, 4}, {-6, 100}}, {{1, 2}, {3, Integer.MAX_VALUE}}};
        float[] v = read(write("b32.fits", stored, 0.25, -10.0, (long) Integer.MIN_VALUE));
        assertTrue(Float.isNaN(v[0]));
        assertEquals(-9.0f, v[1]);
        assertEquals(-11.5f, v[2]);
        assertEquals(15.0f, v[3]);
        assertEquals(-9.75f, v[4]);
        assertEquals((float) (-10.0 + 0.25 * Integer.MAX_VALUE), v[7]);
    }

    @Test
    void bitpix64WithScaleAndBlank() throws Exception {
        long[][] stored = {{Long.MIN_VALUE, -3, 1L << 40}};
        float[] v = read(write("b64.fits", stored, 2.0, 1.0, Long.MIN_VALUE));
        assertTrue(Float.isNaN(v[0]));
        assertEquals(-5.0f, v[1]);
        assertEquals((float) (1.0 + 2.0 * (1L << 40)), v[2]);
    }

    @Test
    void floatImagesKeepNanAndIgnoreBlank() throws Exception {
        float[][] stored = {{Float.NaN, 1.5f, -2f}};
        // BLANK has no meaning for floating-point data; a value equal to it must stay a value
        float[] v = read(write("f32.fits", stored, 2.0, 1.0, 1L));
        assertTrue(Float.isNaN(v[0]));
        assertEquals(4.0f, v[1]);
        assertEquals(-3.0f, v[2]);
        double[][] stored64 = {{Double.NaN, 0.1, 1e30}};
        float[] w = read(write("f64.fits", stored64, 1.0, 0.0, null));
        assertTrue(Float.isNaN(w[0]));
        assertEquals(0.1f, w[1]);
        assertEquals(1e30f, w[2]);
    }
}
