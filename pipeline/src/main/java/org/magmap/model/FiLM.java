package org.magmap.model;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffVertex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Feature-wise linear modulation (Perez et al. 2018, "FiLM: Visual Reasoning with a General Conditioning Layer",
 * AAAI, arXiv:1709.07871): {@code h' = gamma(e) * h + beta(e)} per channel, broadcast over all pixels.
 *
 * <p>A graph vertex with two inputs, in this order: the feature map h [N, C, H, W] and the conditioning embedding
 * e [N, 2C], whose first C columns are gamma and last C columns beta. The vertex has no parameters: the learnable
 * projection from the condition vector to e is an ordinary {@code DenseLayer} in front of it, as in the paper,
 * where the FiLM generator is a separate network. Implemented in SameDiff (reshape, unstack, broadcast multiply and
 * add), so its gradient with respect to both inputs comes from automatic differentiation.
 */
public class FiLM extends SameDiffVertex {
    static {
        SameDiffConsole.install(); // ND4J M2.1 prints a line per differentiated op otherwise
    }

    private static final long serialVersionUID = 1L;

    /** Name of the feature-map input inside the vertex. */
    public static final String FEATURES = "features";
    /** Name of the conditioning-embedding input inside the vertex. */
    public static final String CONDITION = "condition";

    private long channels;

    /**
     * @param channels C, the channel count of the feature map; the embedding must have 2C columns
     */
    public FiLM(long channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        this.channels = channels;
    }

    /** For JSON deserialization only. */
    protected FiLM() {}

    /** The channel count C of the modulated feature map. */
    public long getChannels() {
        return channels;
    }

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs(FEATURES, CONDITION);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // no parameters
    }

    @Override
    public SDVariable defineVertex(
            SameDiff sd,
            Map<String, SDVariable> layerInput,
            Map<String, SDVariable> paramTable,
            Map<String, SDVariable> maskVars) {
        SDVariable features = layerInput.get(FEATURES);
        SDVariable embedding = layerInput.get(CONDITION);
        // [N, 2C] -> [N, 2, C, 1, 1] -> gamma and beta, each [N, C, 1, 1] (-1: the minibatch size is only known when
        // the graph runs). Unstacked rather than sliced: ND4J 1.0.0-M2.1's strided-slice backward pass fails on a
        // minibatch of one.
        SDVariable[] gammaBeta = sd.unstack(embedding.reshape(-1, 2, channels, 1, 1), 1, 2);
        SDVariable gamma = gammaBeta[0];
        SDVariable beta = gammaBeta[1];
        return ExternalGradientFix.layerOutput(sd, features.mul(gamma).add(beta));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 2) {
            throw new InvalidInputTypeException(
                    "FiLM needs 2 inputs (features, condition), got " + vertexInputs.length);
        }
        InputType.InputTypeConvolutional features;
        try {
            features = ReflectionPadding2D.convolutionalInput(vertexInputs[0], "FiLM");
        } catch (IllegalArgumentException e) {
            throw new InvalidInputTypeException(e.getMessage());
        }
        if (features.getChannels() != channels) {
            throw new InvalidInputTypeException(
                    "FiLM configured for " + channels + " channels, feature map has " + features.getChannels());
        }
        if (!(vertexInputs[1] instanceof InputType.InputTypeFeedForward condition)
                || condition.getSize() != 2 * channels) {
            throw new InvalidInputTypeException("FiLM needs a feed-forward condition embedding of size " + 2 * channels
                    + ", got " + vertexInputs[1]);
        }
        return features;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(
            INDArray[] maskArrays, MaskState currentMaskState, int minibatchSize) {
        // images carry no masks; pass the feature map's mask (normally null) through
        INDArray mask = maskArrays == null || maskArrays.length == 0 ? null : maskArrays[0];
        return new Pair<>(mask, currentMaskState);
    }

    @Override
    public GraphVertex clone() {
        FiLM copy = new FiLM(channels);
        copy.setUpdater(getUpdater() == null ? null : getUpdater().clone());
        copy.setBiasUpdater(getBiasUpdater() == null ? null : getBiasUpdater().clone());
        copy.setRegularization(getRegularization());
        copy.setRegularizationBias(getRegularizationBias());
        copy.setGradientNormalization(getGradientNormalization());
        copy.setGradientNormalizationThreshold(getGradientNormalizationThreshold());
        copy.setDataType(getDataType());
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FiLM other && super.equals(o) && channels == other.channels;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), channels);
    }

    @Override
    public String toString() {
        return "FiLM(channels=" + channels + ")";
    }
}
