package org.magmap.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.fits.NullDataHDU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.ops.BadInputException;

/**
 * Cubes in layouts magmap did not write, made here with plain nom-tam (an independent writer), and the errors
 * both foreign and own files can raise. Expected values are the generating formulas in the units magmap stores.
 */
class FitsCubeStoreForeignTest {
    static final int NX = 6;
    static final int NY = 5;
    static final int NZ = 4;

    @TempDir
    Path dir;

    interface Cell {
        double at(int x, int y, int z);
    }

    /** A float image [z][y][x] (nom-tam's order) with NAXIS1 = nx. */
    static float[][][] image(int nx, int ny, int nz, Cell f) {
        float[][][] a = new float[nz][ny][nx];
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    a[z][y][x] = (float) f.at(x, y, z);
                }
            }
        }
        return a;
    }

    static BasicHDU<?> hdu(Object data, String extname, String bunit, String cunit, double cdelt) throws Exception {
        BasicHDU<?> hdu = Fits.makeHDU(data);
        Header h = hdu.getHeader();
        if (extname != null) {
            h.addValue("EXTNAME", extname, null);
        }
        if (bunit != null) {
            h.addValue("BUNIT", bunit, null);
        }
        if (cunit != null) {
            for (int axis = 1; axis <= 3; axis++) {
                h.addValue("CDELT" + axis, cdelt, null);
                h.addValue("CUNIT" + axis, cunit, null);
            }
        }
        return hdu;
    }

    /** One file, an empty primary then the given HDUs as extensions. */
    Path file(String name, BasicHDU<?>... hdus) throws Exception {
        Path file = dir.resolve(name);
        try (Fits fits = new Fits()) {
            fits.addHDU(new NullDataHDU());
            for (BasicHDU<?> h : hdus) {
                fits.addHDU(h);
            }
            fits.write(file.toFile());
        }
        return file;
    }

    static double density(int x, int y, int z) {
        return 1e-24 * (1 + x + 2 * y + 3 * z);
    }

    /** dens in g/cm3, VelX in cm/s, magx in G, a non-field 'NOTES' map; 0.1953125 kpc cells. */
    Path hduPerField() throws Exception {
        return file(
                "hdus.fits",
                hdu(image(NX, NY, NZ, FitsCubeStoreForeignTest::density), "DENS", "g/cm3", "kpc", 0.1953125),
                hdu(image(NX, NY, NZ, (x, y, z) -> 1e5 * (x - y)), "VelX", "cm/s", "kpc", 0.1953125),
                hdu(image(NX, NY, NZ, (x, y, z) -> 1e-6 * (z + 0.5)), "magx", "G", "kpc", 0.1953125),
                hdu(new float[3][3], "NOTES", "", null, 0));
    }

    @Test
    void oneHduPerFieldWithUnitConversion() throws Exception {
        Path file = hduPerField();
        try (CubeReader cube = FitsCubeStore.open(file)) {
            CubeMeta m = cube.meta();
            assertEquals("hdus", m.runId(), "from the file name");
            assertEquals("fits", m.sourceCode());
            assertEquals(new GridShape(NX, NY, NZ), m.shape());
            assertEquals(EnumSet.of(Field.DENSITY, Field.VELOCITY_X, Field.B_X), m.fields());
            assertEquals(195.3125, m.cellSizePc(), 1e-12, "0.1953125 kpc");
            assertFalse(m.periodic());
            assertTrue(Double.isNaN(m.timeMyr()) && Double.isNaN(m.soundSpeedKmPerS()));

            float[] dens = cube.readSlab(Field.DENSITY, 1, 2);
            float[] velx = cube.readField(Field.VELOCITY_X);
            float[] magx = cube.readSlab(Field.B_X, 3, 1);
            for (int z = 0; z < NZ; z++) {
                for (int y = 0; y < NY; y++) {
                    for (int x = 0; x < NX; x++) {
                        int i = (int) m.shape().index(x, y, z);
                        assertEquals(x - y, velx[i], 1e-5, "cm/s -> km/s");
                        if (z == 1 || z == 2) {
                            int j = i - NX * NY;
                            assertEquals(density(x, y, z), dens[j], 1e-6 * density(x, y, z));
                        }
                        if (z == 3) {
                            assertEquals(3.5, magx[i - 3 * NX * NY], 1e-6, "G -> uG");
                        }
                    }
                }
            }
        }
        try (CubeReader cube = FitsCubeStore.open(
                file,
                FitsCubeStore.ForeignOptions.defaults()
                        .withCellSizePc(2.0)
                        .withRunId("mine")
                        .withPeriodic(true))) {
            assertEquals(2.0, cube.meta().cellSizePc(), "a configured cell size wins over CDELT");
            assertEquals("mine", cube.meta().runId());
            assertTrue(cube.meta().periodic());
        }
    }

    @Test
    void oneFilePerFieldWithADegenerateFourthAxis() throws Exception {
        // dens as the primary image of its file, with a STOKES-like NAXIS4 = 1
        Path dens = dir.resolve("run7_dens.fits");
        try (Fits fits = new Fits()) {
            float[][][][] a = {image(NX, NY, NZ, FitsCubeStoreForeignTest::density)};
            fits.addHDU(hdu(a, null, "g cm-3", null, 0));
            fits.write(dens.toFile());
        }
        Path velz = file("run7_velz.fits", hdu(image(NX, NY, NZ, (x, y, z) -> 1000.0 * z), null, "m/s", null, 0));
        Map<Field, Path> files = Map.of(Field.DENSITY, dens, Field.VELOCITY_Z, velz);
        try (CubeReader cube = FitsCubeStore.openFieldFiles(
                files, FitsCubeStore.ForeignOptions.defaults().withCellSizePc(0.5))) {
            assertEquals("run7_dens", cube.meta().runId());
            assertEquals(new GridShape(NX, NY, NZ), cube.meta().shape());
            float[] v = cube.readSlab(Field.VELOCITY_Z, 2, 2);
            assertEquals(2.0f, v[0], "m/s -> km/s");
            assertEquals(3.0f, v[v.length - 1]);
            float[] d = cube.readSlab(Field.DENSITY, 3, 1);
            assertEquals(density(5, 4, 3), d[d.length - 1], 1e-6 * density(5, 4, 3));
        }
        // without a configured cell size nor CDELT there is no cell size
        BadInputException e = assertThrows(
                BadInputException.class,
                () -> FitsCubeStore.openFieldFiles(files, FitsCubeStore.ForeignOptions.defaults()));
        assertNamesAll(e, "run7_dens.fits", "CDELT1", "cell size");
    }

    // ------------------------------------------------------------------ errors

    @Test
    void truncatedCube() throws Exception {
        Path file = dir.resolve("cube.fits");
        FitsCubeStore.write(file, FitsCubeStoreTest.cube(Map.of()));
        byte[] whole = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.fits");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 5000));
        assertNamesAll(
                assertThrows(BadInputException.class, () -> FitsCubeStore.open(cut)), cut.toString(), "truncated");
        // cut exactly where the last field's HDU starts: the file is valid FITS but the cube is incomplete
        // one field's HDU: a one-block header (under 36 cards) and 24*20*12 floats = 23040 bytes, 8 whole blocks
        long perField = 2880 + 23040;
        Path lost = dir.resolve("lost.fits");
        Files.write(lost, Arrays.copyOf(whole, (int) (whole.length - perField)));
        assertNamesAll(
                assertThrows(BadInputException.class, () -> FitsCubeStore.open(lost)),
                lost.toString(),
                "incomplete",
                "'temp'");
    }

    @Test
    void noHduIsAField() throws Exception {
        Path file = file("wrong.fits", hdu(image(NX, NY, NZ, (x, y, z) -> 1), "density", "g/cm3", null, 0));
        assertNamesAll(
                assertThrows(BadInputException.class, () -> FitsCubeStore.open(file)),
                file.toString(),
                "no image HDU has an EXTNAME that is a field key",
                "dens");
    }

    @Test
    void slabOutOfRangeOrAbsentField() throws Exception {
        Path file = dir.resolve("cube.fits");
        FitsCubeStore.write(file, FitsCubeStoreTest.cube(Map.of()));
        try (CubeReader cube = FitsCubeStore.open(file)) {
            IllegalArgumentException range =
                    assertThrows(IllegalArgumentException.class, () -> cube.readSlab(Field.DENSITY, 10, 5));
            assertTrue(range.getMessage().contains(file.toString()), range.getMessage());
            assertTrue(range.getMessage().contains("z=10..14 is outside 0..11"), range.getMessage());
        }
        try (CubeReader cube = FitsCubeStore.open(hduPerField())) {
            IllegalArgumentException absent =
                    assertThrows(IllegalArgumentException.class, () -> cube.readSlab(Field.B_Z, 0, 1));
            assertTrue(absent.getMessage().contains("hdus.fits"), absent.getMessage());
            assertTrue(absent.getMessage().contains("no field 'magz'"), absent.getMessage());
        }
    }

    @Test
    void unknownBunit() throws Exception {
        Path file = file(
                "furlongs.fits",
                hdu(image(NX, NY, NZ, (x, y, z) -> 1), "dens", "g/cm3", "pc", 1),
                hdu(image(NX, NY, NZ, (x, y, z) -> 1), "velx", "furlong/fortnight", "pc", 1));
        assertNamesAll(
                assertThrows(BadInputException.class, () -> FitsCubeStore.open(file)),
                file.toString(),
                "HDU 2",
                "unknown BUNIT 'furlong/fortnight'",
                "velx");
        // magnetic symbols are case-sensitive: MG would be megagauss, not milligauss
        Path mega = file("mega.fits", hdu(image(NX, NY, NZ, (x, y, z) -> 1), "magy", "MG", "pc", 1));
        assertNamesAll(assertThrows(BadInputException.class, () -> FitsCubeStore.open(mega)), mega.toString(), "'MG'");
    }

    @Test
    void fieldsOnDifferentGrids() throws Exception {
        Path dens = file("a_dens.fits", hdu(image(NX, NY, NZ, (x, y, z) -> 1), null, "g/cm3", "pc", 1));
        Path velx = file("b_velx.fits", hdu(image(NX, NY, NZ - 1, (x, y, z) -> 1), null, "km/s", "pc", 1));
        BadInputException e = assertThrows(
                BadInputException.class,
                () -> FitsCubeStore.openFieldFiles(
                        Map.of(Field.DENSITY, dens, Field.VELOCITY_X, velx), FitsCubeStore.ForeignOptions.defaults()));
        assertNamesAll(e, dens.toString(), velx.toString(), "6x5x3", "6x5x4", "one grid");

        Path one = file(
                "one.fits",
                hdu(image(NX, NY, NZ, (x, y, z) -> 1), "dens", "g/cm3", "pc", 1),
                hdu(image(NX, NY - 1, NZ, (x, y, z) -> 1), "vely", "km/s", "pc", 1));
        assertNamesAll(
                assertThrows(BadInputException.class, () -> FitsCubeStore.open(one)),
                one.toString(),
                "HDU 1",
                "HDU 2",
                "6x4x4");
    }

    private static void assertNamesAll(RuntimeException e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' missing from: " + e.getMessage());
        }
    }
}
