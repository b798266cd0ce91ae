package org.magmap.model;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Instance normalisation (Ulyanov, Vedaldi and Lempitsky 2016, "Instance Normalization: The Missing Ingredient
 * for Fast Stylization", arXiv:1607.08022) of an NCHW activation: for each sample and channel, subtract the mean
 * over H and W and divide by {@code sqrt(var + epsilon)} (biased variance, as the paper and PyTorch's
 * {@code InstanceNorm2d}), then apply a learnable per-channel scale gamma (initialised to 1) and shift beta
 * (initialised to 0). The statistics come from the sample itself at training and inference time alike, so there
 * are no running averages.
 *
 * <p>Written from primitive SameDiff ops (mean, subtract, multiply, rsqrt) because SameDiff's {@code batchNorm}
 * cannot be back-propagated in 1.0.0-M2.1. The channel count is taken from the input type when the network is
 * built. Parameters: {@code gamma} and {@code beta}, each of shape [1, C]; both are registered as bias-like
 * parameters so that weight regularisation never pulls the scale towards zero.
 */
public class InstanceNormalization extends SameDiffLayer {
    static {
        SameDiffConsole.install(); // ND4J M2.1 prints a line per differentiated op otherwise
    }

    private static final long serialVersionUID = 1L;

    /** Parameter key of the per-channel scale. */
    public static final String GAMMA = "gamma";
    /** Parameter key of the per-channel shift. */
    public static final String BETA = "beta";
    /** Default epsilon, as in the paper's reference implementation and PyTorch. */
    public static final double DEFAULT_EPSILON = 1e-5;

    private long channels;
    private double epsilon = DEFAULT_EPSILON;

    /** Instance normalisation with epsilon 1e-5; the channel count comes from the input type. */
    public InstanceNormalization() {}

    /**
     * @param epsilon added to the variance before the square root, for numerical safety on flat maps
     */
    public InstanceNormalization(double epsilon) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    /** Number of channels (set from the input type when the network is built; 0 before). */
    public long getChannels() {
        return channels;
    }

    /** Value added to the variance. */
    public double getEpsilon() {
        return epsilon;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (channels <= 0 || override) {
            channels = ReflectionPadding2D.convolutionalInput(inputType, getLayerName())
                    .getChannels();
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return ReflectionPadding2D.convolutionalInput(inputType, getLayerName());
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        if (channels <= 0) {
            throw new IllegalStateException("InstanceNormalization " + getLayerName()
                    + ": channel count unknown; give the graph input types (setInputTypes)");
        }
        params.addBiasParam(GAMMA, 1, channels);
        params.addBiasParam(BETA, 1, channels);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        params.get(GAMMA).assign(1.0);
        params.get(BETA).assign(0.0);
    }

    @Override
    public SDVariable defineLayer(
            SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable, SDVariable mask) {
        SDVariable centred = layerInput.sub(layerInput.mean(true, 2, 3));
        SDVariable variance = centred.mul(centred).mean(true, 2, 3);
        SDVariable normalised = centred.mul(sd.math().rsqrt(variance.add(epsilon)));
        SDVariable gamma = paramTable.get(GAMMA).reshape(1, channels, 1, 1);
        SDVariable beta = paramTable.get(BETA).reshape(1, channels, 1, 1);
        return ExternalGradientFix.layerOutput(sd, normalised.mul(gamma).add(beta));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstanceNormalization other
                && super.equals(o)
                && channels == other.channels
                && Double.compare(epsilon, other.epsilon) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), channels, epsilon);
    }

    @Override
    public String toString() {
        return "InstanceNormalization(channels=" + channels + ", epsilon=" + epsilon + ", name=" + getLayerName() + ")";
    }
}
