package org.magmap.model;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reflection padding of the two spatial axes of an NCHW activation, as PyTorch's {@code ReflectionPad2d}: the
 * edge pixel is not repeated, so padding {@code [a b c]} by 1 gives {@code [b a b c b]}. Image-to-image networks
 * (Johnson et al. 2016; Zhu et al. 2017, whose generator the H I paper's cresnet follows) pad by reflection
 * instead of zeros so that convolutions see no artificial edge, which would otherwise print a frame into the
 * predicted maps.
 *
 * <p>Implemented in SameDiff from slices and reversals, which have gradients, rather than the {@code pad} op,
 * whose reflect mode has no gradient in ND4J 1.0.0-M2.1. The slices use negative (from-the-end) indices, so the
 * layer works for any spatial size larger than the padding. No parameters.
 */
public class ReflectionPadding2D extends SameDiffLayer {
    static {
        SameDiffConsole.install(); // ND4J M2.1 prints a line per differentiated op otherwise
    }

    private static final long serialVersionUID = 1L;

    private int padding;

    /**
     * @param padding pixels added on each side of H and W; must be at least 1 and smaller than H and W
     */
    public ReflectionPadding2D(int padding) {
        if (padding < 1) {
            throw new IllegalArgumentException("padding must be >= 1, got " + padding);
        }
        this.padding = padding;
    }

    /** For JSON deserialization only. */
    protected ReflectionPadding2D() {}

    /** Pixels added on each side of H and W. */
    public int getPadding() {
        return padding;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional in = convolutionalInput(inputType, getLayerName());
        if (in.getHeight() <= padding || in.getWidth() <= padding) {
            throw new IllegalArgumentException("Reflection padding " + padding + " needs H and W > padding, got "
                    + in.getHeight() + "x" + in.getWidth() + " in layer " + getLayerName());
        }
        return InputType.convolutional(in.getHeight() + 2L * padding, in.getWidth() + 2L * padding, in.getChannels());
    }

    @Override
    public SDVariable defineLayer(
            SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable, SDVariable mask) {
        SDVariable rows = reflectAxis(sd, layerInput, 2);
        return ExternalGradientFix.layerOutput(sd, reflectAxis(sd, rows, 3));
    }

    /** Concatenates [reversed x[1..p], x, reversed x[-p-1..-2]] along one spatial axis of a rank-4 array. */
    private SDVariable reflectAxis(SameDiff sd, SDVariable x, int axis) {
        SDVariable head = x.get(spatialSlice(axis, 1L, padding + 1L));
        SDVariable tail = x.get(spatialSlice(axis, -padding - 1L, -1L));
        return sd.concat(axis, sd.reverse(head, axis), x, sd.reverse(tail, axis));
    }

    private static SDIndex[] spatialSlice(int axis, long from, long to) {
        SDIndex[] index = {SDIndex.all(), SDIndex.all(), SDIndex.all(), SDIndex.all()};
        index[axis] = SDIndex.interval(from, to);
        return index;
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        // no parameters
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // no parameters
    }

    static InputType.InputTypeConvolutional convolutionalInput(InputType inputType, String layerName) {
        if (!(inputType instanceof InputType.InputTypeConvolutional in) || in.getFormat() != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException(
                    "Layer " + layerName + " needs convolutional NCHW input, got " + inputType);
        }
        return in;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReflectionPadding2D other && super.equals(o) && padding == other.padding;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), padding);
    }

    @Override
    public String toString() {
        return "ReflectionPadding2D(padding=" + padding + ", name=" + getLayerName() + ")";
    }
}
