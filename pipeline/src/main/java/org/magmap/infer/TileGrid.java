package org.magmap.infer;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the tiles of a map lie and how their predictions are blended. Tiles of the model's input size step by
 * {@code size - overlap} from the map's first pixel, with a last tile flush with the far edge, so every pixel is
 * covered and no tile leaves the map. A prediction's pixels are weighted by a smooth window that falls towards
 * the tile's edges (a squared sine in each direction), so overlapping tiles hand over gradually and no seam
 * shows where one tile ends; the stitched value of a pixel is the weighted mean of every tile covering it. That
 * rule depends on nothing but the tiles, so any division of the map into blocks gives the same map.
 */
public final class TileGrid {
    private final int size;
    private final int overlap;
    private final int[] xs;
    private final int[] ys;
    private final float[] weight;

    /**
     * @throws IllegalArgumentException if the map is smaller than one tile or the overlap is not below the size
     */
    public TileGrid(int nx, int ny, int size, int overlap) {
        if (overlap < 0 || overlap >= size) {
            throw new IllegalArgumentException("tile overlap must be in [0, " + size + "), got " + overlap);
        }
        if (nx < size || ny < size) {
            throw new IllegalArgumentException(
                    "the map is " + nx + " x " + ny + " pixels, smaller than one " + size + " x " + size + " tile");
        }
        this.size = size;
        this.overlap = overlap;
        this.xs = starts(nx, size, size - overlap);
        this.ys = starts(ny, size, size - overlap);
        this.weight = new float[size * size];
        for (int j = 0; j < size; j++) {
            double wy = Math.pow(Math.sin(Math.PI * (j + 0.5) / size), 2);
            for (int i = 0; i < size; i++) {
                double wx = Math.pow(Math.sin(Math.PI * (i + 0.5) / size), 2);
                weight[j * size + i] = (float) (wx * wy);
            }
        }
    }

    static int[] starts(int n, int size, int step) {
        List<Integer> s = new ArrayList<>();
        for (int x = 0; x + size <= n; x += step) {
            s.add(x);
        }
        if (s.get(s.size() - 1) + size < n) {
            s.add(n - size);
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    public int size() {
        return size;
    }

    public int overlap() {
        return overlap;
    }

    /** Tile origins along x (NAXIS1). */
    public int[] xStarts() {
        return xs.clone();
    }

    /** Tile origins along y (NAXIS2). */
    public int[] yStarts() {
        return ys.clone();
    }

    /** Number of tiles in the map. */
    public long tileCount() {
        return (long) xs.length * ys.length;
    }

    /** The blending weight of pixel (i, j) of a tile, x fastest. */
    public float[] weights() {
        return weight.clone();
    }

    float weight(int i, int j) {
        return weight[j * size + i];
    }

    /** Origins of the tiles that touch [lo, hi) along an axis. */
    static int[] touching(int[] starts, int size, int lo, int hi) {
        return java.util.Arrays.stream(starts)
                .filter(s -> s < hi && s + size > lo)
                .toArray();
    }
}
