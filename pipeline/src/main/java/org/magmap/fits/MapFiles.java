package org.magmap.fits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Files of 2D maps (and the odd small cube) as FITS: an empty primary HDU carrying provenance, then one float32
 * image extension per map with EXTNAME, BUNIT, a one-line description and a linear pixel coordinate system in
 * parsec (CTYPEn = 'X', 'Y', CDELTn = cell size, the map centre at 0). Written to a temporary name in the same
 * directory and renamed into place, so a file under its final name is always complete.
 */
public final class MapFiles {
    private MapFiles() {}

    /**
     * One image.
     *
     * @param extname FITS EXTNAME
     * @param unit FITS BUNIT ("" for dimensionless)
     * @param description one line for the header
     * @param shape axis lengths in FITS order (x first)
     * @param data values, x fastest
     */
    public record Image(String extname, String unit, String description, int[] shape, float[] data) {}

    /**
     * Writes the images.
     *
     * @param primary provenance cards for the primary header
     * @param pixelSizePc pixel size in pc for the linear coordinate system (NaN: none written)
     */
    public static void write(Path file, FitsCards primary, List<Image> images, double pixelSizePc) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".partial");
        boolean moved = false;
        try {
            try (FitsImageWriter w = FitsImageWriter.create(tmp)) {
                w.writeEmptyPrimary(primary);
                for (Image im : images) {
                    FitsCards cards = new FitsCards().add("BUNIT", im.unit(), "unit of the values");
                    if (im.description() != null && !im.description().isBlank()) {
                        cards.add("DESCRIP", im.description(), "what this image is");
                    }
                    if (Double.isFinite(pixelSizePc)) {
                        String[] names = {"X", "Y", "Z"};
                        for (int a = 0; a < Math.min(2, im.shape().length); a++) {
                            int n = a + 1;
                            cards.add("CTYPE" + n, names[a], "linear offset from the map centre");
                            cards.add("CUNIT" + n, "pc", null);
                            cards.add("CRPIX" + n, (im.shape()[a] + 1) / 2.0, "reference pixel: the centre");
                            cards.add("CRVAL" + n, 0.0, null);
                            cards.add("CDELT" + n, pixelSizePc, "pixel size in pc");
                        }
                    }
                    w.beginImage(im.extname(), im.shape(), cards);
                    w.write(im.data());
                    w.endImage();
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** The primary header of a map file (provenance keywords). */
    public static nom.tam.fits.Header primaryHeader(Path file) throws IOException {
        try (FitsImageReader r = FitsImageReader.open(file)) {
            return r.primaryHeader();
        }
    }

    /** Reads every image extension of a map file (maps are small: read whole). */
    public static List<Image> read(Path file) throws IOException {
        List<Image> out = new ArrayList<>();
        try (FitsImageReader r = FitsImageReader.open(file)) {
            for (FitsImage im : r.images()) {
                if (im.size() == 0) {
                    continue;
                }
                String description = FitsCards.stringValue(im.header(), "DESCRIP");
                out.add(new Image(im.extname(), im.unit(), description, im.shape(), im.readAll()));
            }
        }
        return out;
    }
}
