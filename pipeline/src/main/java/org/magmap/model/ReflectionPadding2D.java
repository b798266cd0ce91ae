package org.magmap.model;

import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
        long[] shape = layerInput.getShape();
        if (shape == null || shape.length != 4 || shape[2] <= 0 || shape[3] <= 0) {
            throw new IllegalStateException("reflection padding needs a known H and W, got input shape "
                    + java.util.Arrays.toString(shape) + " in layer " + getLayerName());
        }
        // Reflection is linear: padded = R_H x R_W^T per image, with R the (n + 2p) x n selection matrices. Two
        // matrix products over reshaped views, whose gradients ND4J gets right and frees.
        long c = shape[1];
        long h = shape[2];
        long w = shape[3];
        long hp = h + 2L * padding;
        long wp = w + 2L * padding;
        SDVariable alongW =
                layerInput.reshape(-1, w).mmul(sd.constant(selection((int) w, padding, layerInput.dataType())));
        SDVariable transposed = alongW.reshape(-1, c, h, wp).permute(0, 1, 3, 2).reshape(-1, h);
        SDVariable alongH = transposed.mmul(sd.constant(selection((int) h, padding, layerInput.dataType())));
        SDVariable out = alongH.reshape(-1, c, wp, hp).permute(0, 1, 3, 2);
        return ExternalGradientFix.layerOutput(sd, out);
    }

    /**
     * Reflects one spatial axis of a rank-4 array by gathering rows in the order p, p-1, ..., 1, 0, 1, ..., n-1,
     * n-2, ..., n-1-p. A gather, not reverse + strided slice + concat: in ND4J 1.0.0-M2.1 the backward pass of that
     * composition leaks native memory (about 19 MB per iteration on a 32x8x32x32 batch, which took a Spark
     * training run past 19 GiB in minutes); gather's backward pass (a scatter-add) does not.
     */
    /**
     * The n x (n + 2p) matrix S with S[src, dst] = 1 where padded position dst copies source position src: a row
     * vector times S is the reflected, padded row.
     */
    static INDArray selection(int n, int padding, DataType type) {
        int[] src = reflectedIndices(n, padding);
        float[] m = new float[n * src.length];
        for (int dst = 0; dst < src.length; dst++) {
            m[src[dst] * src.length + dst] = 1f;
        }
        // Outside any workspace: DL4J defines the layer's graph during a forward pass, inside a workspace whose
        // memory is reused; a constant allocated there is overwritten later (intermittent NaN in training).
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.create(m, new long[] {n, src.length}).castTo(type);
        }
    }

    /**
     * Source index of every padded position along an axis of length n, reflecting without repeating the edge: p,
     * p-1, ..., 1, 0, 1, ..., n-1, n-2, ..., n-1-p. The padding multiplies by selection matrices built from these
     * indices rather than composing reverse + strided slice + concat: in ND4J 1.0.0-M2.1 the backward pass of that
     * composition leaks native memory (about 19 MB per iteration on a 32x8x32x32 batch, which took a Spark
     * training run past 19 GiB in minutes), and two gathers on inner axes collide on an internal variable name.
     */
    static int[] reflectedIndices(int n, int padding) {
        int[] idx = new int[n + 2 * padding];
        for (int i = 0; i < idx.length; i++) {
            int j = i - padding;
            if (j < 0) {
                j = -j;
            } else if (j >= n) {
                j = 2 * (n - 1) - j;
            }
            idx[i] = j;
        }
        return idx;
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
