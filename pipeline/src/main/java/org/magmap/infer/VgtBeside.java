package org.magmap.infer;

import org.magmap.baseline.VelocityGradients;
import org.magmap.observe.Angles;

/**
 * The Velocity Gradient Technique on a window's channel map, beside the network's psi (H I paper section 4.3,
 * Fig. 6): Sobel gradients, the peak gradient orientation of each block of {@code vgtBlock} pixels (blocks on a
 * grid from the map's origin, only whole blocks), turned by 90 deg (the field runs across the gradients). Blocks
 * are on one grid for the whole map and each is computed from the region with a pixel to spare, so a block of
 * work gets the same values as the whole map would.
 */
final class VgtBeside {
    private VgtBeside() {}

    /** The margin a block of work's region needs around it for the VGT blocks that touch it. */
    static int margin(int vgtBlock) {
        return vgtBlock + 1;
    }

    /**
     * psi_VGT per pixel of the block (pixel frame, degrees in [0, 180)); NaN where no whole VGT block covers the
     * pixel, the block is blank, or its intensity is not positive (as {@link VelocityGradients} does).
     */
    static float[] pixelFieldDeg(
            float[] region, int rx0, int ry0, int rw, int rh, int[] block, int nx, int ny, int vgtBlock) {
        VelocityGradients.SobelGradient g = VelocityGradients.sobel(region, rw, rh);
        float[] orientation = g.orientationDeg();
        int bw = block[1] - block[0];
        int bh = block[3] - block[2];
        float[] out = new float[bw * bh];
        java.util.Arrays.fill(out, Float.NaN);
        double[] angles = new double[vgtBlock * vgtBlock];
        double[] weights = new double[vgtBlock * vgtBlock];
        java.util.Arrays.fill(weights, 1.0);
        for (int vy = block[2] / vgtBlock * vgtBlock; vy < block[3]; vy += vgtBlock) {
            for (int vx = block[0] / vgtBlock * vgtBlock; vx < block[1]; vx += vgtBlock) {
                if (vx + vgtBlock > nx || vy + vgtBlock > ny) {
                    continue; // only whole blocks
                }
                int n = 0;
                double intensity = 0;
                for (int y = vy; y < vy + vgtBlock; y++) {
                    for (int x = vx; x < vx + vgtBlock; x++) {
                        int at = (y - ry0) * rw + (x - rx0);
                        if (Float.isFinite(region[at])) {
                            intensity += region[at];
                        }
                        if (Float.isFinite(orientation[at])) {
                            angles[n++] = orientation[at];
                        }
                    }
                }
                if (!(intensity > 0)) {
                    continue;
                }
                double psi = VelocityGradients.peakOrientationDeg(angles, weights, n, 36);
                if (Double.isNaN(psi)) {
                    continue;
                }
                float field = (float) Angles.foldOrientationDeg(psi + 90.0);
                for (int y = Math.max(vy, block[2]); y < Math.min(vy + vgtBlock, block[3]); y++) {
                    for (int x = Math.max(vx, block[0]); x < Math.min(vx + vgtBlock, block[1]); x++) {
                        out[(y - block[2]) * bw + (x - block[0])] = field;
                    }
                }
            }
        }
        return out;
    }
}
