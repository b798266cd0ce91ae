package org.magmap.patch;

import org.magmap.conf.ConfigNames;

/**
 * Per-patch input normalisation, so the network sees morphology only, never absolute intensity (docs/science.md
 * section 2; both papers normalise each input individually).
 */
public enum Normalization {
    /** (x - mean) / std; a constant patch becomes all zeros. */
    ZSCORE,
    /** x / max |x|; an all-zero patch stays zero. */
    MAX,
    /**
     * x / mean(x) - 1: zero mean, unit-free, and the relative fluctuation level kept (zscore divides it away; for a
     * synchrotron map it carries M_A and so, at fixed sigma_v, B). For positive maps; a patch whose mean is not
     * positive becomes all zeros.
     */
    RELATIVE;

    /** Normalises in place. */
    public void apply(float[] x) {
        switch (this) {
            case ZSCORE -> {
                double sum = 0;
                for (float v : x) {
                    sum += v;
                }
                double mean = sum / x.length;
                double ss = 0;
                for (float v : x) {
                    ss += (v - mean) * (v - mean);
                }
                double std = Math.sqrt(ss / x.length);
                for (int i = 0; i < x.length; i++) {
                    x[i] = std > 0 ? (float) ((x[i] - mean) / std) : 0f;
                }
            }
            case MAX -> {
                double max = 0;
                for (float v : x) {
                    max = Math.max(max, Math.abs(v));
                }
                for (int i = 0; i < x.length; i++) {
                    x[i] = max > 0 ? (float) (x[i] / max) : 0f;
                }
            }
            case RELATIVE -> {
                double sum = 0;
                for (float v : x) {
                    sum += v;
                }
                double mean = sum / x.length;
                for (int i = 0; i < x.length; i++) {
                    x[i] = mean > 0 ? (float) (x[i] / mean - 1) : 0f;
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }

    /** Parses "zscore", "max" or "relative" (any case). */
    public static Normalization parse(String s) {
        return ConfigNames.parse(Normalization.class, s, "normalisation");
    }
}
