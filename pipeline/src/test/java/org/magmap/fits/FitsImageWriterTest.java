package org.magmap.fits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming writer, checked against nom-tam's own reader (an independent implementation of FITS). */
class FitsImageWriterTest {
    @TempDir
    Path dir;

    /** A value no two cells share, computed the same way by the writer's caller and the checks. */
    private static float cell(int x, int y, int z) {
        return x + 100 * y + 10_000 * z + 0.25f;
    }

    @Test
    void streamedSlabsReadBackWithNomTamAndWithOurReader() throws Exception {
        Path file = dir.resolve("two.fits");
        int nx = 24;
        int ny = 20;
        int nz = 12;
        String longValue = "a long provenance value ".repeat(8).strip(); // 191 chars, needs CONTINUE cards
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.writeEmptyPrimary(new FitsCards()
                    .add("RUNID", "r1", "run")
                    .add("LONGVAL", longValue, "test")
                    .add("CELLPC", 100.0 / 3, "exact double")
                    .add("PERIODIC", true, null)
                    .add("NSTEPS", 42, null)
                    .history("first line")
                    .history("x".repeat(150)));
            w.beginImage("dens", new int[] {nx, ny, nz}, new FitsCards().add("BUNIT", "g cm-3", null));
            for (int z0 = 0; z0 < nz; z0 += 5) { // slabs of 5, 5, 2 planes
                int planes = Math.min(5, nz - z0);
                float[] slab = new float[nx * ny * planes];
                int i = 0;
                for (int z = z0; z < z0 + planes; z++) {
                    for (int y = 0; y < ny; y++) {
                        for (int x = 0; x < nx; x++) {
                            slab[i++] = cell(x, y, z);
                        }
                    }
                }
                w.write(slab);
            }
            w.endImage();
            w.beginImage("map", new int[] {3, 2}, new FitsCards());
            w.write(new float[] {1, Float.NaN, 3, 4, 5, 6});
            w.endImage();
        }
        assertEquals(0, Files.size(file) % 2880, "whole 2880-byte blocks");

        try (Fits fits = new Fits(file.toFile())) {
            BasicHDU<?>[] hdus = fits.read();
            assertEquals(3, hdus.length);
            Header primary = hdus[0].getHeader();
            assertEquals("magmap", primary.getStringValue("ORIGIN"));
            assertTrue(primary.getStringValue("DATE").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"));
            assertEquals(longValue, primary.getStringValue("LONGVAL"));
            assertEquals(100.0 / 3, primary.getDoubleValue("CELLPC"));
            assertTrue(primary.getBooleanValue("PERIODIC"));
            assertEquals(42, primary.getIntValue("NSTEPS"));
            List<String> history = FitsCards.history(primary);
            assertEquals(List.of("first line", "x".repeat(70), "x".repeat(70), "x".repeat(10)), history);

            ImageHDU dens = (ImageHDU) hdus[1];
            assertEquals("dens", dens.getHeader().getStringValue("EXTNAME"));
            assertEquals("g cm-3", dens.getBUnit());
            assertEquals(-32, dens.getHeader().getIntValue("BITPIX"));
            float[][][] data = (float[][][]) dens.getKernel(); // nom-tam: [z][y][x]
            assertEquals(nz, data.length);
            assertEquals(ny, data[0].length);
            assertEquals(nx, data[0][0].length);
            for (int[] p : new int[][] {{0, 0, 0}, {23, 0, 0}, {0, 19, 0}, {0, 0, 11}, {5, 7, 9}, {23, 19, 11}}) {
                assertEquals(cell(p[0], p[1], p[2]), data[p[2]][p[1]][p[0]], "cell " + p[0] + "," + p[1] + "," + p[2]);
            }
            float[][] map = (float[][]) hdus[2].getKernel();
            assertEquals(4f, map[1][0]);
            assertTrue(Float.isNaN(map[0][1]));
        }

        try (FitsImageReader fits = FitsImageReader.open(file)) {
            FitsImage dens = fits.image("DENS");
            assertArrayEquals(new int[] {nx, ny, nz}, dens.shape());
            float[] planes = dens.readPlanes(7, 3);
            assertEquals(nx * ny * 3, planes.length);
            assertEquals(cell(0, 0, 7), planes[0]);
            assertEquals(cell(23, 19, 9), planes[planes.length - 1]);
            assertEquals(cell(4, 3, 8), planes[(1 * ny + 3) * nx + 4]);
            assertEquals("g cm-3", dens.unit());
            assertEquals(2, fits.indexOf("map"));
        }
    }

    @Test
    void anImageWrittenFirstIsThePrimaryImage() throws Exception {
        Path file = dir.resolve("map.fits");
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.beginImage(null, new int[] {3, 2}, new FitsCards().add("BUNIT", "uG", null));
            w.write(new float[] {1, 2, 3});
            w.write(new float[] {4, 5, 6});
            w.endImage();
        }
        try (Fits fits = new Fits(file.toFile())) {
            BasicHDU<?>[] hdus = fits.read();
            assertEquals(1, hdus.length);
            Header h = hdus[0].getHeader();
            assertTrue(h.getBooleanValue("SIMPLE"));
            assertEquals("magmap", h.getStringValue("ORIGIN"));
            float[][] yx = (float[][]) hdus[0].getKernel();
            assertEquals(6f, yx[1][2]);
            assertEquals(2f, yx[0][1]);
        }
    }

    @Test
    void anEmptyWriterStillProducesValidFits() throws Exception {
        Path file = dir.resolve("empty.fits");
        FitsImageWriter.create(file).close();
        try (FitsImageReader fits = FitsImageReader.open(file)) {
            assertEquals(1, fits.hduCount());
            assertEquals("magmap", fits.primaryHeader().getStringValue("ORIGIN"));
            assertTrue(fits.images().isEmpty());
        }
    }

    @Test
    void anIncompleteImageIsAnErrorAtEndAndAtClose() throws Exception {
        Path file = dir.resolve("short.fits");
        FitsImageWriter w = FitsImageWriter.create(file);
        w.beginImage("dens", new int[] {4, 4}, new FitsCards());
        w.write(new float[10]);
        assertEquals(6, w.valuesRemaining());
        IllegalStateException early = assertThrows(IllegalStateException.class, w::endImage);
        assertTrue(early.getMessage().contains("10 of 16"), early.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.write(new float[7]), "overflowing the image");
        IOException e = assertThrows(IOException.class, w::close);
        assertTrue(e.getMessage().contains("short.fits") && e.getMessage().contains("incomplete"), e.getMessage());
    }

    @Test
    void cardsRejectWhatFitsCannotHold() {
        FitsCards cards = new FitsCards();
        assertThrows(IllegalArgumentException.class, () -> cards.add("NAXIS1", 3, null), "structural keyword");
        assertThrows(IllegalArgumentException.class, () -> cards.add("TOOLONGKEY", 3, null));
        assertThrows(IllegalArgumentException.class, () -> cards.add("TIME", Double.NaN, null));
        assertThrows(IllegalArgumentException.class, () -> cards.add("NAME", "caf\u00e9", null));
        assertFalse(cards.contains("TIME"));
    }

    @Test
    void doublesSurviveBitForBit() throws Exception {
        double[] values = {0.1 + 0.2, -0.0, 1e-300 / 3, Double.MAX_VALUE, Double.MIN_VALUE, 3.0856775814913673e18};
        FitsCards cards = new FitsCards();
        for (int i = 0; i < values.length; i++) {
            cards.add("V" + i, values[i], null);
        }
        Path file = dir.resolve("doubles.fits");
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.writeEmptyPrimary(cards);
        }
        try (FitsImageReader fits = FitsImageReader.open(file)) {
            for (int i = 0; i < values.length; i++) {
                double back = FitsCards.doubleValue(fits.primaryHeader(), "V" + i, Double.NaN);
                assertEquals(Double.doubleToRawLongBits(values[i]), Double.doubleToRawLongBits(back), "V" + i);
            }
        }
    }
}
