package org.magmap.sim;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parameters of one synthetic MHD turbulence run. Small and serializable: this is the work unit the simulate
 * job sends to an executor.
 *
 * @param runId run identifier (file name stem)
 * @param gridSize cells per side (the box is cubic and periodic)
 * @param boxSizePc box side in parsec (H I paper: 100 pc)
 * @param b0Microgauss mean-field strength |B0|
 * @param sigmaVKmPerS 3D velocity dispersion sqrt(<|v - <v>|^2>)
 * @param soundSpeedKmPerS isothermal sound speed c_s
 * @param meanDensityPerCm3 mean hydrogen number density (H I paper: 3 cm^-3)
 * @param massPerHydrogenAmu mean mass per hydrogen nucleus in m_H (1.4 with helium)
 * @param meanFieldInclinationDeg angle between B0 and the z axis (90: B0 in the x-y plane)
 * @param meanFieldAzimuthDeg angle of B0's x-y projection from the x axis
 * @param injectionMode wavenumber (in units of 2 pi / box) where the spectrum peaks (H I paper: 2)
 * @param dissipationCells scale, in cells, below which the spectrum is cut off (numerical dissipation)
 * @param compressibility b in sigma^2_ln(rho) = ln(1 + b^2 M_s^2): 1/3 for solenoidal driving, 1 compressive
 * @param seed random seed; with the same spec the output is identical bit for bit
 * @param snapshot snapshot number: a different snapshot is a statistically equivalent, independent realisation
 * @param fieldLineSmoothingCells length (Gaussian sigma, cells) over which density and velocity are smoothed along
 *     the local field lines, the local-field imprint of MHD turbulence ({@link FieldLineSmoothing}); 0 = none
 */
public record TurbulenceSpec(
        String runId,
        int gridSize,
        double boxSizePc,
        double b0Microgauss,
        double sigmaVKmPerS,
        double soundSpeedKmPerS,
        double meanDensityPerCm3,
        double massPerHydrogenAmu,
        double meanFieldInclinationDeg,
        double meanFieldAzimuthDeg,
        int injectionMode,
        double dissipationCells,
        double compressibility,
        long seed,
        int snapshot,
        double fieldLineSmoothingCells)
        implements Serializable {

    /**
     * The largest grid: the generator's complex FFT buffer holds 2 n^3 floats in one Java array, whose length is
     * an int.
     */
    public static final int MAX_GRID_SIZE = 1022;

    /**
     * Peak bytes one run holds while generating (measured from the generator's arrays): its seven cached fields
     * (28 bytes per cell) and one complex FFT buffer (8), so about 36 bytes per cell: 4.5 GiB at 512^3.
     */
    public static final long PEAK_BYTES_PER_CELL = 36;

    public TurbulenceSpec {
        if (gridSize < 8 || gridSize % 2 != 0 || gridSize > MAX_GRID_SIZE) {
            throw new IllegalArgumentException(
                    runId + ": grid size must be even, at least 8 and at most " + MAX_GRID_SIZE + ", got " + gridSize);
        }
        requirePositive(runId, "box size (pc)", boxSizePc);
        requirePositive(runId, "B0 (uG)", b0Microgauss);
        requirePositive(runId, "sigma_v (km/s)", sigmaVKmPerS);
        requirePositive(runId, "sound speed (km/s)", soundSpeedKmPerS);
        requirePositive(runId, "mean density (cm^-3)", meanDensityPerCm3);
        requirePositive(runId, "mass per hydrogen (amu)", massPerHydrogenAmu);
        requirePositive(runId, "dissipation scale (cells)", dissipationCells);
        if (injectionMode < 1 || injectionMode >= gridSize / 2) {
            throw new IllegalArgumentException(
                    runId + ": injection mode must be in 1.." + (gridSize / 2 - 1) + ", got " + injectionMode);
        }
        if (!(compressibility >= 0)) {
            throw new IllegalArgumentException(runId + ": compressibility b must be >= 0, got " + compressibility);
        }
        if (!(fieldLineSmoothingCells >= 0) || fieldLineSmoothingCells > gridSize) {
            throw new IllegalArgumentException(
                    runId + ": field-line smoothing must be 0.." + gridSize + " cells, got " + fieldLineSmoothingCells);
        }
    }

    /** The same run with the gas smoothed along the field lines over {@code cells} (0: not). */
    public TurbulenceSpec withFieldLineSmoothing(double cells) {
        return new TurbulenceSpec(
                runId,
                gridSize,
                boxSizePc,
                b0Microgauss,
                sigmaVKmPerS,
                soundSpeedKmPerS,
                meanDensityPerCm3,
                massPerHydrogenAmu,
                meanFieldInclinationDeg,
                meanFieldAzimuthDeg,
                injectionMode,
                dissipationCells,
                compressibility,
                seed,
                snapshot,
                cells);
    }

    private static void requirePositive(String runId, String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(runId + ": " + what + " must be a positive number, got " + v);
        }
    }

    /** Mean mass density in g cm^-3. */
    public double meanMassDensity() {
        return Mhd.massDensity(meanDensityPerCm3, massPerHydrogenAmu);
    }

    /** v_A of the mean field at the mean density, km/s. */
    public double alfvenSpeedKmPerS() {
        return Mhd.alfvenSpeedKmPerS(b0Microgauss, meanMassDensity());
    }

    /** Requested Alfven Mach number M_A = sigma_v / v_A. */
    public double alfvenMach() {
        return sigmaVKmPerS / alfvenSpeedKmPerS();
    }

    /** Requested sonic Mach number M_s = sigma_v / c_s. */
    public double sonicMach() {
        return sigmaVKmPerS / soundSpeedKmPerS;
    }

    /** Target variance of ln(rho / rho0): ln(1 + b^2 M_s^2) (Padoan, Nordlund & Jones 1997; Federrath et al. 2008). */
    public double lnDensityVariance() {
        double bm = compressibility * sonicMach();
        return Math.log1p(bm * bm);
    }

    /** Unit vector of the mean field. */
    public double[] meanFieldDirection() {
        return Mhd.direction(meanFieldInclinationDeg, meanFieldAzimuthDeg);
    }

    /** Cell size in parsec. */
    public double cellSizePc() {
        return boxSizePc / gridSize;
    }

    /** The parameters as strings, for FITS HISTORY and manifests. */
    public Map<String, String> asProvenance() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("generator", "magmap synthetic MHD turbulence v1");
        m.put("grid-size", Integer.toString(gridSize));
        m.put("box-size-pc", fmt(boxSizePc));
        m.put("b0-microgauss", fmt(b0Microgauss));
        m.put("sigma-v-km-per-s", fmt(sigmaVKmPerS));
        m.put("sound-speed-km-per-s", fmt(soundSpeedKmPerS));
        m.put("mean-density-per-cm3", fmt(meanDensityPerCm3));
        m.put("mass-per-hydrogen-amu", fmt(massPerHydrogenAmu));
        m.put("mean-field-inclination-deg", fmt(meanFieldInclinationDeg));
        m.put("mean-field-azimuth-deg", fmt(meanFieldAzimuthDeg));
        m.put("injection-mode", Integer.toString(injectionMode));
        m.put("dissipation-cells", fmt(dissipationCells));
        m.put("compressibility", fmt(compressibility));
        m.put("seed", Long.toString(seed));
        m.put("snapshot", Integer.toString(snapshot));
        if (fieldLineSmoothingCells > 0) {
            // Only when set, so that the provenance of cubes made without it is unchanged.
            m.put("field-line-smoothing-cells", fmt(fieldLineSmoothingCells));
        }
        m.put("alfven-mach", fmt(alfvenMach()));
        m.put("sonic-mach", fmt(sonicMach()));
        return m;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** What one run needs in memory at its peak, in bytes ({@link #PEAK_BYTES_PER_CELL}). */
    public long peakBytes() {
        return PEAK_BYTES_PER_CELL * gridSize * gridSize * (long) gridSize;
    }
}
