package org.magmap.infer;

import java.io.Serializable;
import java.util.Locale;
import org.magmap.sky.SpectralAxis;

/**
 * A velocity window of a spectral cube, integrated into one channel map: a named range (the H I paper's LVC and
 * IVC windows, section 3.2) or one thin channel of a stepped series (its 2 km/s maps, section 4.3).
 *
 * @param name the window's name, used in file names and headers ({@code lvc}, {@code v+004.0})
 * @param lowKmPerS lower edge
 * @param highKmPerS upper edge
 */
public record VelocityWindow(String name, double lowKmPerS, double highKmPerS) implements Serializable {
    public VelocityWindow {
        if (!name.matches("[A-Za-z0-9_.+-]+")) {
            throw new IllegalArgumentException("window name '" + name + "' must be letters, digits and _ . + -");
        }
        if (!(highKmPerS > lowKmPerS)) {
            throw new IllegalArgumentException(
                    "window '" + name + "' needs low < high, got [" + lowKmPerS + ", " + highKmPerS + "] km/s");
        }
    }

    /** The window's width, km/s: the channel width the model is conditioned on. */
    public double widthKmPerS() {
        return highKmPerS - lowKmPerS;
    }

    /** The name of a thin channel centred on {@code centre}. */
    static String thinName(double centre) {
        return String.format(Locale.ROOT, "v%+06.1f", centre);
    }

    /**
     * The weight of each channel of {@code axis} in this window: the fraction of the channel's velocity width
     * inside the window times that width, km/s, so that the sum of T_B x weight is the window's integral in
     * K km/s (a channel cut by an edge counts in part). Channels outside carry 0.
     */
    public double[] channelWeights(SpectralAxis axis) {
        double[] w = new double[axis.channels()];
        for (int k = 0; k < w.length; k++) {
            double[] e = axis.channelEdges(k);
            double overlap = Math.min(e[1], highKmPerS) - Math.max(e[0], lowKmPerS);
            w[k] = Math.max(0, overlap);
        }
        return w;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s [%.2f, %.2f] km/s", name, lowKmPerS, highKmPerS);
    }
}
