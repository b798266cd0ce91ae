package org.magmap.infer;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import nom.tam.fits.Header;
import org.magmap.fits.FitsCards;
import org.magmap.fits.FitsImage;
import org.magmap.fits.FitsImageReader;
import org.magmap.ops.BadInputException;
import org.magmap.sky.CelestialWcs;
import org.magmap.sky.SpectralAxis;

/**
 * One input file as the driver sees it from its headers alone: where its image data is, the map size, its sky
 * and spectral coordinates, and per window the channels it integrates. Small and serializable: executors get
 * this and read their own blocks.
 *
 * @param file the file (any Hadoop path)
 * @param stem the name outputs are called by (the file name without .fits)
 * @param hdu the HDU holding the image data (the primary, or the first image extension)
 * @param nx pixels along NAXIS1
 * @param ny pixels along NAXIS2
 * @param wcs the celestial coordinates
 * @param spectral the spectral axis; null for a 2D image
 * @param windows the windows this file is mapped in (one "image" pseudo-window for a 2D image)
 * @param channelWeights per window, km/s per channel (the window's share of each channel's width)
 * @param firstChannel per window, the first channel with weight
 * @param channelCount per window, how many channels from the first
 * @param beamFwhmPixels the beam FWHM in pixels from BMAJ and BMIN (0 when the header has none)
 * @param unit the data's BUNIT ("" when absent)
 */
public record InferInput(
        String file,
        String stem,
        int hdu,
        int nx,
        int ny,
        CelestialWcs wcs,
        SpectralAxis spectral,
        List<VelocityWindow> windows,
        List<double[]> channelWeights,
        int[] firstChannel,
        int[] channelCount,
        double beamFwhmPixels,
        String unit)
        implements Serializable {

    /** The pseudo-window of a 2D image. */
    public static final String IMAGE = "image";

    /**
     * Reads and checks the headers of one input.
     *
     * @param local a local copy (or the file itself) to read headers from
     * @param spectralModel whether the model reads H I channel maps (it needs a cube with a spectral axis)
     * @param tileSize the model's input size: a smaller map is refused
     * @throws BadInputException naming the file and the problem
     */
    public static InferInput read(
            String file, Path local, boolean spectralModel, int tileSize, List<VelocityWindow> windows)
            throws IOException {
        try (FitsImageReader fits = FitsImageReader.open(local)) {
            int hdu = -1;
            for (int i = 0; i < fits.hduCount(); i++) {
                Header h = fits.header(i);
                if (h.getIntValue("NAXIS", 0) >= 2
                        && h.getIntValue("NAXIS1", 0) > 0
                        && h.getIntValue("NAXIS2", 0) > 0) {
                    hdu = i;
                    break;
                }
            }
            if (hdu < 0) {
                throw new BadInputException(file, "has no image HDU with data (NAXIS >= 2)");
            }
            FitsImage image = fits.image(hdu);
            Header h = image.header();
            int[] shape = image.shape();
            int nx = shape[0];
            int ny = shape[1];
            int planes = 1;
            for (int k = 2; k < shape.length; k++) {
                planes *= shape[k];
            }
            CelestialWcs wcs;
            try {
                wcs = CelestialWcs.of(h, file);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(file, stripSource(e.getMessage(), file), e);
            }
            if (nx < tileSize || ny < tileSize) {
                throw new BadInputException(
                        file,
                        "is " + nx + " x " + ny + " pixels, smaller than the model's " + tileSize + " x " + tileSize
                                + " tile");
            }
            double beam = beamPixels(h, wcs);
            String unit = FitsCards.stringValue(h, "BUNIT");
            String stem = new org.apache.hadoop.fs.Path(file).getName().replaceFirst("(?i)\\.fits?(\\.gz)?$", "");
            if (!spectralModel) {
                if (planes > 1) {
                    throw new BadInputException(
                            file,
                            "is a cube of " + planes + " planes, but the model reads a 2D"
                                    + " image (a synchrotron map): give it a 2D image");
                }
                return new InferInput(
                        file,
                        stem,
                        hdu,
                        nx,
                        ny,
                        wcs,
                        null,
                        List.of(new VelocityWindow(IMAGE, -1, 1)),
                        List.of(new double[] {1}),
                        new int[] {0},
                        new int[] {1},
                        beam,
                        unit == null ? "" : unit);
            }
            SpectralAxis spectral;
            try {
                spectral = SpectralAxis.of(h, file);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(file, stripSource(e.getMessage(), file), e);
            }
            if (spectral.axis() != 3) {
                throw new BadInputException(
                        file,
                        "its spectral axis is axis " + spectral.axis()
                                + "; magmap reads cubes whose third axis is the spectrum");
            }
            if (windows.isEmpty()) {
                throw new BadInputException(
                        "magmap.infer.windows",
                        "no velocity windows or thin channels are set, so " + file + " (" + spectral
                                + ") has nothing to map");
            }
            List<double[]> weights = new ArrayList<>();
            int[] first = new int[windows.size()];
            int[] count = new int[windows.size()];
            for (int w = 0; w < windows.size(); w++) {
                double[] cw = windows.get(w).channelWeights(spectral);
                int lo = -1;
                int hi = -1;
                for (int k = 0; k < cw.length; k++) {
                    if (cw[k] > 0) {
                        lo = lo < 0 ? k : lo;
                        hi = k;
                    }
                }
                if (lo < 0) {
                    throw new BadInputException(
                            file,
                            "window " + windows.get(w) + " is outside the cube's velocity" + " range (" + spectral
                                    + ")");
                }
                first[w] = lo;
                count[w] = hi - lo + 1;
                weights.add(java.util.Arrays.copyOfRange(cw, lo, hi + 1));
            }
            return new InferInput(
                    file,
                    stem,
                    hdu,
                    nx,
                    ny,
                    wcs,
                    spectral,
                    windows,
                    weights,
                    first,
                    count,
                    beam,
                    unit == null ? "" : unit);
        }
    }

    private static String stripSource(String message, String file) {
        return message.startsWith(file + ": ") ? message.substring(file.length() + 2) : message;
    }

    /** The beam FWHM in pixels: the geometric mean of BMAJ and BMIN over the pixel size; 0 without BMAJ. */
    static double beamPixels(Header h, CelestialWcs wcs) {
        double bmaj = FitsCards.doubleValue(h, "BMAJ", Double.NaN);
        double bmin = FitsCards.doubleValue(h, "BMIN", bmaj);
        if (!(bmaj > 0)) {
            return 0;
        }
        return Math.sqrt(bmaj * bmin) / wcs.pixelScaleDeg();
    }

    /**
     * The conditioning vector of a window, in {@link org.magmap.batch.Conditions#COLUMNS} order: the window's
     * width (0 for a 2D image, as a synchrotron patch conditions), the beam (from the header unless set in
     * config) and the configured noise ratio.
     */
    public float[] conditions(int window, InferSettings settings) {
        return new float[] {
            spectral == null ? 0f : (float) windows.get(window).widthKmPerS(),
            (float) (settings.beamFwhmPixels() >= 0 ? settings.beamFwhmPixels() : beamFwhmPixels),
            (float) settings.noiseRatio()
        };
    }

    /**
     * The conditions of a window that fall outside what the model was trained on, one phrase each ("beam_fwhm_px
     * 3.6 outside the training range [0, 0]"); empty when all are inside, or the card records no ranges.
     */
    public List<String> conditionsOutside(int window, InferSettings settings, Map<String, double[]> ranges) {
        List<String> out = new ArrayList<>();
        float[] c = conditions(window, settings);
        List<String> columns = org.magmap.batch.Conditions.COLUMNS;
        for (int i = 0; i < columns.size(); i++) {
            double[] r = ranges.get(columns.get(i));
            if (r == null) {
                continue;
            }
            double slack = 1e-6 * Math.max(1, Math.abs(r[1]));
            if (c[i] < r[0] - slack || c[i] > r[1] + slack) {
                out.add(columns.get(i) + " " + sig3(c[i]) + " outside the training range [" + sig3(r[0]) + ", "
                        + sig3(r[1]) + "]");
            }
        }
        return out;
    }

    private static String sig3(double v) {
        return new java.math.BigDecimal(v)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }

    /** One line for logs. */
    public String describe() {
        return String.format(
                Locale.ROOT,
                "%s: %d x %d, %s %s%s, beam %.2f px",
                file,
                nx,
                ny,
                wcs.projection(),
                wcs.frame(),
                spectral == null ? ", 2D image" : ", " + spectral,
                beamFwhmPixels);
    }
}
