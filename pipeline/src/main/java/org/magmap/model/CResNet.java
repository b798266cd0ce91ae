package org.magmap.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

/**
 * The conditional ResNet ("cresnet") of the H I paper (docs/science.md section 4): an image-to-image encoder, residual
 * core and decoder in the style of Johnson et al. (2016) / the pix2pix ResNet generator (Zhu et al. 2017), with
 * instance normalisation (Ulyanov et al. 2016) or batch normalisation (see {@link CResNetConfig.Norm}: the
 * default, since instance normalisation erases the patch-wide level 32-pixel targets depend on) and each residual
 * block modulated by FiLM (Perez et al. 2018) from a vector of observational conditions.
 *
 * <p>Graph inputs: {@value #IMAGE} [N, inputChannels, P, P] and {@value #CONDITION} [N, conditionSize]. Output
 * {@value #OUTPUT}: [N, outputChannels, P, P], identity activation, MSE loss; Adam(lr, 0.5, 0.999).
 *
 * <pre>
 * condition -> dense(4c) + ReLU -> per block: dense(2 * 4c)                 = FiLM gamma, beta
 * (N = the normalisation: IN or BN; written IN below)
 * image -> reflect 3, conv 7x7 (c), IN, ReLU
 *       -> conv 3x3 /2 (2c), IN, ReLU -> conv 3x3 /2 (4c), IN, ReLU
 *       -> blocks: x + FiLM(IN(conv3x3(reflect1(ReLU(IN(conv3x3(reflect1(x))))))))
 *       -> deconv 3x3 x2 (2c), IN, ReLU -> deconv 3x3 x2 (c), IN, ReLU
 *       -> reflect 3, conv 7x7 (outputChannels), identity -> MSE
 * </pre>
 *
 * Convolutions followed by normalisation have no bias, since the normalisation subtracts it again.
 */
public final class CResNet {
    /** Name of the image input. */
    public static final String IMAGE = "image";
    /** Name of the condition input. */
    public static final String CONDITION = "condition";
    /** Name of the output (loss) layer. */
    public static final String OUTPUT = "output";

    private static final double ADAM_BETA1 = 0.5;
    private static final double ADAM_BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;

    private CResNet() {}

    /**
     * Builds the network configuration; call {@code new ComputationGraph(conf).init()} to instantiate it.
     *
     * @param cfg architecture and optimiser settings
     * @return a configuration with inputs {@value #IMAGE}, {@value #CONDITION} and output {@value #OUTPUT}
     */
    public static ComputationGraphConfiguration build(CResNetConfig cfg) {
        return build(cfg, new Adam(cfg.learningRate(), ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON), DataType.FLOAT);
    }

    /** As {@link #build(CResNetConfig)} with another updater and precision (gradient checks need NoOp, double). */
    static ComputationGraphConfiguration build(CResNetConfig cfg, IUpdater updater, DataType dataType) {
        int c = cfg.baseChannels();
        int rc = cfg.residualChannels();
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .updater(updater)
                .dataType(dataType)
                // He initialisation: every convolution but the last feeds a ReLU (through the normalisation)
                .weightInit(WeightInit.RELU)
                // Without workspaces: with them, DL4J 1.0.0-M2.1 SameDiff layers intermittently read reused
                // workspace memory and training turns to NaN within two iterations (1 run in 5 on 2 cores, one
                // thread; 0 in 10 without workspaces, one or two threads). Slower, but correct.
                .trainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE)
                .inferenceWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE)
                .graphBuilder()
                .addInputs(IMAGE, CONDITION)
                .setInputTypes(
                        InputType.convolutional(cfg.patchSize(), cfg.patchSize(), cfg.inputChannels()),
                        InputType.feedForward(cfg.conditionSize()));

        // Condition MLP: one shared hidden layer, then a linear head per block giving that block's gamma and beta.
        g.addLayer(
                "cond_hidden",
                new DenseLayer.Builder()
                        .nOut(cfg.conditionHidden())
                        .activation(Activation.RELU)
                        .build(),
                CONDITION);

        // Encoder
        g.addLayer("enc_pad", new ReflectionPadding2D(3), IMAGE);
        CResNetConfig.Norm norm = cfg.normalization();
        String x = convNormRelu(g, "enc", conv(7, 1, c), "enc_pad", norm);
        x = convNormRelu(g, "down1", conv(3, 2, 2 * c), x, norm);
        x = convNormRelu(g, "down2", conv(3, 2, rc), x, norm);

        for (int b = 1; b <= cfg.residualBlocks(); b++) {
            x = residualBlock(g, "res" + b, rc, x, norm);
        }

        // Decoder: 'Same' mode makes each stride-2 transposed convolution exactly double H and W.
        x = convNormRelu(g, "up1", deconv(2 * c), x, norm);
        x = convNormRelu(g, "up2", deconv(c), x, norm);

        g.addLayer("out_pad", new ReflectionPadding2D(3), x);
        g.addLayer(
                "out_conv",
                new ContiguousIm2colConvolution(new ConvolutionLayer.Builder(7, 7)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .nOut(cfg.outputChannels())
                        .weightInit(WeightInit.XAVIER)
                        .activation(Activation.IDENTITY)),
                "out_pad");
        g.addLayer(
                OUTPUT,
                new CnnLossLayer.Builder()
                        .lossFunction(lossFunction(cfg))
                        .activation(Activation.IDENTITY)
                        .build(),
                "out_conv");
        g.setOutputs(OUTPUT);
        return g.build();
    }

    /**
     * Mean squared error over the output maps, per-map weighted when the psi maps weigh more than the others
     * (the weights are stored in the model's configuration, so a reloaded model scores the same).
     */
    private static ILossFunction lossFunction(CResNetConfig cfg) {
        if (cfg.psiLossWeight() == 1) {
            return new LossMSE();
        }
        return new LossMSE(Nd4j.create(cfg.lossWeights(), new long[] {1, cfg.outputChannels()}, DataType.FLOAT));
    }

    private static String residualBlock(
            ComputationGraphConfiguration.GraphBuilder g, String p, int ch, String in, CResNetConfig.Norm norm) {
        g.addLayer(p + "_pad1", new ReflectionPadding2D(1), in);
        g.addLayer(p + "_conv1", conv(3, 1, ch), p + "_pad1");
        g.addLayer(p + "_norm1", norm(norm), p + "_conv1");
        g.addLayer(p + "_relu1", new ActivationLayer(Activation.RELU), p + "_norm1");
        g.addLayer(p + "_pad2", new ReflectionPadding2D(1), p + "_relu1");
        g.addLayer(p + "_conv2", conv(3, 1, ch), p + "_pad2");
        g.addLayer(p + "_norm2", norm(norm), p + "_conv2");
        g.addLayer(
                p + "_film_proj",
                new DenseLayer.Builder()
                        .nOut(2 * ch)
                        .weightInit(WeightInit.XAVIER)
                        .activation(Activation.IDENTITY)
                        .build(),
                "cond_hidden");
        g.addVertex(p + "_film", new FiLM(ch), p + "_norm2", p + "_film_proj");
        g.addVertex(p + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), in, p + "_film");
        return p + "_add";
    }

    /** The normalisation layer after a bias-free convolution (see {@link CResNetConfig.Norm}). */
    private static org.deeplearning4j.nn.conf.layers.Layer norm(CResNetConfig.Norm norm) {
        return norm == CResNetConfig.Norm.BATCH
                ? OneDnnBatchNormalization.of(new BatchNormalization.Builder())
                : new InstanceNormalization();
    }

    private static String convNormRelu(
            ComputationGraphConfiguration.GraphBuilder g,
            String p,
            org.deeplearning4j.nn.conf.layers.Layer conv,
            String in,
            CResNetConfig.Norm norm) {
        g.addLayer(p + "_conv", conv, in);
        g.addLayer(p + "_norm", norm(norm), p + "_conv");
        g.addLayer(p + "_relu", new ActivationLayer(Activation.RELU), p + "_norm");
        return p + "_relu";
    }

    /**
     * Convolution without bias. Stride 1 is used after explicit reflection padding (Truncate, no implicit
     * padding); stride 2 uses zero 'Same' padding, giving exactly H/2, as the paper's downsampling does.
     */
    private static ConvolutionLayer conv(int kernel, int stride, int nOut) {
        return new ContiguousIm2colConvolution(new ConvolutionLayer.Builder(kernel, kernel)
                .stride(stride, stride)
                .convolutionMode(stride == 1 ? ConvolutionMode.Truncate : ConvolutionMode.Same)
                .hasBias(false)
                .nOut(nOut)
                .activation(Activation.IDENTITY));
    }

    /** A stride-2 transposed convolution, on libnd4j's ops where the natives have oneDNN ({@link NativeDeconvolution2D}). */
    private static Deconvolution2D deconv(int nOut) {
        return new NativeDeconvolution2D(new Deconvolution2D.Builder(3, 3)
                .stride(2, 2)
                .convolutionMode(ConvolutionMode.Same)
                .hasBias(false)
                .nOut(nOut)
                .activation(Activation.IDENTITY));
    }
}
