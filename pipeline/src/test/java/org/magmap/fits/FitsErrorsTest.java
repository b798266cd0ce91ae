package org.magmap.fits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.conf.RepoPaths;
import org.magmap.ops.BadInputException;

/** Every error a user can cause names the file and says what is wrong. */
class FitsErrorsTest {
    @TempDir
    Path dir;

    private static void assertNames(BadInputException e, Path file, String... words) {
        assertEquals(file.toString(), e.source());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' missing from: " + e.getMessage());
        }
    }

    /** A valid two-extension file: 'a' is 10x8x6 floats, 'b' a 4x4 map. */
    private Path twoImages() throws Exception {
        Path file = dir.resolve("two.fits");
        try (FitsImageWriter w = FitsImageWriter.create(file)) {
            w.writeEmptyPrimary(new FitsCards());
            w.beginImage("a", new int[] {10, 8, 6}, new FitsCards());
            w.write(new float[10 * 8 * 6]);
            w.endImage();
            w.beginImage("b", new int[] {4, 4}, new FitsCards());
            w.write(new float[16]);
            w.endImage();
        }
        return file;
    }

    @Test
    void notAFitsFile() throws Exception {
        Path text = dir.resolve("notes.fits");
        Files.writeString(text, "these are my notes, not an image\n".repeat(100));
        assertNames(assertThrows(BadInputException.class, () -> FitsImageReader.open(text)), text, "not a FITS file");
        Path empty = Files.createFile(dir.resolve("empty.fits"));
        assertNames(assertThrows(BadInputException.class, () -> FitsImageReader.open(empty)), empty, "empty");
        Path missing = dir.resolve("missing.fits");
        assertNames(
                assertThrows(BadInputException.class, () -> FitsImageReader.open(missing)), missing, "no such file");
    }

    @Test
    void truncatedInTheDataOrInAHeader() throws Exception {
        byte[] whole = Files.readAllBytes(twoImages());
        // primary header 2880 + 'a' header 2880 + 'a' data 1920 B (padded to 2880) + 'b' header 2880 + 'b' data
        Path inData = dir.resolve("cut-in-data.fits");
        Files.write(inData, Arrays.copyOf(whole, 2880 * 2 + 1000));
        assertNames(
                assertThrows(BadInputException.class, () -> FitsImageReader.open(inData)),
                inData,
                "truncated",
                "HDU 1",
                "'a'");
        Path inHeader = dir.resolve("cut-in-header.fits");
        Files.write(inHeader, Arrays.copyOf(whole, 2880 * 3 + 400));
        assertNames(
                assertThrows(BadInputException.class, () -> FitsImageReader.open(inHeader)),
                inHeader,
                "truncated",
                "HDU 2");
        Path real = RepoPaths.realData().resolve("ngc6946.fits");
        Path shortReal = dir.resolve("ngc6946-short.fits");
        Files.write(shortReal, Arrays.copyOf(Files.readAllBytes(real), 100_000));
        assertNames(
                assertThrows(BadInputException.class, () -> FitsImageReader.open(shortReal)),
                shortReal,
                "truncated",
                "HDU 0");
    }

    @Test
    void missingHduOrExtname() throws Exception {
        Path file = twoImages();
        try (FitsImageReader fits = FitsImageReader.open(file)) {
            assertNames(assertThrows(BadInputException.class, () -> fits.image("velx")), file, "'velx'", "'a'", "'b'");
            assertNames(assertThrows(BadInputException.class, () -> fits.image(7)), file, "no HDU 7");
            assertNames(assertThrows(BadInputException.class, () -> fits.image(0)), file, "HDU 0", "no image data");
            assertEquals(1, fits.image("A").hduIndex(), "EXTNAME matches in any case");
        }
    }

    @Test
    void blockOutOfRange() throws Exception {
        Path file = twoImages();
        try (FitsImageReader fits = FitsImageReader.open(file)) {
            FitsImage a = fits.image("a");
            assertNames(assertThrows(BadInputException.class, () -> a.readPlanes(4, 3)), file, "'a'", "outside");
            assertNames(assertThrows(BadInputException.class, () -> a.readPlanes(-1, 1)), file, "outside");
            assertNames(
                    assertThrows(BadInputException.class, () -> a.readTile(new int[] {8, 0, 0}, new int[] {3, 1, 1})),
                    file,
                    "NAXIS1 = 10");
            // a 2-D map read as a one-plane cube is fine; a second plane is not
            FitsImage b = fits.image("b");
            assertEquals(16, b.readTile(new int[] {0, 0, 0}, new int[] {4, 4, 1}).length);
            assertNames(
                    assertThrows(BadInputException.class, () -> b.readTile(new int[] {0, 0, 0}, new int[] {4, 4, 2})),
                    file,
                    "'b'",
                    "outside");
        }
    }
}
