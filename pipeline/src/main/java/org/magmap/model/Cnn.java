package org.magmap.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.magmap.conf.ConfigNames;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The cluster paper's CNN: repeated blocks of [3x3 convolution, batch normalisation, ReLU] x 2 followed by 2x2
 * max pooling, then a dense ReLU layer and one linear output (the patch's mean field strength B in uG, trained
 * with mean squared error so the loss is in uG^2 like the paper's Table 2). Between the last block and the dense
 * layer sits the {@link Head}: the paper's flatten, or a global average over positions.
 */
public final class Cnn {
    private Cnn() {}

    /** How the last block's feature maps reach the dense layer. */
    public enum Head {
        /**
         * Every position of every channel feeds the dense layer (the paper's flatten): 4 x 4 x 128 = 2,048 inputs
         * per dense unit for a 32-pixel patch.
         */
        FLATTEN,
        /**
         * Each channel is averaged over positions first, so the dense layer sees one value per channel: how much of
         * each learned pattern (e.g. structure elongated at some angle) the patch holds, wherever it lies. The
         * field strength is a property of the patch's texture (its anisotropy, docs/science.md intro), not of where a
         * feature sits, and with 16x fewer dense weights the network cannot memorise the few maps a simulation
         * suite provides as easily (docs/results.md, the results table).
         */
        GLOBAL_AVERAGE;

        /** "flatten" or "global-average", as in the config. */
        public static Head parse(String name) {
            return ConfigNames.parse(Head.class, name, "CNN head");
        }
    }

    /**
     * Architecture and optimiser.
     *
     * @param patchSize input side (32)
     * @param blockChannels output channels of each block (default 32, 64, 128)
     * @param denseUnits units of the dense layer (default 256)
     * @param head between the blocks and the dense layer (default: the paper's flatten)
     * @param learningRate Adam learning rate (default 2e-4)
     * @param beta1 Adam beta1 (default 0.5, as in the H I paper)
     * @param beta2 Adam beta2 (default 0.999)
     * @param seed weight initialisation seed
     */
    public record Config(
            int patchSize,
            List<Integer> blockChannels,
            int denseUnits,
            Head head,
            double learningRate,
            double beta1,
            double beta2,
            long seed)
            implements Serializable {
        public Config {
            blockChannels = List.copyOf(blockChannels);
            Objects.requireNonNull(head, "head");
            if (blockChannels.isEmpty()) {
                throw new IllegalArgumentException("the CNN needs at least one block");
            }
            int side = patchSize;
            for (int i = 0; i < blockChannels.size(); i++) {
                if (side % 2 != 0) {
                    throw new IllegalArgumentException(blockChannels.size() + " pooling blocks do not divide a "
                            + patchSize + "-pixel patch evenly");
                }
                side /= 2;
            }
        }

        /** The paper-sized network. */
        public static Config paper(long seed) {
            return new Config(32, List.of(32, 64, 128), 256, Head.FLATTEN, 2e-4, 0.5, 0.999, seed);
        }
    }

    /** The network configuration (input [N, 1, size, size], output [N, 1]), output bias starting at 0. */
    public static MultiLayerConfiguration build(Config c) {
        return build(c, 0);
    }

    /**
     * The network configuration with the output's bias starting at {@code outputBias}: give it the training mean
     * of the target. Adam moves a parameter by about one learning rate per step, so an output that must travel from
     * 0 to a mean of 2.4 uG at 1e-3 spends thousands of steps on the offset alone before it learns any variation.
     */
    public static MultiLayerConfiguration build(Config c, double outputBias) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .updater(new Adam(c.learningRate(), c.beta1(), c.beta2(), 1e-8))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        int layer = 0;
        for (int channels : c.blockChannels()) {
            for (int k = 0; k < 2; k++) {
                b.layer(
                        layer++,
                        // DL4J's convolution with a faster im2col (ContiguousIm2colConvolution), same function.
                        new ContiguousIm2colConvolution(new ConvolutionLayer.Builder(3, 3)
                                .nOut(channels)
                                .activation(Activation.IDENTITY)));
                // DL4J's batch normalisation on oneDNN's kernels where the natives have them.
                b.layer(layer++, OneDnnBatchNormalization.of(new BatchNormalization.Builder()));
                b.layer(
                        layer++,
                        new ActivationLayer.Builder()
                                .activation(Activation.RELU)
                                .build());
            }
            b.layer(
                    layer++,
                    new SubsamplingLayer.Builder(PoolingType.MAX)
                            .kernelSize(2, 2)
                            .stride(2, 2)
                            .build());
        }
        if (c.head() == Head.GLOBAL_AVERAGE) {
            b.layer(layer++, new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        }
        b.layer(
                layer++,
                new DenseLayer.Builder()
                        .nOut(c.denseUnits())
                        .activation(Activation.RELU)
                        .build());
        b.layer(
                layer,
                new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nOut(1)
                        .biasInit(outputBias)
                        .activation(Activation.IDENTITY)
                        .build());
        return b.setInputType(InputType.convolutional(c.patchSize(), c.patchSize(), 1))
                .build();
    }
}
