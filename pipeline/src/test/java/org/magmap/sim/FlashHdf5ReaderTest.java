package org.magmap.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.ops.BadInputException;

/**
 * Reads the FLASH fixtures that {@code src/test/resources/flash/make_flash_fixture.py} writes with h5py (an
 * independent HDF5 implementation) in FLASH's dataset names and shapes; see that script for the layout and
 * the analytic values, which {@link #expected} restates.
 */
class FlashHdf5ReaderTest {
    /** The uniform fixture: 4x2x1 leaf blocks of 4^3 cells. */
    static final int NX = 16;

    static final int NY = 8;
    static final int NZ = 4;

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(
                    FlashHdf5ReaderTest.class.getResource("/flash/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The fixture's value of {@code f} at global cell (i, j, k) in magmap units: the script's CGS formula with
     * cm/s turned into km/s (divide by 1e5) and gauss into microgauss (multiply by 1e6).
     */
    static double expected(Field f, int i, int j, int k) {
        return switch (f) {
            case DENSITY -> 1e-24 * (1 + i + 10 * j + 100 * k);
            case VELOCITY_X -> i - j;
            case VELOCITY_Y -> 1 + k / 2.0;
            case VELOCITY_Z -> -i * j / 4.0;
            case B_X -> 1 + i / 2.0;
            case B_Y -> -2.0 * j;
            case B_Z -> k - 1.5;
            case TEMPERATURE -> 1e4 * (1 + k);
        };
    }

    @Test
    void uniformFileAssemblesEveryCellInMagmapUnits() throws IOException {
        try (FlashHdf5Reader r = FlashHdf5Reader.open(fixture("flash_uniform_8blk.h5"))) {
            CubeMeta m = r.meta();
            assertEquals(new GridShape(NX, NY, NZ), m.shape());
            assertEquals("flash_uniform_8blk", m.runId());
            assertEquals("flash", m.sourceCode());
            // bounding boxes 4 cells of 0.25 * 3.0857e18 cm wide
            assertEquals(0.25, m.cellSizePc(), 1e-12);
            // real scalars/time = 2.5 * 3.15576e13 s
            assertEquals(2.5, m.timeMyr(), 1e-12);
            assertTrue(m.periodic());
            assertEquals(EnumSet.allOf(Field.class), m.fields());
            assertEquals("cgs", m.provenance().get("flash.unitsystem"));
            for (Field f : Field.values()) {
                float[] a = r.readField(f);
                assertEquals(NX * NY * NZ, a.length);
                for (int k = 0; k < NZ; k++) {
                    for (int j = 0; j < NY; j++) {
                        for (int i = 0; i < NX; i++) {
                            double want = expected(f, i, j, k);
                            // float32 on disk: 1e-7 relative, plus a little for values that are 0
                            assertEquals(
                                    want,
                                    a[(int) m.shape().index(i, j, k)],
                                    2e-7 * Math.abs(want) + 1e-6 * (f == Field.DENSITY ? 1e-24 : 1),
                                    f.key() + " at " + i + "," + j + "," + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void slabsMatchTheWholeField() throws IOException {
        try (FlashHdf5Reader r = FlashHdf5Reader.open(fixture("flash_uniform_8blk.h5"), "cluster-a")) {
            assertEquals("cluster-a", r.meta().runId());
            float[] all = r.readField(Field.B_X);
            int plane = NX * NY;
            assertArrayEquals(Arrays.copyOfRange(all, plane, 3 * plane), r.readSlab(Field.B_X, 1, 2));
        }
    }

    @Test
    void unitSystemNoneRestoresFourPiInB() throws IOException {
        try (FlashHdf5Reader r = FlashHdf5Reader.open(fixture("flash_none_1blk.h5"))) {
            CubeMeta m = r.meta();
            assertEquals(GridShape.cube(4), m.shape());
            assertEquals("none", m.provenance().get("flash.unitsystem"));
            assertTrue(!m.periodic(), "outflow boundaries");
            // magx = 1e-6 (1 + i/2) code units; with 4 pi absorbed, 1e-6 code units are sqrt(4 pi) = 3.5449077
            // microgauss, so cell (2, 0, 0) holds 2 * 3.5449077 uG
            assertEquals(2 * 3.5449077, r.readField(Field.B_X)[2], 1e-5);
            // density and velocity are CGS whatever the unit system (velx = 1e5 (i - j) cm/s at (3, 1, 0))
            assertEquals(2.0, r.readField(Field.VELOCITY_X)[(int) m.shape().index(3, 1, 0)], 1e-6);
        }
    }

    @Test
    void amrFileIsRefusedWithItsLevels() {
        Path p = fixture("flash_amr_2lvl.h5");
        BadInputException e = assertThrows(BadInputException.class, () -> FlashHdf5Reader.open(p));
        assertEquals(p.toString(), e.source());
        // one leaf on level 1 and its neighbour's 8 children on level 2
        assertTrue(e.getMessage().contains("AMR"), e.getMessage());
        assertTrue(e.getMessage().contains("{1=1, 2=8}"), e.getMessage());
    }

    @Test
    void missingDatasetIsNamed() {
        Path p = fixture("flash_no_bbox.h5");
        BadInputException e = assertThrows(BadInputException.class, () -> FlashHdf5Reader.open(p));
        assertEquals(p.toString(), e.source());
        assertTrue(e.getMessage().contains("no dataset 'bounding box'"), e.getMessage());
    }

    @Test
    void truncatedFileIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(fixture("flash_uniform_8blk.h5"));
        Path p = dir.resolve("cut.h5");
        Files.write(p, Arrays.copyOf(whole, whole.length / 2));
        BadInputException e = assertThrows(BadInputException.class, () -> FlashHdf5Reader.open(p));
        assertEquals(p.toString(), e.source());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Path notHdf = dir.resolve("plain.h5");
        Files.writeString(notHdf, "not hdf5");
        BadInputException n = assertThrows(BadInputException.class, () -> FlashHdf5Reader.open(notHdf));
        assertEquals(notHdf.toString(), n.source());
    }
}
