package org.magmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link OneDnnBatchNormalization} against DL4J's own batch normalisation (its Java-side ops, an independent
 * implementation): the same settings, and in float the same outputs, gradients and running statistics after
 * training steps.
 */
class OneDnnBatchNormalizationTest {
    private static MultiLayerNetwork net(Layer norm, DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(type)
                .seed(5)
                .updater(new Sgd(0.05))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .nOut(6)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(norm)
                .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.TANH)
                        .build())
                .setInputType(InputType.convolutional(9, 9, 2))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void hasTheSettingsOfDl4jsBuilder() {
        BatchNormalization dl4j = new BatchNormalization.Builder().build();
        OneDnnBatchNormalization ours = OneDnnBatchNormalization.of(new BatchNormalization.Builder());
        assertEquals(dl4j.getDecay(), ours.getDecay());
        assertEquals(dl4j.getEps(), ours.getEps());
        assertEquals(dl4j.isUseLogStd(), ours.isUseLogStd());
        assertEquals(dl4j.isLockGammaBeta(), ours.isLockGammaBeta());
        MultiLayerNetwork a = net(ours, DataType.FLOAT);
        MultiLayerConfiguration back =
                MultiLayerConfiguration.fromJson(a.getLayerWiseConfigurations().toJson());
        assertInstanceOf(OneDnnBatchNormalization.class, back.getConf(1).getLayer());
        assertEquals(a.getLayerWiseConfigurations(), back);
    }

    @Test
    void trainsLikeDl4jsOwnLayerInFloat() {
        MultiLayerNetwork dl4j = net(new BatchNormalization.Builder().build(), DataType.FLOAT);
        MultiLayerNetwork ours = net(OneDnnBatchNormalization.of(new BatchNormalization.Builder()), DataType.FLOAT);
        ours.setParams(dl4j.params().dup());
        if (NativeKernels.hasOneDnn()) {
            assertInstanceOf(
                    OneDnnBatchNormalization.Helper.class, ours.getLayer(1).getHelper());
        }
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, 2, 9, 9).muli(2).addi(0.5);
        INDArray y = Nd4j.rand(DataType.FLOAT, 8, 6, 7, 7).subi(0.5);
        for (MultiLayerNetwork n : new MultiLayerNetwork[] {dl4j, ours}) {
            n.setInput(x);
            n.setLabels(y);
            n.computeGradientAndScore();
        }
        assertEquals(dl4j.score(), ours.score(), 1e-5 * dl4j.score());
        Map<String, INDArray> want = dl4j.gradient().gradientForVariable();
        Map<String, INDArray> got = ours.gradient().gradientForVariable();
        for (String key : want.keySet()) {
            // The convolution's bias gradient is zero up to rounding (the normalisation subtracts any bias):
            // measured against the weight gradient instead.
            INDArray scale = key.equals("0_b") ? want.get("0_W") : want.get(key);
            double diff = want.get(key).sub(got.get(key)).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-3 * scale.amaxNumber().doubleValue(), key + ": max |difference| " + diff);
        }
        // Three steps: the running mean and variance (log10 std) move the same way.
        for (int i = 0; i < 3; i++) {
            dl4j.fit(new DataSet(x, y));
            ours.fit(new DataSet(x, y));
        }
        for (String key : new String[] {"1_mean", "1_log10stdev", "1_gamma", "0_W"}) {
            assertClose(key, dl4j.paramTable().get(key), ours.paramTable().get(key), 1e-3);
        }
        assertClose("inference output", dl4j.output(x, false), ours.output(x, false), 1e-4);
    }

    private static void assertClose(String what, INDArray want, INDArray got, double tolerance) {
        double scale = Math.max(1e-6, want.amaxNumber().doubleValue());
        double diff = want.sub(got).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance * scale, what + ": max |difference| " + diff + " against max |value| " + scale);
    }
}
