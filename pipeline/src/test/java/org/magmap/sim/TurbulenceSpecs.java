package org.magmap.sim;

/** Specs for tests: the H I paper's set-up (n = 3 cm^-3, 100 pc box, injection at k = 2) on small grids. */
final class TurbulenceSpecs {
    private TurbulenceSpecs() {}

    static TurbulenceSpec hi(int n, double b0Microgauss, double sigmaVKmPerS, long seed) {
        return hi(n, b0Microgauss, sigmaVKmPerS, 90, 0, seed);
    }

    static TurbulenceSpec hi(
            int n, double b0Microgauss, double sigmaVKmPerS, double inclinationDeg, double azimuthDeg, long seed) {
        return new TurbulenceSpec(
                "t-b" + b0Microgauss + "-s" + sigmaVKmPerS + "-" + seed,
                n,
                100,
                b0Microgauss,
                sigmaVKmPerS,
                5.0,
                3.0,
                Mhd.MASS_PER_HYDROGEN_DEFAULT,
                inclinationDeg,
                azimuthDeg,
                2,
                4,
                0.5,
                seed,
                0,
                0);
    }
}
