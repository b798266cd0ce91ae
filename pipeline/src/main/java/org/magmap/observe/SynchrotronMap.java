package org.magmap.observe;

import org.magmap.sim.Mhd;

/**
 * Synchrotron total intensity, cluster paper eq. 8: {@code I(x, y) = sum_z n_e |B_perp|^((p+1)/2) dz}, with
 * {@code B_perp = sqrt(B_x'^2 + B_y'^2)} in the view frame, n_e proportional to the gas density (or uniform)
 * and p the electron spectral index (default 3, exponent 2).
 *
 * <p>Units: n_e in cm^-3 (hydrogen number density), B in uG, dz in pc, so I is in
 * {@code cm^-3 uG^((p+1)/2) pc}. Only the morphology matters to the networks (inputs are normalised); the
 * calibrated intensity for the equipartition baseline is {@code I} times
 * {@link org.magmap.baseline.SynchrotronCalibration#intensityCgsPerMapUnit()}, which observe records in the
 * map header as {@code SYNCCAL}.
 */
public final class SynchrotronMap implements LineOfSight.Accumulator {
    private final double[] intensity;
    private final double exponent;
    private final boolean electronsFollowGas;
    private final double massPerHydrogenG;
    private final double stepPc;

    /**
     * @param pixels nx * ny
     * @param electronIndexP the electron energy spectral index p (> 1)
     * @param electronsFollowGas n_e proportional to density if true, uniform (1 cm^-3) if false
     * @param massPerHydrogenAmu for converting mass density to hydrogen number density
     * @param stepPc path length per LOS step (the cell size)
     */
    public SynchrotronMap(
            int pixels, double electronIndexP, boolean electronsFollowGas, double massPerHydrogenAmu, double stepPc) {
        if (!(electronIndexP > 1)) {
            throw new IllegalArgumentException("electron spectral index p must exceed 1, got " + electronIndexP);
        }
        this.intensity = new double[pixels];
        this.exponent = (electronIndexP + 1) / 2;
        this.electronsFollowGas = electronsFollowGas;
        this.massPerHydrogenG = massPerHydrogenAmu * Mhd.HYDROGEN_MASS_G;
        this.stepPc = stepPc;
    }

    @Override
    public void add(int pixel, LineOfSight.Sample s) {
        double bx = s.magnetic[0];
        double by = s.magnetic[1];
        double bPerp2 = bx * bx + by * by;
        // exponent 2 (p = 3) is the common case: avoid pow
        double emission = exponent == 2 ? bPerp2 : Math.pow(bPerp2, exponent / 2);
        double ne = electronsFollowGas ? s.density / massPerHydrogenG : 1.0;
        intensity[pixel] += ne * emission * stepPc;
    }

    /** The map, x fastest. */
    public float[] map() {
        return Maps.toFloat(intensity);
    }
}
