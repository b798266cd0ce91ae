package org.magmap.observe;

/**
 * The H I position-position-velocity cube: {@code channels} channels of width {@code channelWidthKmPerS}
 * starting at {@code firstEdgeKmPerS}, brightness temperature in K (see {@link HiEmission}). Stored channel
 * by channel (the velocity axis slowest, as FITS NAXIS3), each channel a map x fastest.
 */
public final class PpvCube implements LineOfSight.Accumulator {
    private final int pixels;
    private final int channels;
    private final double firstEdge;
    private final double width;
    private final double[] cube;
    private final HiEmission.SampleEmission emission;
    private final double[] column;

    public PpvCube(
            int pixels,
            int channels,
            double firstEdgeKmPerS,
            double channelWidthKmPerS,
            double massPerHydrogenAmu,
            double stepPc,
            double soundSpeedKmPerS) {
        if (channels < 1 || !(channelWidthKmPerS > 0)) {
            throw new IllegalArgumentException("need at least one channel of positive width");
        }
        this.pixels = pixels;
        this.channels = channels;
        this.firstEdge = firstEdgeKmPerS;
        this.width = channelWidthKmPerS;
        this.cube = new double[pixels * channels];
        this.column = new double[pixels];
        this.emission = new HiEmission.SampleEmission(massPerHydrogenAmu, stepPc, soundSpeedKmPerS);
    }

    @Override
    public void add(int pixel, LineOfSight.Sample s) {
        double n = emission.column(s);
        double sigma = emission.width(s);
        double u = s.velocity[2];
        column[pixel] += n;
        // Only channels within 8 sigma of the line centre receive anything measurable.
        int lo = Math.max(0, (int) Math.floor((u - 8 * sigma - firstEdge) / width));
        int hi = Math.min(channels - 1, (int) Math.floor((u + 8 * sigma - firstEdge) / width));
        if (hi < 0 || lo >= channels) {
            return;
        }
        double scale = n / HiEmission.COLUMN_PER_K_KM_S / width; // K: column per (K km/s) spread over the channel
        double previous = HiEmission.normalCdf((firstEdge + lo * width - u) / sigma);
        for (int k = lo; k <= hi; k++) {
            double next = HiEmission.normalCdf((firstEdge + (k + 1) * width - u) / sigma);
            cube[k * pixels + pixel] += scale * (next - previous);
            previous = next;
        }
    }

    /** The cube, channel-major, in K. */
    public float[] cube() {
        return Maps.toFloat(cube);
    }

    /** Hydrogen column density map, cm^-2 (all emission, inside the velocity range or not). */
    public float[] columnDensity() {
        return Maps.toFloat(column);
    }

    /** Centre velocity of channel k, km/s. */
    public double channelCentreKmPerS(int k) {
        return firstEdge + (k + 0.5) * width;
    }

    public int channels() {
        return channels;
    }
}
