package org.magmap.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Finite-difference gradient checks (DL4J's {@link GradientCheckUtil}, double precision) of small graphs that
 * route every parameter's gradient through the custom layers, so a wrong backward pass in any of them fails.
 */
class ModelGradientCheckTest {
    // DL4J's own layer tests use these: central differences with step 1e-6 in double precision agree with
    // analytic gradients to ~1e-7 relative; 1e-3 leaves room, and tiny gradients (< 1e-8) are not compared.
    private static final double EPS = 1e-6;
    private static final double MAX_REL_ERROR = 1e-3;
    private static final double MIN_ABS_ERROR = 1e-8;

    private DataType savedDefault;
    private DataType savedFloat;

    @BeforeEach
    void doublePrecision() {
        savedDefault = Nd4j.dataType();
        savedFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restorePrecision() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloat);
    }

    private static ComputationGraphConfiguration.GraphBuilder builder() {
        return new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .seed(12345)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .graphBuilder();
    }

    private static ConvolutionLayer conv(int k, int nOut) {
        return new ConvolutionLayer.Builder(k, k)
                .convolutionMode(ConvolutionMode.Truncate)
                .nOut(nOut)
                .activation(Activation.TANH)
                .build();
    }

    private static CnnLossLayer mse() {
        return new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                .activation(Activation.IDENTITY)
                .build();
    }

    /** Standard-normal values in double precision, reproducible from {@code seed} (shared with the layer tests). */
    static INDArray random(long seed, long... shape) {
        Random rng = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rng.nextGaussian());
        }
        return a;
    }

    private static void check(ComputationGraphConfiguration conf, INDArray[] inputs, INDArray label) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net)
                .inputs(inputs)
                .labels(new INDArray[] {label})
                .epsilon(EPS)
                .maxRelError(MAX_REL_ERROR)
                .minAbsoluteError(MIN_ABS_ERROR));
        assertTrue(ok, "gradient check failed");
    }

    @Test
    void reflectionPadding() {
        // conv(2x2) 5x4 -> 4x3, pad 2 -> 8x7, conv(3x3) -> 6x5: the first conv's gradients pass the padding,
        // including the reflected border that receives gradient from two places.
        ComputationGraphConfiguration conf = builder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(5, 4, 2))
                .addLayer("c1", conv(2, 3), "in")
                .addLayer("pad", new ReflectionPadding2D(2), "c1")
                .addLayer("c2", conv(3, 2), "pad")
                .addLayer("out", mse(), "c2")
                .setOutputs("out")
                .build();
        check(conf, new INDArray[] {random(1, 2, 2, 5, 4)}, random(2, 2, 2, 6, 5));
    }

    @Test
    void instanceNormalization() {
        ComputationGraphConfiguration conf = builder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(4, 5, 2))
                .addLayer("c1", conv(1, 3), "in")
                .addLayer("norm", new InstanceNormalization(), "c1")
                .addLayer("c2", conv(2, 2), "norm")
                .addLayer("out", mse(), "c2")
                .setOutputs("out")
                .build();
        check(conf, new INDArray[] {random(3, 2, 2, 4, 5)}, random(4, 2, 2, 3, 4));
    }

    @Test
    void film() {
        ComputationGraphConfiguration conf = builder()
                .addInputs("img", "cond")
                .setInputTypes(InputType.convolutional(3, 4, 2), InputType.feedForward(3))
                .addLayer("c1", conv(1, 2), "img")
                .addLayer(
                        "proj",
                        new DenseLayer.Builder()
                                .nOut(4)
                                .activation(Activation.TANH)
                                .build(),
                        "cond")
                .addVertex("film", new FiLM(2), "c1", "proj")
                .addLayer("c2", conv(2, 2), "film")
                .addLayer("out", mse(), "c2")
                .setOutputs("out")
                .build();
        check(conf, new INDArray[] {random(5, 3, 2, 3, 4), random(6, 3, 3)}, random(7, 3, 2, 2, 3));
    }

    @Test
    void contiguousIm2colConvolution() {
        // A stride-2 'Same' convolution with bias (asymmetric padding) after a DL4J one, so the gradient this layer
        // passes down (its col2im) is checked through the first layer's weights as well as its own weights and bias.
        ComputationGraphConfiguration conf = builder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(7, 6, 2))
                .addLayer("conv1", conv(2, 3), "in")
                .addLayer(
                        "conv2",
                        new ContiguousIm2colConvolution(new ConvolutionLayer.Builder(3, 3)
                                .stride(2, 2)
                                .convolutionMode(ConvolutionMode.Same)
                                .nOut(2)
                                .activation(Activation.TANH)),
                        "conv1")
                .addLayer("out", mse(), "conv2")
                .setOutputs("out")
                .build();
        check(conf, new INDArray[] {random(11, 2, 2, 7, 6)}, random(12, 2, 2, 3, 3));
    }

    @Test
    @EnabledIfSystemProperty(named = "magmap.heavyTests", matches = "true")
    void tinyCResNet() {
        // The whole architecture (reflection, instance norm, FiLM, skip, stride-2 convs, transposed convs),
        // 8x8 patches, base width 2, one block: ~2400 parameters, all checked. That takes ~3 min on 2 cores (DL4J's
        // subset mode was slower still), so it is a heavy test: -Dmagmap.heavyTests=true.
        ComputationGraphConfiguration conf = CResNet.build(
                new CResNetConfig(8, 1, 2, 2, 1, 2, 1e-3, 7, CResNetConfig.Norm.INSTANCE, 1),
                new NoOp(),
                DataType.DOUBLE);
        check(conf, new INDArray[] {random(8, 2, 1, 8, 8), random(9, 2, 2)}, random(10, 2, 2, 8, 8));
    }
}
