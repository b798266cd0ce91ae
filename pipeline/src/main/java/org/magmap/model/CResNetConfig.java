package org.magmap.model;

import java.io.Serializable;
import org.magmap.conf.ConfigNames;

/**
 * Architecture and optimiser settings of the conditional ResNet built by {@link CResNet}.
 *
 * @param patchSize side of the square input and output patches in pixels; a multiple of 4 (two stride-2
 *     downsamplings) and at least 8, so that the residual blocks see at least 2x2 pixels to reflect
 * @param inputChannels channels of the "image" input (1 for an intensity map)
 * @param conditionSize length of the "condition" input vector (observational conditions)
 * @param baseChannels channels after the first convolution; they double at each downsampling, so the residual
 *     blocks run at 4x this
 * @param residualBlocks number of FiLM-modulated residual blocks (the paper uses 6)
 * @param outputChannels predicted maps (6: cos 2psi, sin 2psi, gamma, B, M_A, M_s)
 * @param learningRate Adam step size (the paper uses 2e-4)
 * @param seed seed of the weight initialisation
 * @param normalization the normalisation after each convolution ({@link Norm})
 * @param psiLossWeight weight of the two psi maps (cos 2psi, sin 2psi, the first two outputs) in the MSE loss,
 *     the other maps weighing 1; 1 is the paper's plain MSE
 */
public record CResNetConfig(
        int patchSize,
        int inputChannels,
        int conditionSize,
        int baseChannels,
        int residualBlocks,
        int outputChannels,
        double learningRate,
        long seed,
        Norm normalization,
        double psiLossWeight)
        implements Serializable {

    /**
     * The normalisation after each convolution. The H I paper's generator uses instance normalisation, which
     * removes every feature map's mean and spread over the patch: how strongly a feature is present across the
     * whole patch survives only in the shape of what is left. On 32-pixel patches most of what the targets hold is
     * that patch-wide level (psi, gamma, B, M_A and M_s barely vary inside one). Batch normalisation (the other
     * choice of the pix2pix generator the paper follows) keeps it. Measured here on H I patches of the
     * sub-Alfvenic b5-s1.25 run (base 8, 2 blocks, Adam 1e-3, batches of 32): instance-normalised, the median psi
     * error stayed at 45 deg (chance) for 250 steps; batch-normalised, it reached 8.5 deg after 100 and 6.2 after
     * 150 (docs/results.md). On clean synthetic stripes both learn.
     */
    public enum Norm {
        /** Batch normalisation (running statistics at inference). */
        BATCH,
        /** Instance normalisation (Ulyanov et al. 2016), as in the H I paper. */
        INSTANCE;

        /** "batch" or "instance". */
        public static Norm parse(String name) {
            return ConfigNames.parse(Norm.class, name, "normalization");
        }
    }

    /** The paper's residual block count. */
    public static final int DEFAULT_RESIDUAL_BLOCKS = 6;
    /** cos 2psi, sin 2psi, gamma, B, M_A, M_s. */
    public static final int DEFAULT_OUTPUT_CHANNELS = 6;
    /** The paper's Adam learning rate. */
    public static final double DEFAULT_LEARNING_RATE = 2e-4;
    /**
     * Base width. The pix2pix-style generator the paper follows uses 64; 32 keeps a CPU epoch affordable (a
     * quarter of the convolution cost) and can be raised from the configuration.
     */
    public static final int DEFAULT_BASE_CHANNELS = 32;

    /** Validates the settings. */
    public CResNetConfig {
        if (patchSize < 8 || patchSize % 4 != 0) {
            throw new IllegalArgumentException("patchSize must be a multiple of 4 and >= 8, got " + patchSize);
        }
        requirePositive("inputChannels", inputChannels);
        requirePositive("conditionSize", conditionSize);
        requirePositive("baseChannels", baseChannels);
        requirePositive("outputChannels", outputChannels);
        java.util.Objects.requireNonNull(normalization, "normalization");
        if (residualBlocks < 0) {
            throw new IllegalArgumentException("residualBlocks must be >= 0, got " + residualBlocks);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a positive number, got " + learningRate);
        }
        if (!(psiLossWeight > 0) || Double.isInfinite(psiLossWeight)) {
            throw new IllegalArgumentException("psiLossWeight must be a positive number, got " + psiLossWeight);
        }
        if (psiLossWeight != 1 && outputChannels < 2) {
            throw new IllegalArgumentException("psiLossWeight needs the two psi maps among the outputs");
        }
    }

    /** These settings for an image of {@code channels} maps (a stacked observable). */
    public CResNetConfig withInputChannels(int channels) {
        return new CResNetConfig(
                patchSize,
                channels,
                conditionSize,
                baseChannels,
                residualBlocks,
                outputChannels,
                learningRate,
                seed,
                normalization,
                psiLossWeight);
    }

    /** The MSE weight of each output map: {@code psiLossWeight} for the first two (psi), 1 for the rest. */
    public double[] lossWeights() {
        double[] w = new double[outputChannels];
        java.util.Arrays.fill(w, 1.0);
        if (psiLossWeight != 1) {
            w[0] = psiLossWeight;
            w[1] = psiLossWeight;
        }
        return w;
    }

    /**
     * The paper's architecture on 32x32 single-channel patches: 6 residual blocks, 6 output maps, Adam 2e-4, with
     * the configured default normalisation (batch; see {@link Norm}).
     *
     * @param conditionSize length of the condition vector
     * @param seed seed of the weight initialisation
     */
    public static CResNetConfig defaults(int conditionSize, long seed) {
        return new CResNetConfig(
                32,
                1,
                conditionSize,
                DEFAULT_BASE_CHANNELS,
                DEFAULT_RESIDUAL_BLOCKS,
                DEFAULT_OUTPUT_CHANNELS,
                DEFAULT_LEARNING_RATE,
                seed,
                Norm.BATCH,
                1);
    }

    /** Channels inside the residual blocks (after two doublings). */
    public int residualChannels() {
        return 4 * baseChannels;
    }

    /** Width of the hidden layer of the condition MLP; as wide as the residual blocks it modulates. */
    public int conditionHidden() {
        return residualChannels();
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
