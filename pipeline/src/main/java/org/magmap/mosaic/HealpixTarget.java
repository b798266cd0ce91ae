package org.magmap.mosaic;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.magmap.ops.BadInputException;
import org.magmap.sky.Healpix;
import org.magmap.sky.SkyFrames;

/**
 * A HEALPix target: the sky at one NSIDE, in RING or NESTED order, in the equatorial or galactic frame. The units
 * of work are the pixels of a coarser NESTED level (each holding up to 4^8 target pixels, contiguous in NESTED
 * order); an input reaches those whose disc meets its own. Only target pixels some input reaches are written: a
 * partial-sky map with explicit indices (the HEALPix FITS convention's INDXSCHM = EXPLICIT).
 */
public final class HealpixTarget implements SkyTarget {
    private static final long serialVersionUID = 1L;
    private static final int BLOCK_LEVELS = 8; // 4^8 = 65,536 target pixels a block

    private final long nside;
    private final Healpix.Ordering ordering;
    private final String frame;
    private final int blockOrder;

    /**
     * @throws BadInputException for an NSIDE that is not a power of 2 up to 2^29
     */
    public HealpixTarget(long nside, String ordering, String frame) {
        try {
            Healpix.check(nside);
            this.ordering = Healpix.Ordering.valueOf(ordering.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(
                    "magmap.mosaic.healpix",
                    e.getMessage().startsWith("NSIDE")
                            ? e.getMessage()
                            : "ordering must be RING or NESTED, got '" + ordering + "'");
        }
        this.nside = nside;
        this.frame = frame;
        this.blockOrder = Math.max(0, Healpix.order(nside) - BLOCK_LEVELS);
    }

    public long nside() {
        return nside;
    }

    public Healpix.Ordering ordering() {
        return ordering;
    }

    @Override
    public String frame() {
        return frame;
    }

    private long blockNside() {
        return 1L << blockOrder;
    }

    /** Target pixels per block. */
    public long pixelsPerBlock() {
        return perBlock();
    }

    private long perBlock() {
        long f = nside / blockNside();
        return f * f;
    }

    @Override
    public List<int[]> blocks() {
        List<int[]> out = new ArrayList<>();
        for (int b = 0; b < Healpix.pixels(blockNside()); b++) {
            out.add(new int[] {b, b + 1, 0, 1});
        }
        return out;
    }

    @Override
    public boolean[] reached(MosaicInput in, List<int[]> blocks) {
        // The input's disc: its centre and its farthest outline sample, in the target frame.
        SkyFrames.Frame from = SkyFrames.Frame.of(in.wcs().frame());
        SkyFrames.Frame to = SkyFrames.Frame.of(frame);
        double[] c = in.wcs().pixelToWorld((in.nx() - 1) / 2.0, (in.ny() - 1) / 2.0);
        double[] centre = SkyFrames.convert(from, to, c[0], c[1]);
        double radius = 0;
        for (double[] p : in.outlineSky()) {
            double[] t = SkyFrames.convert(from, to, p[0], p[1]);
            radius = Math.max(radius, distanceDeg(centre[0], centre[1], t[0], t[1]));
        }
        double reach = radius + Healpix.maxRadiusDeg(blockNside()) + Healpix.resolutionDeg(nside);
        boolean[] out = new boolean[blocks.size()];
        for (int k = 0; k < out.length; k++) {
            double[] b = Healpix.centre(blockNside(), Healpix.Ordering.NESTED, blocks.get(k)[0]);
            out[k] = distanceDeg(centre[0], centre[1], b[0], b[1]) <= reach;
        }
        return out;
    }

    /** The first target pixel (NESTED) of a block. */
    private long firstPixel(int[] block) {
        return block[0] * perBlock();
    }

    @Override
    public double[][] positions(int[] block) {
        int n = (int) perBlock();
        double[][] out = new double[2][n];
        long first = firstPixel(block);
        for (int p = 0; p < n; p++) {
            double[] c = Healpix.centre(nside, Healpix.Ordering.NESTED, first + p);
            out[0][p] = c[0];
            out[1][p] = c[1];
        }
        return out;
    }

    /**
     * A block file here is its reached pixels only: their count, their indices in the target ordering (int64),
     * then each map's values at them (float32), map after map.
     */
    @Override
    public long writeBlock(Path file, int[] block, float[][] coAdded) throws IOException {
        float[] count = coAdded[coAdded.length - 1];
        List<Integer> reached = new ArrayList<>();
        for (int p = 0; p < count.length; p++) {
            if (count[p] > 0) {
                reached.add(p);
            }
        }
        long first = firstPixel(block);
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(reached.size());
            for (int p : reached) {
                long nested = first + p;
                out.writeLong(ordering == Healpix.Ordering.NESTED ? nested : Healpix.nestedToRing(nside, nested));
            }
            for (float[] map : coAdded) {
                for (int p : reached) {
                    out.writeFloat(map[p]);
                }
            }
        }
        return reached.size();
    }

    /** The COORDSYS card's value: C (celestial, equatorial) or G (galactic). */
    public String coordsys() {
        return frame.equals("galactic") ? "G" : "C";
    }

    @Override
    public String describe() {
        return String.format(
                Locale.ROOT,
                "HEALPix NSIDE %d %s, %s, %.4g arcmin pixels, blocks of %,d",
                nside,
                ordering,
                frame,
                Healpix.resolutionDeg(nside) * 60,
                perBlock());
    }

    static double distanceDeg(double lon1, double lat1, double lon2, double lat2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double s = Math.sin((p2 - p1) / 2);
        double t = Math.sin(Math.toRadians(lon2 - lon1) / 2);
        return Math.toDegrees(2 * Math.asin(Math.min(1, Math.sqrt(s * s + Math.cos(p1) * Math.cos(p2) * t * t))));
    }
}
