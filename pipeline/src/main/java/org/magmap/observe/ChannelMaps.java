package org.magmap.observe;

import java.util.List;

/**
 * Thin velocity-channel maps (H I paper): for each window of width dv centred at v_c, the brightness integrated
 * over the window, {@code integral T_B dv} in K km/s. A window narrower than the turbulent dispersion makes the
 * map dominated by velocity caustics (the paper uses dv = 2 km/s).
 */
public final class ChannelMaps implements LineOfSight.Accumulator {
    /** A velocity window. */
    public record Window(double centreKmPerS, double widthKmPerS) implements java.io.Serializable {
        public Window {
            if (!(widthKmPerS > 0)) {
                throw new IllegalArgumentException("channel width must be positive, got " + widthKmPerS);
            }
        }
    }

    private final List<Window> windows;
    private final double[][] maps;
    private final HiEmission.SampleEmission emission;

    public ChannelMaps(
            int pixels, List<Window> windows, double massPerHydrogenAmu, double stepPc, double soundSpeedKmPerS) {
        this.windows = List.copyOf(windows);
        this.maps = new double[windows.size()][pixels];
        this.emission = new HiEmission.SampleEmission(massPerHydrogenAmu, stepPc, soundSpeedKmPerS);
    }

    @Override
    public void add(int pixel, LineOfSight.Sample s) {
        double n = emission.column(s) / HiEmission.COLUMN_PER_K_KM_S;
        double sigma = emission.width(s);
        double u = s.velocity[2];
        for (int w = 0; w < maps.length; w++) {
            Window win = windows.get(w);
            double lo = (win.centreKmPerS() - win.widthKmPerS() / 2 - u) / sigma;
            double hi = (win.centreKmPerS() + win.widthKmPerS() / 2 - u) / sigma;
            if (lo > 8 || hi < -8) {
                continue;
            }
            maps[w][pixel] += n * (HiEmission.normalCdf(hi) - HiEmission.normalCdf(lo));
        }
    }

    /** Map {@code w}, K km/s. */
    public float[] map(int w) {
        return Maps.toFloat(maps[w]);
    }

    public List<Window> windows() {
        return windows;
    }
}
