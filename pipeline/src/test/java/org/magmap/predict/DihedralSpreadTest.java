package org.magmap.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The mean and spread over the eight turns, on models whose answers under each turn are known by hand. */
class DihedralSpreadTest {
    private static INDArray image(int n, int size) {
        float[] v = new float[n * size * size];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) Math.sin(0.7 * k) + 0.1f * k;
        }
        return Nd4j.create(v, new long[] {n, 1, size, size}, DataType.FLOAT);
    }

    @Test
    void aModelThatReadsOneCornerPixelSpreadsOverTheFourCorners() {
        // Under the eight symmetries the pixel (0, 0) of the turned image is each corner of the original twice.
        ModelRunner corner = f -> {
            INDArray x = f[0];
            long n = x.size(0);
            float[] out = new float[(int) n];
            for (int t = 0; t < n; t++) {
                out[t] = x.getFloat(t, 0, 0, 0);
            }
            return Nd4j.create(out, new long[] {n, 1}, DataType.FLOAT);
        };
        int size = 6;
        INDArray in = image(2, size);
        float[] got = new DihedralSpreadRunner(corner)
                .output(new INDArray[] {in})
                .data()
                .asFloat();
        for (int t = 0; t < 2; t++) {
            double[] corners = {
                in.getDouble(t, 0, 0, 0), in.getDouble(t, 0, 0, size - 1),
                in.getDouble(t, 0, size - 1, 0), in.getDouble(t, 0, size - 1, size - 1)
            };
            double mean = (corners[0] + corners[1] + corners[2] + corners[3]) / 4;
            double var = 0;
            for (double c : corners) {
                var += (c - mean) * (c - mean) / 4;
            }
            assertEquals(mean, got[t * 2], 1e-5, "mean of patch " + t);
            assertEquals(Math.sqrt(var), got[t * 2 + 1], 1e-5, "spread of patch " + t);
        }
    }

    @Test
    void anEquivariantMapModelHasNoSpreadAndItsOwnMaps() {
        // Six maps: cos 2psi = 1, sin 2psi = 0 (a field along x, which the turns rotate and undo), then x^2 maps.
        ModelRunner equivariant = f -> {
            INDArray x = f[0];
            long n = x.size(0);
            int size = (int) x.size(2);
            INDArray out = Nd4j.zeros(DataType.FLOAT, n, 6, size, size);
            INDArray sq = x.mul(x);
            out.get(
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                            org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.all())
                    .assign(1f);
            for (int c = 2; c < 6; c++) {
                out.get(
                                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.point(c),
                                org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                org.nd4j.linalg.indexing.NDArrayIndex.all())
                        .assign(sq.reshape(n, size, size));
            }
            return out;
        };
        INDArray in = image(1, 8);
        float[] plain = equivariant.output(new INDArray[] {in}).dup('c').data().asFloat();
        float[] got = new DihedralSpreadRunner(equivariant)
                .output(new INDArray[] {in})
                .dup('c')
                .data()
                .asFloat();
        int plane = 64;
        float[] means = java.util.Arrays.copyOfRange(got, 0, 6 * plane);
        float[] spreads = java.util.Arrays.copyOfRange(got, 6 * plane, 12 * plane);
        float[] expectedMeans = plain.clone();
        // cos 2psi of a field along x averages to 0 over the turns (half of them turn it by 90 deg) ...
        java.util.Arrays.fill(expectedMeans, 0, plane, 0f);
        assertArrayEquals(
                java.util.Arrays.copyOfRange(expectedMeans, 2 * plane, 6 * plane),
                java.util.Arrays.copyOfRange(means, 2 * plane, 6 * plane),
                1e-5f);
        // ... so its spread is 1; the equivariant maps have none.
        for (int k = 0; k < plane; k++) {
            assertEquals(1.0, spreads[k], 1e-5);
        }
        for (int k = 2 * plane; k < 6 * plane; k++) {
            assertEquals(0.0, spreads[k], 1e-4);
        }
    }
}
