package org.magmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.magmap.model.ModelGradientCheckTest.random;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
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
                // The ResNet's output convolution: large kernel, bias, no padding, identity activation (so backprop
                // takes the branch that never computes the output).
            case "7x7-bias" -> b.kernelSize(7, 7)
                    .convolutionMode(ConvolutionMode.Truncate)
                    .activation(Activation.IDENTITY);
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

    /**
     * Both kernels the layer can run on (see {@link NativeKernels#convolutionThroughLibnd4j}): libnd4j's conv2d ops
     * and the contiguous im2col. In double precision libnd4j runs its generic kernel, oneDNN's being float.
     */
    @ParameterizedTest
    @CsvSource({
        "7x7-bias, im2col",
        "3x3-stride2-same, im2col",
        "2x3-padded-dilated, im2col",
        "7x7-bias, libnd4j",
        "3x3-stride2-same, libnd4j",
        "2x3-padded-dilated, libnd4j"
    })
    void matchesDl4jConvolutionForwardAndBackward(String variant, String kernel) {
        ComputationGraph reference = twoConvs(secondLayer(variant).build());
        ComputationGraph contiguous =
                withKernel(kernel, () -> twoConvs(new ContiguousIm2colConvolution(secondLayer(variant))));
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
            assertClose(key, want.get(key), got.get(key));
        }
    }

    /**
     * Backprop reuses the columns of the training forward pass only for the input they were made from: after a
     * forward pass on one input and a switch to another, and after an inference pass, the gradients still match
     * DL4J's layer, which redoes the forward pass in backprop.
     */
    @ParameterizedTest
    @ValueSource(strings = {"7x7-bias", "3x3-stride2-same"})
    void backpropUsesTheColumnsOfItsOwnInputOnly(String variant) {
        ComputationGraph reference = twoConvs(secondLayer(variant).build());
        ComputationGraph contiguous = twoConvs(new ContiguousIm2colConvolution(secondLayer(variant)));
        contiguous.setParams(reference.params().dup());
        // The gradient arrays the layers write into (a network makes them on its first gradient computation).
        reference.initGradientsView();
        contiguous.initGradientsView();
        Layer want = reference.getLayer("second");
        Layer got = contiguous.getLayer("second");
        INDArray first = random(21, 3, 4, 11, 10);
        INDArray second = random(22, 3, 4, 11, 10);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray epsilon = random(23, want.activate(first, false, noWorkspaces).shape());

        // Trained forward on one input, backprop on another: the columns on hand are not this input's.
        for (Layer layer : new Layer[] {want, got}) {
            layer.activate(first, true, noWorkspaces);
            layer.setInput(second, noWorkspaces);
        }
        assertSameGradients(want.backpropGradient(epsilon, noWorkspaces), got.backpropGradient(epsilon, noWorkspaces));
        // Trained forward and backprop on the same input: the columns are reused.
        for (Layer layer : new Layer[] {want, got}) {
            layer.activate(second, true, noWorkspaces);
        }
        assertSameGradients(want.backpropGradient(epsilon, noWorkspaces), got.backpropGradient(epsilon, noWorkspaces));
        // An inference pass on another input between them: it overwrites the columns.
        for (Layer layer : new Layer[] {want, got}) {
            layer.activate(second, true, noWorkspaces);
            layer.activate(first, false, noWorkspaces);
            layer.setInput(second, noWorkspaces);
        }
        assertSameGradients(want.backpropGradient(epsilon, noWorkspaces), got.backpropGradient(epsilon, noWorkspaces));
    }

    private static void assertSameGradients(Pair<Gradient, INDArray> want, Pair<Gradient, INDArray> got) {
        assertClose("input gradient", want.getSecond(), got.getSecond());
        Map<String, INDArray> wantParams = want.getFirst().gradientForVariable();
        Map<String, INDArray> gotParams = got.getFirst().gradientForVariable();
        assertEquals(wantParams.keySet(), gotParams.keySet());
        for (String key : wantParams.keySet()) {
            assertClose(key, wantParams.get(key), gotParams.get(key));
        }
    }

    private static void assertClose(String what, INDArray want, INDArray got) {
        double scale = Math.max(1e-12, want.amaxNumber().doubleValue());
        double diff = want.sub(got).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-10 * scale, what + ": max |difference| " + diff + " against max |value| " + scale);
    }

    /**
     * In float, where a -onednn build runs oneDNN's kernels: the paper-size CNN's output, loss and every gradient
     * through libnd4j's ops equal the contiguous im2col's to float precision.
     */
    @Test
    void libnd4jKernelsEqualTheIm2colOnesInFloat() {
        // The layers are made, with their kernel, when a network is initialised.
        MultiLayerNetwork im2col = withKernel("im2col", () -> {
            MultiLayerNetwork net = new MultiLayerNetwork(Cnn.build(Cnn.Config.paper(3)));
            net.init();
            return net;
        });
        MultiLayerNetwork libnd4j = withKernel("libnd4j", () -> {
            MultiLayerNetwork net = new MultiLayerNetwork(Cnn.build(Cnn.Config.paper(3)));
            net.init(im2col.params().dup(), false);
            return net;
        });
        INDArray x = org.nd4j.linalg.factory.Nd4j.randn(DataType.FLOAT, 16, 1, 32, 32);
        INDArray y = org.nd4j.linalg.factory.Nd4j.randn(DataType.FLOAT, 16, 1);
        assertRelativelyClose("output", im2col.output(x, false), libnd4j.output(x, false), 1e-4);
        for (var net : List.of(im2col, libnd4j)) {
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        assertEquals(im2col.score(), libnd4j.score(), 1e-4 * im2col.score());
        Map<String, INDArray> want = im2col.gradient().gradientForVariable();
        Map<String, INDArray> got = libnd4j.gradient().gradientForVariable();
        assertEquals(want.keySet(), got.keySet());
        for (String key : want.keySet()) {
            // A convolution's bias before batch normalisation has a gradient of zero up to rounding (the
            // normalisation subtracts it again): measure it against its layer's weight gradient.
            String weights = key.replaceAll("_b$", "_W");
            double scale = Math.max(
                    want.get(key).amaxNumber().doubleValue(),
                    want.get(weights).amaxNumber().doubleValue());
            double diff = want.get(key).sub(got.get(key)).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-3 * scale, key + ": max |difference| " + diff + " against " + scale);
        }
    }

    private static void assertRelativelyClose(String what, INDArray want, INDArray got, double tolerance) {
        double scale = Math.max(1e-12, want.amaxNumber().doubleValue());
        double diff = want.sub(got).amaxNumber().doubleValue();
        assertTrue(diff <= tolerance * scale, what + ": max |difference| " + diff + " against max |value| " + scale);
    }

    /** Builds with the layer's kernel forced through {@link NativeKernels#CONVOLUTION_PROPERTY}. */
    static <T> T withKernel(String kernel, java.util.function.Supplier<T> build) {
        String before = System.getProperty(NativeKernels.CONVOLUTION_PROPERTY);
        System.setProperty(NativeKernels.CONVOLUTION_PROPERTY, kernel);
        try {
            return build.get();
        } finally {
            if (before == null) {
                System.clearProperty(NativeKernels.CONVOLUTION_PROPERTY);
            } else {
                System.setProperty(NativeKernels.CONVOLUTION_PROPERTY, before);
            }
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
