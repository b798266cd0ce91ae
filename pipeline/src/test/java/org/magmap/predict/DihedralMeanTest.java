package org.magmap.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.magmap.model.CResNet;
import org.magmap.model.CResNetConfig;
import org.magmap.patch.Dihedral;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The mean over the eight symmetries is an exactly equivariant predictor whatever the network: predicting a
 * turned or mirrored patch gives the prediction of the patch, turned or mirrored, with psi turned along (a
 * quarter turn adds 90 deg: cos 2psi and sin 2psi change sign). A single pass of the same network is not.
 */
class DihedralMeanTest {
    private static final int SIZE = 16;
    private static final int PATCHES = 3;

    @Test
    void theMeanPredictsATurnedPatchAsTheTurnedPrediction() {
        ComputationGraph net = untrained();
        INDArray image = Nd4j.rand(DataType.FLOAT, PATCHES, 1, SIZE, SIZE);
        INDArray condition = Nd4j.rand(DataType.FLOAT, PATCHES, 3);
        float[] mean = flat(new DihedralMeanRunner(new GraphRunner(net)).output(new INDArray[] {image, condition}));
        float[] single = flat(net.output(false, image, condition)[0]);
        double singleWorst = 0;
        for (int element = 1; element < Dihedral.ORDER; element++) {
            INDArray moved = Nd4j.create(moveEach(flat(image), element, false), image.shape(), 'c');
            float[] expected = moveEach(mean, element, true);
            float[] got = flat(new DihedralMeanRunner(new GraphRunner(net)).output(new INDArray[] {moved, condition}));
            assertEquals(expected.length, got.length);
            for (int i = 0; i < got.length; i++) {
                assertEquals(
                        expected[i], got[i], 2e-5 * (1 + Math.abs(expected[i])), "element " + element + " value " + i);
            }
            float[] singleMoved = flat(net.output(false, moved, condition)[0]);
            float[] singleExpected = moveEach(single, element, true);
            for (int i = 0; i < singleMoved.length; i++) {
                singleWorst = Math.max(singleWorst, Math.abs(singleMoved[i] - singleExpected[i]));
            }
        }
        assertTrue(singleWorst > 1e-2, "one pass of an untrained network is not equivariant: " + singleWorst);
    }

    @Test
    void theMeanHasTheNetworksOutputShape() {
        ComputationGraph net = untrained();
        INDArray image = Nd4j.rand(DataType.FLOAT, 2, 1, SIZE, SIZE);
        INDArray out = new DihedralMeanRunner(new GraphRunner(net))
                .output(new INDArray[] {image, Nd4j.rand(DataType.FLOAT, 2, 3)});
        assertArrayEquals(new long[] {2, 6, SIZE, SIZE}, out.shape());
    }

    private static ComputationGraph untrained() {
        ComputationGraph net = new ComputationGraph(
                CResNet.build(new CResNetConfig(SIZE, 1, 3, 4, 1, 6, 2e-4, 5, CResNetConfig.Norm.BATCH, 1)));
        net.init();
        return net;
    }

    private static float[] flat(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    /**
     * Every SIZE x SIZE map of {@code values} under {@code element}; with {@code psiSigns} the maps are six per
     * patch and channels 0 and 1 (cos 2psi, sin 2psi) take the element's signs.
     */
    private static float[] moveEach(float[] values, int element, boolean psiSigns) {
        int pixels = SIZE * SIZE;
        float[] out = new float[values.length];
        float[] one = new float[pixels];
        for (int m = 0; m < values.length / pixels; m++) {
            System.arraycopy(values, m * pixels, one, 0, pixels);
            float[] moved = Dihedral.apply(one, SIZE, element);
            int channel = m % 6;
            int sign = !psiSigns
                    ? 1
                    : channel == MapTargets.COS2PSI
                            ? Dihedral.cos2PsiSign(element)
                            : channel == MapTargets.SIN2PSI ? Dihedral.sin2PsiSign(element) : 1;
            for (int p = 0; p < pixels; p++) {
                out[m * pixels + p] = sign * moved[p];
            }
        }
        return out;
    }
}
