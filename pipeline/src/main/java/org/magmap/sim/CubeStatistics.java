package org.magmap.sim;

import java.io.IOException;
import java.io.Serializable;

/**
 * Global statistics of an MHD cube, measured by streaming z-planes (a 512^3 cube is never held whole), in the
 * definitions the simulation literature uses for a run's Mach numbers:
 *
 * <ul>
 *   <li>{@code sigma_v = sqrt(<|v - <v>|^2>)}, the 3D velocity dispersion (volume-weighted);
 *   <li>{@code v_A = |<B>| / sqrt(4 pi <rho>)}, the Alfven speed of the mean field at the mean density;
 *   <li>{@code M_A = sigma_v / v_A}, {@code M_s = sigma_v / c_s} (docs/science.md section 1);
 *   <li>{@code dB_rms / |<B>|}, which for Alfvenic turbulence is about M_A;
 *   <li>the variance of {@code ln(rho / <rho>)};
 *   <li>{@code div B} with second-order centred differences (periodic wrap), relative to the rms of the
 *       gradient terms it is made of, so that rounding-level divergence reads about 1e-6 whatever the units.
 * </ul>
 *
 * @param meanDensityGPerCm3 volume mean of rho
 * @param lnDensityVariance variance of ln(rho / mean rho)
 * @param sigmaVKmPerS 3D velocity dispersion
 * @param meanFieldMicrogauss |<B>|
 * @param deltaBRmsMicrogauss rms of B - <B>
 * @param alfvenMach sigma_v / v_A
 * @param sonicMach sigma_v / c_s (NaN when the cube has no sound speed)
 * @param maxDivergenceRelative max |div B| over the rms of the divergence's terms
 */
public record CubeStatistics(
        double meanDensityGPerCm3,
        double lnDensityVariance,
        double sigmaVKmPerS,
        double meanFieldMicrogauss,
        double deltaBRmsMicrogauss,
        double alfvenMach,
        double sonicMach,
        double maxDivergenceRelative)
        implements Serializable {

    /** Measures a cube with all MHD fields, reading one field group at a time. */
    public static CubeStatistics measure(CubeReader cube) throws IOException {
        CubeMeta meta = cube.meta();
        if (!meta.hasMhdFields()) {
            throw new IllegalArgumentException(meta.runId() + " lacks MHD fields: has " + meta.fields());
        }
        GridShape s = meta.shape();
        int nz = s.nz();

        double sumRho = 0;
        double sumLn = 0;
        double sumLn2 = 0;
        for (int z = 0; z < nz; z++) {
            for (float r : cube.readSlab(Field.DENSITY, z, 1)) {
                sumRho += r;
                double l = Math.log(r);
                sumLn += l;
                sumLn2 += l * l;
            }
        }
        double cells = s.cells();
        double meanRho = sumRho / cells;
        double meanLn = sumLn / cells;
        double lnVar = sumLn2 / cells - meanLn * meanLn; // variance is shift-invariant: ln(rho/<rho>) alike

        double[] meanV = new double[3];
        double sumV2 = 0;
        Field[] vel = Field.velocity();
        for (int z = 0; z < nz; z++) {
            for (int c = 0; c < 3; c++) {
                for (float v : cube.readSlab(vel[c], z, 1)) {
                    meanV[c] += v;
                    sumV2 += (double) v * v;
                }
            }
        }
        double mv2 = 0;
        for (int c = 0; c < 3; c++) {
            meanV[c] /= cells;
            mv2 += meanV[c] * meanV[c];
        }
        double sigmaV = Math.sqrt(Math.max(0, sumV2 / cells - mv2));

        double[] meanB = new double[3];
        double sumB2 = 0;
        double maxDiv = 0;
        double sumTerms2 = 0;
        int nx = s.nx();
        int ny = s.ny();
        Field[] mag = Field.magnetic();
        for (int z = 0; z < nz; z++) {
            float[] bx = cube.readSlab(Field.B_X, z, 1);
            float[] by = cube.readSlab(Field.B_Y, z, 1);
            float[] bz = cube.readSlab(Field.B_Z, z, 1);
            float[][] plane = {bx, by, bz};
            for (int c = 0; c < 3; c++) {
                for (float b : plane[c]) {
                    meanB[c] += b;
                    sumB2 += (double) b * b;
                }
            }
            boolean interior = z > 0 && z < nz - 1;
            if (!meta.periodic() && !interior) {
                continue;
            }
            float[] bzBelow = cube.readSlab(mag[2], Math.floorMod(z - 1, nz), 1);
            float[] bzAbove = cube.readSlab(mag[2], Math.floorMod(z + 1, nz), 1);
            for (int y = 0; y < ny; y++) {
                if (!meta.periodic() && (y == 0 || y == ny - 1)) {
                    continue;
                }
                int yUp = Math.floorMod(y + 1, ny);
                int yDown = Math.floorMod(y - 1, ny);
                for (int x = 0; x < nx; x++) {
                    if (!meta.periodic() && (x == 0 || x == nx - 1)) {
                        continue;
                    }
                    int i = y * nx + x;
                    double dx = 0.5 * (bx[y * nx + Math.floorMod(x + 1, nx)] - bx[y * nx + Math.floorMod(x - 1, nx)]);
                    double dy = 0.5 * (by[yUp * nx + x] - by[yDown * nx + x]);
                    double dz = 0.5 * (bzAbove[i] - bzBelow[i]);
                    maxDiv = Math.max(maxDiv, Math.abs(dx + dy + dz));
                    sumTerms2 += dx * dx + dy * dy + dz * dz;
                }
            }
        }
        double mb2 = 0;
        for (int c = 0; c < 3; c++) {
            meanB[c] /= cells;
            mb2 += meanB[c] * meanB[c];
        }
        double meanField = Math.sqrt(mb2);
        double deltaBRms = Math.sqrt(Math.max(0, sumB2 / cells - mb2));
        double termsRms = Math.sqrt(sumTerms2 / cells);
        double vA = Mhd.alfvenSpeedKmPerS(meanField, meanRho);
        double cs = meta.soundSpeedKmPerS();
        return new CubeStatistics(
                meanRho,
                lnVar,
                sigmaV,
                meanField,
                deltaBRms,
                sigmaV / vA,
                cs > 0 ? sigmaV / cs : Double.NaN,
                termsRms > 0 ? maxDiv / termsRms : 0);
    }
}
