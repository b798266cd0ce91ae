package org.magmap.sky;

import java.io.Serializable;
import java.util.Locale;
import nom.tam.fits.Header;
import org.magmap.fits.FitsCards;

/**
 * The spectral axis of a cube as line-of-sight velocity in km/s per channel (Greisen et al. 2006, "Paper III").
 * Velocity axes linear in velocity (VRAD, VELO, VELO-LSR/-HEL/..., VOPT, FELO and their -LSR/-HEL forms) map
 * channel to velocity directly; a frequency axis (FREQ) becomes radio velocity {@code v = c (1 - f / f0)} with
 * the rest frequency RESTFRQ (or RESTFREQ); {@code VOPT-F2W} and {@code FELO-F2W} are optical velocity sampled
 * linearly in frequency (Paper III table 3), {@code v = c (f0 / f - 1)}. Units from CUNIT (m/s and km/s, Hz to
 * GHz), or the standard's defaults (m/s, Hz). Negative CDELT and a reference pixel outside the cube are fine.
 */
public final class SpectralAxis implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The speed of light, km/s. */
    public static final double C_KM_S = 299_792.458;

    private final int axis;
    private final int channels;
    private final String type;
    private final double crpix;
    private final double crval; // km/s for velocity axes, Hz for FREQ
    private final double cdelt;
    private final double restFrequencyHz;
    private final boolean frequencyLinearOptical;
    private final boolean frequency;

    private SpectralAxis(
            int axis,
            int channels,
            String type,
            double crpix,
            double crval,
            double cdelt,
            double restFrequencyHz,
            boolean frequency,
            boolean frequencyLinearOptical) {
        this.axis = axis;
        this.channels = channels;
        this.type = type;
        this.crpix = crpix;
        this.crval = crval;
        this.cdelt = cdelt;
        this.restFrequencyHz = restFrequencyHz;
        this.frequency = frequency;
        this.frequencyLinearOptical = frequencyLinearOptical;
    }

    /**
     * The spectral axis of a header.
     *
     * @param source the file, for messages
     * @throws IllegalArgumentException naming the file and the card if there is no usable spectral axis
     */
    public static SpectralAxis of(Header h, String source) {
        int naxis = h.getIntValue("NAXIS", 0);
        for (int i = 3; i <= naxis; i++) {
            String t = FitsCards.stringValue(h, "CTYPE" + i);
            if (t == null) {
                continue;
            }
            String type = t.strip().toUpperCase(Locale.ROOT);
            String head = type.length() >= 4 ? type.substring(0, 4) : type;
            if (!java.util.Set.of("VRAD", "VELO", "VOPT", "FELO", "FREQ").contains(head)) {
                continue;
            }
            int n = h.getIntValue("NAXIS" + i, 0);
            double crpix = FitsCards.doubleValue(h, "CRPIX" + i, 1);
            double crval = FitsCards.doubleValue(h, "CRVAL" + i, 0);
            double cdelt = FitsCards.doubleValue(h, "CDELT" + i, Double.NaN);
            if (!(cdelt != 0) || Double.isNaN(cdelt)) {
                throw new IllegalArgumentException(
                        source + ": CDELT" + i + " of the spectral axis " + type + " is missing or zero");
            }
            String unit = FitsCards.stringValue(h, "CUNIT" + i);
            String u = unit == null ? "" : unit.strip().toLowerCase(Locale.ROOT).replace(" ", "");
            boolean freq = head.equals("FREQ");
            boolean f2w = type.endsWith("-F2W");
            double rest = FitsCards.doubleValue(h, "RESTFRQ", FitsCards.doubleValue(h, "RESTFREQ", Double.NaN));
            if (freq || f2w) {
                if (!(rest > 0)) {
                    throw new IllegalArgumentException(
                            source + ": the spectral axis is " + type + " but RESTFRQ/RESTFREQ is missing");
                }
            }
            double scale;
            if (freq) {
                scale = switch (u) {
                    case "", "hz" -> 1;
                    case "khz" -> 1e3;
                    case "mhz" -> 1e6;
                    case "ghz" -> 1e9;
                    default -> throw new IllegalArgumentException(
                            source + ": CUNIT" + i + " = '" + unit + "' is not a frequency unit");
                };
            } else {
                scale = switch (u) {
                    case "", "m/s", "ms-1", "m.s-1", "m/sec" -> 1e-3;
                    case "km/s", "kms-1", "km.s-1", "km/sec" -> 1;
                    default -> throw new IllegalArgumentException(
                            source + ": CUNIT" + i + " = '" + unit + "' is not a velocity unit");
                };
            }
            if (f2w) {
                // Optical velocity at the reference, sampled linearly in frequency: the frequency step follows
                // from dv/df = -c f0 / f^2 at the reference (Paper III eq. 13 and table 3).
                double vRef = crval * scale;
                double fRef = rest / (1 + vRef / C_KM_S);
                double df = -(cdelt * scale) * fRef * fRef / (C_KM_S * rest);
                return new SpectralAxis(i, n, type, crpix, fRef, df, rest, true, true);
            }
            return new SpectralAxis(i, n, type, crpix, crval * scale, cdelt * scale, rest, freq, false);
        }
        throw new IllegalArgumentException(source + ": no spectral axis (CTYPE3/CTYPE4 VRAD, VELO, VOPT, FELO or"
                + " FREQ); an H I model needs a cube with one");
    }

    /** The FITS axis number (3 or 4). */
    public int axis() {
        return axis;
    }

    public int channels() {
        return channels;
    }

    /** The CTYPE as given. */
    public String type() {
        return type;
    }

    /** Velocity (km/s) at a fractional 0-based channel coordinate; channel centres are whole numbers. */
    public double velocity(double channel) {
        double world = crval + cdelt * (channel + 1 - crpix);
        if (frequencyLinearOptical) {
            return C_KM_S * (restFrequencyHz / world - 1);
        }
        if (frequency) {
            return C_KM_S * (1 - world / restFrequencyHz);
        }
        return world;
    }

    /** The velocity interval a channel covers, km/s: its lower and upper edge. */
    public double[] channelEdges(int channel) {
        double a = velocity(channel - 0.5);
        double b = velocity(channel + 0.5);
        return new double[] {Math.min(a, b), Math.max(a, b)};
    }

    /** The range of velocities the cube covers, km/s (lower, upper edge). */
    public double[] range() {
        double[] first = channelEdges(0);
        double[] last = channelEdges(channels - 1);
        return new double[] {Math.min(first[0], last[0]), Math.max(first[1], last[1])};
    }

    @Override
    public String toString() {
        double[] r = range();
        return String.format(
                Locale.ROOT, "%s axis %d, %d channels, %.3f to %.3f km/s", type, axis, channels, r[0], r[1]);
    }
}
