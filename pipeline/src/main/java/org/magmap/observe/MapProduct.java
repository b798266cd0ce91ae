package org.magmap.observe;

import java.io.Serializable;

/**
 * One output image of an observation: a 2D map (shape {nx, ny}) or the PPV cube (shape {nx, ny, nchannels}),
 * in FITS axis order, with its unit and a one-line description for the FITS header.
 *
 * @param name short upper-case name, used as FITS EXTNAME (e.g. "SYNC", "PSI_DEG")
 * @param unit FITS BUNIT
 * @param description what it is, in words
 * @param shape axis lengths, FITS order (x first)
 * @param data values, x fastest
 * @param truth whether this is a target (truth) map rather than an input (observable) map
 */
public record MapProduct(String name, String unit, String description, int[] shape, float[] data, boolean truth)
        implements Serializable {
    public MapProduct {
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException(name + ": shape holds " + n + " values, data has " + data.length);
        }
    }
}
