package org.magmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link NativeDeconvolution2D} against DL4J's own {@link Deconvolution2D} (an independent implementation): the
 * same output, loss and gradients, behind a convolution so that the input gradient it passes down is compared too.
 */
class NativeDeconvolution2DTest {
    private static Deconvolution2D.Builder deconv(String variant) {
        Deconvolution2D.Builder b =
                new Deconvolution2D.Builder(3, 3).stride(2, 2).nOut(5);
        return switch (variant) {
                // the cresnet's decoder: 'Same' (exactly twice the input), no bias, identity
            case "same" -> b.convolutionMode(ConvolutionMode.Same)
                    .hasBias(false)
                    .activation(Activation.IDENTITY);
                // Truncate with padding, a bias and an activation whose derivative needs the output
            case "truncate" -> b.convolutionMode(ConvolutionMode.Truncate)
                    .padding(1, 1)
                    .activation(Activation.SIGMOID);
            default -> throw new IllegalArgumentException(variant);
        };
    }

    private static MultiLayerNetwork net(Layer second, DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(type)
                .seed(3)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3)
                        .convolutionMode(ConvolutionMode.Same)
                        .nOut(4)
                        .activation(Activation.TANH)
                        .build())
                .layer(second)
                .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(7, 6, 3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @ParameterizedTest
    @CsvSource({"same, DOUBLE, 1e-10", "truncate, DOUBLE, 1e-10", "same, FLOAT, 1e-4", "truncate, FLOAT, 1e-4"})
    void matchesDl4jsTransposedConvolution(String variant, DataType type, double tolerance) {
        MultiLayerNetwork dl4j = net(deconv(variant).build(), type);
        MultiLayerNetwork ours = ContiguousIm2colConvolutionTest.withKernel(
                "libnd4j", () -> net(new NativeDeconvolution2D(deconv(variant)), type));
        assertInstanceOf(NativeDeconvolution2D.NativeLayer.class, ours.getLayer(1));
        ours.setParams(dl4j.params().dup());
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.randn(type, 2, 3, 7, 6);
        INDArray out = dl4j.output(x, false);
        INDArray y = Nd4j.randn(type, out.shape());
        assertClose("output", out, ours.output(x, false), tolerance);
        dl4j.setInput(x);
        dl4j.setLabels(y);
        dl4j.computeGradientAndScore();
        ours.setInput(x);
        ours.setLabels(y);
        ours.computeGradientAndScore();
        assertEquals(dl4j.score(), ours.score(), tolerance * dl4j.score());
        Map<String, INDArray> want = dl4j.gradient().gradientForVariable();
        Map<String, INDArray> got = ours.gradient().gradientForVariable();
        assertEquals(want.keySet(), got.keySet());
        for (String key : want.keySet()) {
            assertClose(key, want.get(key), got.get(key), tolerance);
        }
    }

    private static void assertClose(String what, INDArray want, INDArray got, double tolerance) {
        double scale = Math.max(1e-12, want.amaxNumber().doubleValue());
        double diff = want.sub(got).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance * scale, what + ": max |difference| " + diff + " against max |value| " + scale);
    }
}
