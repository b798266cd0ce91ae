package org.magmap.mosaic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.magmap.fits.FitsCards;
import org.magmap.ops.BadInputException;
import org.magmap.ops.BlockFiles;
import org.magmap.sky.CelestialWcs;
import org.magmap.sky.SkyFrames;

/**
 * The sky grid a mosaic is made on: a celestial WCS (north up, east to the left, square pixels) and its size,
 * given in config or fitted to cover the inputs. Cylindrical grids (CAR, MER, SFL) keep the equator as their
 * reference latitude, so parallels stay rows; zenithal ones are centred on the grid's centre.
 */
public final class TargetGrid implements SkyTarget {
    private static final long serialVersionUID = 1L;

    private final int nx;
    private final int ny;
    private final String frame;
    private final String projection;
    private final double crval1;
    private final double crval2;
    private final double crpix1;
    private final double crpix2;
    private final double pixelDeg;
    private final CelestialWcs wcs;
    private int blockPixels = 256;

    private TargetGrid(
            int nx,
            int ny,
            String frame,
            String projection,
            double crval1,
            double crval2,
            double crpix1,
            double crpix2,
            double pixelDeg) {
        this.nx = nx;
        this.ny = ny;
        this.frame = frame;
        this.projection = projection;
        this.crval1 = crval1;
        this.crval2 = crval2;
        this.crpix1 = crpix1;
        this.crpix2 = crpix2;
        this.pixelDeg = pixelDeg;
        this.wcs = CelestialWcs.of(cards().toHeader(), "magmap.mosaic.grid");
    }

    private static boolean cylindrical(String projection) {
        return List.of("CAR", "MER", "SFL").contains(projection);
    }

    /**
     * A grid centred on (lon, lat): zenithal and AIT grids take the centre as their reference point; cylindrical
     * ones take (lon, 0) and place the centre at the grid's middle by their reference pixel.
     */
    static TargetGrid centred(
            String frame, String projection, double lon, double lat, double pixelDeg, int nx, int ny) {
        double cx = (nx + 1) / 2.0;
        double cy = (ny + 1) / 2.0;
        if (!cylindrical(projection)) {
            return new TargetGrid(nx, ny, frame, projection, lon, lat, cx, cy, pixelDeg);
        }
        TargetGrid equator = new TargetGrid(1, 1, frame, projection, lon, 0, 1, 1, pixelDeg);
        double[] p = equator.wcs.worldToPixel(lon, lat); // 0-based pixel of the centre with CRPIX2 = 1
        return new TargetGrid(nx, ny, frame, projection, lon, 0, cx, cy - p[1], pixelDeg);
    }

    /**
     * The target grid of a run: from config, or fitted to cover every input (pixel size: the finest input's,
     * unless given).
     *
     * @throws BadInputException for a grid with more pixels than {@code max-pixels}, or one wider than the sky
     */
    public static TargetGrid of(MosaicSettings s, List<MosaicInput> inputs) {
        SkyFrames.Frame target = SkyFrames.Frame.of(s.frame());
        double pixelDeg = s.pixelArcmin() > 0
                ? s.pixelArcmin() / 60
                : inputs.stream()
                        .mapToDouble(in -> in.wcs().pixelScaleDeg())
                        .min()
                        .orElseThrow();
        double lon;
        double lat;
        if (!s.center().isEmpty()) {
            lon = s.center().get(0);
            lat = s.center().get(1);
        } else {
            double[] v = new double[3];
            for (MosaicInput in : inputs) {
                double[] c = toFrame(in, target, in.wcs().pixelToWorld((in.nx() - 1) / 2.0, (in.ny() - 1) / 2.0));
                double cl = Math.toRadians(c[1]);
                v[0] += Math.cos(cl) * Math.cos(Math.toRadians(c[0]));
                v[1] += Math.cos(cl) * Math.sin(Math.toRadians(c[0]));
                v[2] += Math.sin(cl);
            }
            lon = ((Math.toDegrees(Math.atan2(v[1], v[0])) % 360) + 360) % 360;
            lat = Math.toDegrees(Math.atan2(v[2], Math.hypot(v[0], v[1])));
        }
        TargetGrid grid;
        if (!s.fitted()) {
            grid = checked(s, pixelDeg, s.size().get(0), s.size().get(1));
            grid = centred(s.frame(), s.projection(), lon, lat, pixelDeg, grid.nx, grid.ny);
        } else {
            TargetGrid probe = centred(s.frame(), s.projection(), lon, lat, pixelDeg, 1, 1);
            double[] box = {
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
            };
            for (MosaicInput in : inputs) {
                for (double[] p : probe.outline(in)) {
                    box[0] = Math.min(box[0], p[0]);
                    box[1] = Math.max(box[1], p[0]);
                    box[2] = Math.min(box[2], p[1]);
                    box[3] = Math.max(box[3], p[1]);
                }
            }
            if (!(box[1] >= box[0])) {
                throw new BadInputException(
                        "magmap.mosaic.grid",
                        "no input falls on a " + s.projection() + " grid about " + lon + ", " + lat);
            }
            // The pixel centres from the lowest to the highest sample, rounded outwards.
            long fx = (long) Math.ceil(box[1] + 0.5) - (long) Math.floor(box[0] + 0.5);
            long fy = (long) Math.ceil(box[3] + 0.5) - (long) Math.floor(box[2] + 0.5);
            checked(s, pixelDeg, fx, fy);
            double shiftX = Math.floor(box[0] + 0.5);
            double shiftY = Math.floor(box[2] + 0.5);
            grid = new TargetGrid(
                    (int) fx,
                    (int) fy,
                    s.frame(),
                    s.projection(),
                    probe.crval1,
                    probe.crval2,
                    probe.crpix1 - shiftX,
                    probe.crpix2 - shiftY,
                    pixelDeg);
        }
        return grid.withBlocks(s.blockPixels());
    }

    private static TargetGrid checked(MosaicSettings s, double pixelDeg, long nx, long ny) {
        String size = String.format(Locale.ROOT, "%,d x %,d pixels of %.4g arcmin", nx, ny, pixelDeg * 60);
        if (nx * pixelDeg > 360 + pixelDeg || ny * pixelDeg > 360 + pixelDeg) {
            throw new BadInputException("magmap.mosaic.grid", "the target grid is " + size + ", wider than the sky");
        }
        if (nx * ny > s.maxPixels()) {
            throw new BadInputException(
                    "magmap.mosaic.grid",
                    String.format(
                            Locale.ROOT,
                            "the target grid is %s (%,d pixels), more than magmap.mosaic.max-pixels = %,d",
                            size,
                            nx * ny,
                            s.maxPixels()));
        }
        return new TargetGrid((int) nx, (int) ny, s.frame(), s.projection(), 0, 0, 1, 1, pixelDeg);
    }

    /** A sky position of an input's frame in the target frame. */
    private static double[] toFrame(MosaicInput in, SkyFrames.Frame target, double[] lonLat) {
        SkyFrames.Frame from = SkyFrames.Frame.of(in.wcs().frame());
        return SkyFrames.convert(from, target, lonLat[0], lonLat[1]);
    }

    /** An input's outline ({@link MosaicInput#outlineSky}) as 0-based target pixel coordinates. */
    List<double[]> outline(MosaicInput in) {
        SkyFrames.Frame from = SkyFrames.Frame.of(in.wcs().frame());
        SkyFrames.Frame to = SkyFrames.Frame.of(frame);
        List<double[]> out = new ArrayList<>();
        for (double[] sky : in.outlineSky()) {
            double[] t = SkyFrames.convert(from, to, sky[0], sky[1]);
            double[] xy = wcs.worldToPixel(t[0], t[1]);
            if (Double.isFinite(xy[0]) && Double.isFinite(xy[1])) {
                out.add(xy);
            }
        }
        return out;
    }

    /**
     * The target pixels an input can reach: [x0, x1, y0, y1] (ends exclusive), its outline's bounding box widened
     * by a pixel and clipped to the grid; null when it misses the grid.
     */
    public int[] footprint(MosaicInput in) {
        double[] box = {
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
        };
        for (double[] p : outline(in)) {
            box[0] = Math.min(box[0], p[0]);
            box[1] = Math.max(box[1], p[0]);
            box[2] = Math.min(box[2], p[1]);
            box[3] = Math.max(box[3], p[1]);
        }
        if (!(box[1] >= box[0])) {
            return null;
        }
        int x0 = (int) Math.max(0, Math.floor(box[0]) - 1);
        int x1 = (int) Math.min(nx, Math.ceil(box[1]) + 2);
        int y0 = (int) Math.max(0, Math.floor(box[2]) - 1);
        int y1 = (int) Math.min(ny, Math.ceil(box[3]) + 2);
        return x0 < x1 && y0 < y1 ? new int[] {x0, x1, y0, y1} : null;
    }

    /** The same grid cut into blocks of this side. */
    public TargetGrid withBlocks(int side) {
        TargetGrid g = new TargetGrid(nx, ny, frame, projection, crval1, crval2, crpix1, crpix2, pixelDeg);
        g.blockPixels = side;
        return g;
    }

    public int blockPixels() {
        return blockPixels;
    }

    @Override
    public List<int[]> blocks() {
        return BlockFiles.blocks(nx, ny, blockPixels);
    }

    @Override
    public boolean[] reached(MosaicInput in, List<int[]> blocks) {
        int[] f = footprint(in);
        boolean[] out = new boolean[blocks.size()];
        for (int k = 0; k < out.length && f != null; k++) {
            int[] b = blocks.get(k);
            out[k] = f[0] < b[1] && b[0] < f[1] && f[2] < b[3] && b[2] < f[3];
        }
        return out;
    }

    @Override
    public double[][] positions(int[] block) {
        int bw = block[1] - block[0];
        int n = bw * (block[3] - block[2]);
        double[][] out = new double[2][n];
        for (int p = 0; p < n; p++) {
            double[] sky = wcs.pixelToWorld(block[0] + p % bw, block[2] + p / bw);
            out[0][p] = sky[0];
            out[1][p] = sky[1];
        }
        return out;
    }

    @Override
    public long writeBlock(Path file, int[] block, float[][] coAdded) throws IOException {
        BlockFiles.write(file, coAdded);
        long covered = 0;
        for (float c : coAdded[coAdded.length - 1]) {
            covered += c > 0 ? 1 : 0;
        }
        return covered;
    }

    /** The grid's WCS cards for a 2D image HDU. */
    public FitsCards cards() {
        String lon = frame.equals("galactic") ? "GLON" : "RA--";
        String lat = frame.equals("galactic") ? "GLAT" : "DEC-";
        FitsCards c = new FitsCards()
                .add("WCSAXES", 2L, null)
                .add("CTYPE1", lon + "-" + projection, null)
                .add("CTYPE2", lat + "-" + projection, null)
                .add("CRPIX1", crpix1, null)
                .add("CRPIX2", crpix2, null)
                .add("CRVAL1", crval1, null)
                .add("CRVAL2", crval2, null)
                .add("CDELT1", -pixelDeg, "east to the left")
                .add("CDELT2", pixelDeg, null)
                .add("CUNIT1", "deg", null)
                .add("CUNIT2", "deg", null);
        if (frame.equals("equatorial")) {
            c.add("RADESYS", "ICRS", null);
        }
        return c;
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    @Override
    public String frame() {
        return frame;
    }

    public CelestialWcs wcs() {
        return wcs;
    }

    public double pixelDeg() {
        return pixelDeg;
    }

    /** Square degrees of the grid's sky (its pixels' area at the reference point, summed). */
    public double areaSquareDegrees() {
        return (double) nx * ny * pixelDeg * pixelDeg;
    }

    @Override
    public String describe() {
        double[] c = wcs.pixelToWorld((nx - 1) / 2.0, (ny - 1) / 2.0);
        return String.format(
                Locale.ROOT,
                "%,d x %,d %s %s, %.4g arcmin pixels, centre %.4f %+.4f",
                nx,
                ny,
                frame,
                projection,
                pixelDeg * 60,
                c[0],
                c[1]);
    }
}
