package org.magmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.magmap.model.ModelGradientCheckTest.random;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link ContiguousIm2colConvolution} against DL4J's own {@link ConvolutionLayer}, an independent implementation of
 * the same function: with the same parameters, the outputs, the loss and every parameter's gradient agree. The
 * layer under test sits second, behind a DL4J convolution, so that the gradient it passes down (its col2im) reaches
 * the first layer's weight gradient and is compared too.
 */
class ContiguousIm2colConvolutionTest {

    /** Builds [DL4J conv 3x3 -> the convolution under test -> MSE] on a 3-channel 11x10 input, double precision. */
    private static ComputationGraph twoConvs(org.deeplearning4j.nn.conf.layers.Layer second) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(3)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(11, 10, 3))
                .addLayer(
                        "first",
                        new ConvolutionLayer.Builder(3, 3)
                                .convolutionMode(ConvolutionMode.Same)
                                .nOut(4)
                                .activation(Activation.TANH)
                                .build(),
                        "in")
                .addLayer("second", second, "first")
                .addLayer(
                        "loss",
                        new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                                .activation(Activation.IDENTITY)
                                .build(),
                        "second")
                .setOutputs("loss")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    /** Kernel, stride, padding, dilation, mode and bias of the second layer; each case its own code path. */
    private static ConvolutionLayer.Builder secondLayer(String variant) {
        ConvolutionLayer.Builder b = new ConvolutionLayer.Builder().nOut(5).activation(Activation.SIGMOID);
        return switch (variant) {
                // The ResNet's output convolution: large kernel, bias, no padding.
            case "7x7-bias" -> b.kernelSize(7, 7).convolutionMode(ConvolutionMode.Truncate);
                // Its downsampling: stride 2, 'Same' (asymmetric padding), no bias, odd height.
            case "3x3-stride2-same" -> b.kernelSize(3, 3)
                    .stride(2, 2)
                    .convolutionMode(ConvolutionMode.Same)
                    .hasBias(false);
                // Explicit zero padding, unequal strides and kernel, dilation.
            case "2x3-padded-dilated" -> b.kernelSize(2, 3)
                    .stride(1, 2)
                    .padding(1, 2)
                    .dilation(2, 1)
                    .convolutionMode(ConvolutionMode.Truncate);
            default -> throw new IllegalArgumentException(variant);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"7x7-bias", "3x3-stride2-same", "2x3-padded-dilated"})
    void matchesDl4jConvolutionForwardAndBackward(String variant) {
        ComputationGraph reference = twoConvs(secondLayer(variant).build());
        ComputationGraph contiguous = twoConvs(new ContiguousIm2colConvolution(secondLayer(variant)));
        contiguous.setParams(reference.params().dup());
        assertInstanceOf(ContiguousIm2colConvolutionLayer.class, contiguous.getLayer("second"));

        INDArray input = random(11, 4, 3, 11, 10);
        INDArray out = reference.outputSingle(input);
        INDArray label = random(12, out.shape());
        assertEquals(0, out.sub(contiguous.outputSingle(input)).amaxNumber().doubleValue(), 1e-12);

        reference.setInputs(input);
        reference.setLabels(label);
        reference.computeGradientAndScore();
        contiguous.setInputs(input);
        contiguous.setLabels(label);
        contiguous.computeGradientAndScore();
        assertEquals(reference.score(), contiguous.score(), 1e-12);
        Map<String, INDArray> want = reference.gradient().gradientForVariable();
        Map<String, INDArray> got = contiguous.gradient().gradientForVariable();
        assertEquals(want.keySet(), got.keySet());
        for (String key : want.keySet()) {
            double scale = Math.max(1e-12, want.get(key).amaxNumber().doubleValue());
            double diff = want.get(key).sub(got.get(key)).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-10 * scale, key + ": max |difference| " + diff + " against max |gradient| " + scale);
        }
    }

    @Test
    void survivesJsonAndKeepsItsClass() {
        ComputationGraph net = twoConvs(new ContiguousIm2colConvolution(secondLayer("3x3-stride2-same")));
        ComputationGraphConfiguration conf = net.getConfiguration();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        ComputationGraph restored = new ComputationGraph(back);
        restored.init(net.params().dup(), false);
        assertInstanceOf(ContiguousIm2colConvolutionLayer.class, restored.getLayer("second"));
        INDArray input = random(13, 2, 3, 11, 10);
        assertEquals(net.outputSingle(input), restored.outputSingle(input));
    }

    @Test
    void refusesNhwc() {
        UnaryOperator<ConvolutionLayer.Builder> nhwc = b -> b.dataFormat(CNN2DFormat.NHWC);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ContiguousIm2colConvolution(nhwc.apply(secondLayer("7x7-bias"))));
        assertTrue(e.getMessage().contains("NCHW"), e.getMessage());
    }
}
