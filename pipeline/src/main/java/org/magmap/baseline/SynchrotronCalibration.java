package org.magmap.baseline;

import java.io.Serializable;

/**
 * What turns a mock synchrotron map ({@code SYNC}, {@code sum n_e |B_perp|^((p+1)/2) dz} in
 * {@code cm^-3 uG^((p+1)/2) pc}, {@link org.magmap.observe.SynchrotronMap}) into a calibrated intensity in
 * erg s^-1 cm^-2 Hz^-1 sr^-1, and the path length and frequency the equipartition formula needs with it.
 *
 * <p>The simulation knows the thermal electrons, not the cosmic-ray electrons (CRE) that radiate, so the CRE are
 * tied to the gas: their energy spectrum {@code N(E) dE = K_e E^-p dE} has, above the proton rest energy
 * {@code E_p} (the break of the revised equipartition formula), {@code creFraction} electrons per thermal one:
 * {@code n_CRE(>E_p) = K_e E_p^(1-p) / (p-1) = creFraction * n_e}. The optically thin intensity of a power-law
 * spectrum (Pacholczyk 1970; Beck &amp; Krause 2005, Appendix A; the cluster paper's eq. 11, seeds/000) is
 *
 * <pre>
 * I_nu = c2(a) K_e (nu / 2c1)^(-a) integral |B_perp|^(a+1) dl,   a = (p-1)/2
 * </pre>
 *
 * with the same c2(a) and c1 as {@link Equipartition}. The stored map already holds the line-of-sight integral
 * of {@code n_e |B_perp|^(a+1)}, so one factor converts it: {@link #intensityCgsPerMapUnit()}.
 *
 * <p>Why this normalisation: for a uniform medium of field B and density n_e it puts cosmic rays (electrons plus
 * K0 times as many protons) in the revised equipartition with B exactly when {@code B^2 = 4 pi (2a+1) (K0+1)
 * E_p^(1-2a) K_e / (2a-1)}, whatever the frequency and path length; so {@code creFraction} is the single
 * assumption the baseline's bias depends on, as in the cluster paper's Fig. 6, where K0 plays that role.
 *
 * @param frequencyHz observing frequency nu (cluster paper: 1.4 GHz)
 * @param electronIndexP electron spectral index p (&gt; 2, so that a = (p-1)/2 &gt; 0.5)
 * @param creFraction CRE above E_p per thermal electron (&gt; 0)
 * @param pathLengthPc path length through the emitting box along the line of sight, pc
 */
public record SynchrotronCalibration(double frequencyHz, double electronIndexP, double creFraction, double pathLengthPc)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One microgauss in gauss: the map's field unit to cgs. */
    private static final double GAUSS_PER_MICROGAUSS = 1e-6;

    public SynchrotronCalibration {
        if (!(frequencyHz > 0) || !Double.isFinite(frequencyHz)) {
            throw new IllegalArgumentException("synchrotron frequency must be finite and > 0 Hz; got " + frequencyHz);
        }
        if (!(electronIndexP > 2) || !Double.isFinite(electronIndexP)) {
            // a = (p-1)/2 must exceed 0.5 for the equipartition formula (its 2a-1 factor)
            throw new IllegalArgumentException(
                    "a calibrated synchrotron map needs an electron index p > 2; got " + electronIndexP);
        }
        if (!(creFraction > 0) || !Double.isFinite(creFraction)) {
            throw new IllegalArgumentException("CRE fraction must be finite and > 0; got " + creFraction);
        }
        if (!(pathLengthPc > 0) || !Double.isFinite(pathLengthPc)) {
            throw new IllegalArgumentException("path length must be finite and > 0 pc; got " + pathLengthPc);
        }
    }

    /** The synchrotron spectral index a = (p-1)/2. */
    public double spectralIndex() {
        return Equipartition.spectralIndexFromElectronIndex(electronIndexP);
    }

    /**
     * K_e / n_e in cgs (erg^(p-1)): from {@code n_CRE(>E_p) = K_e E_p^(1-p) / (p-1) = creFraction n_e}.
     */
    public double creSpectrumPerThermalElectron() {
        double p = electronIndexP;
        return creFraction * (p - 1) * Math.pow(Equipartition.PROTON_REST_ENERGY_ERG, p - 1);
    }

    /**
     * erg s^-1 cm^-2 Hz^-1 sr^-1 per unit of the stored map ({@code cm^-3 uG^(a+1) pc}): c2(a) (K_e / n_e)
     * (nu / 2c1)^(-a), times uG to G for each of the a+1 powers of B and pc to cm for dz.
     */
    public double intensityCgsPerMapUnit() {
        double a = spectralIndex();
        return Equipartition.c2(a)
                * creSpectrumPerThermalElectron()
                * Math.pow(frequencyHz / (2 * Equipartition.C1), -a)
                * Math.pow(GAUSS_PER_MICROGAUSS, a + 1)
                * Equipartition.CM_PER_PARSEC;
    }

    /**
     * The equipartition estimate from maps so calibrated, for an isotropic turbulent field (the mock's field is
     * turbulent about a mean, seen from any angle) and K0 protons per electron.
     */
    public Estimator estimator(double protonElectronRatio) {
        return new Estimator(
                intensityCgsPerMapUnit(),
                Equipartition.isotropic(
                        spectralIndex(), protonElectronRatio, Equipartition.parsecToCm(pathLengthPc), frequencyHz));
    }

    /**
     * Equipartition field of a mean map value.
     *
     * @param intensityCgsPerMapUnit the calibration factor
     * @param formula Beck &amp; Krause's formula with this map's frequency, path length and spectral index
     */
    public record Estimator(double intensityCgsPerMapUnit, Equipartition formula) implements Serializable {
        private static final long serialVersionUID = 1L;

        /**
         * B_eq in uG from the mean stored intensity over an area (the field of the mean intensity, as an observer
         * with one beam over the area gets); NaN if the mean is not positive (noise-dominated).
         */
        public double fieldMicrogauss(double meanMapValue) {
            return formula.fieldMicrogauss(intensityCgsPerMapUnit * meanMapValue);
        }
    }
}
