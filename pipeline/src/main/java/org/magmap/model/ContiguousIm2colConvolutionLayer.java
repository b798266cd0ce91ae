package org.magmap.model;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The layer behind {@link ContiguousIm2colConvolution}: DL4J's convolution with im2col into a contiguous {@code
 * [batch, channels, kH, kW, outH, outW]} buffer. For each example {@code i}, with {@code W} the weights as an
 * {@code [out, channels*kH*kW]} matrix and {@code C_i} that example's columns as {@code [channels*kH*kW,
 * outH*outW]}:
 *
 * <ul>
 *   <li>output {@code Z_i = W C_i} (+ bias), already in NCHW order;
 *   <li>weight gradient {@code dW = sum_i D_i C_i^T} with {@code D_i} the gradient at the output;
 *   <li>input gradient: the columns {@code W^T D_i}, summed back onto the image by col2im.
 * </ul>
 *
 * <p>Backprop reuses the training forward pass's columns ({@link #cachedColumns}) and, for the identity activation,
 * skips the output altogether; DL4J's layer redoes the whole forward pass there.
 *
 * <p>Padding, 'Same' mode and dilation go to libnd4j's im2col and col2im exactly as DL4J's own layer passes them,
 * so both layers compute the same function (checked against it, and by DL4J's gradient check, in {@code
 * ModelLayersTest} and {@code ModelGradientCheckTest}).
 */
public class ContiguousIm2colConvolutionLayer extends ConvolutionLayer {
    private static final long serialVersionUID = 1L;

    /** im2col of the last pass (see {@link #scratch}). */
    private transient INDArray columnBuffer;
    /** The input gradient in column form, before col2im (see {@link #scratch}). */
    private transient INDArray columnGradientBuffer;
    /**
     * The input whose im2col {@link #columnBuffer} holds after a training forward pass, or null: backprop reuses
     * those columns instead of redoing im2col (see {@link #cachedColumns}).
     */
    private transient INDArray columnsFromTrainingInput;

    /** libnd4j's conv2d ops rather than the contiguous im2col ({@link NativeKernels#convolutionThroughLibnd4j}). */
    private final boolean throughLibnd4j = NativeKernels.convolutionThroughLibnd4j();

    public ContiguousIm2colConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        // The cuDNN / oneDNN helper path would bypass the layout this layer exists for; it is off on the CPU
        // backend anyway (see ContiguousIm2colConvolution).
        helper = null;
    }

    /** Kernel, stride, padding and output geometry of one forward or backward pass. */
    private record Geometry(
            long batch,
            long inChannels,
            long outChannels,
            int inH,
            int inW,
            int kH,
            int kW,
            int[] strides,
            int[] padding,
            int[] dilation,
            int outH,
            int outW,
            boolean sameMode) {

        long columnRows() {
            return inChannels * kH * kW;
        }

        long outPixels() {
            return (long) outH * outW;
        }

        /** The im2col buffer's shape, {@code [batch, channels, kH, kW, outH, outW]}. */
        long[] columnShape() {
            return new long[] {batch, inChannels, kH, kW, outH, outW};
        }
    }

    private Geometry geometry(INDArray input, INDArray weights) {
        int[] kernel = layerConf().getKernelSize();
        int[] strides = layerConf().getStride();
        int[] dilation = layerConf().getDilation();
        int inH = (int) input.size(2);
        int inW = (int) input.size(3);
        int[] pad;
        int[] outSize;
        // As DL4J's ConvolutionLayer: 'Same' pads top-left by the computed amount and lets im2col pad the rest.
        if (convolutionMode == ConvolutionMode.Same) {
            outSize = ConvolutionUtils.getOutputSize(
                    input,
                    kernel,
                    strides,
                    null,
                    convolutionMode,
                    dilation,
                    layerConf().getCnn2dDataFormat());
            pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, new int[] {inH, inW}, kernel, strides, dilation);
        } else {
            pad = layerConf().getPadding();
            outSize = ConvolutionUtils.getOutputSize(
                    input,
                    kernel,
                    strides,
                    pad,
                    convolutionMode,
                    dilation,
                    layerConf().getCnn2dDataFormat());
        }
        return new Geometry(
                input.size(0),
                weights.size(1),
                weights.size(0),
                inH,
                inW,
                (int) weights.size(2),
                (int) weights.size(3),
                strides,
                pad,
                dilation,
                outSize[0],
                outSize[1],
                convolutionMode == ConvolutionMode.Same);
    }

    /**
     * A contiguous {@code [batch, channels, kH, kW, outH, outW]} scratch array, reused while the shape holds: the
     * ResNet's output convolution needs 51 MB per batch of 32, and allocating that afresh (JavaCPP memory the
     * kernel maps and zeroes page by page) cost as much as the im2col that fills it. Outside any workspace, so it
     * outlives the pass; a DL4J layer is used by one thread at a time (Spark tasks each deserialise their own
     * network), so the two buffers are never shared.
     */
    private INDArray scratch(INDArray cached, Geometry g) {
        long[] shape = g.columnShape();
        if (cached != null && cached.dataType() == dataType && java.util.Arrays.equals(cached.shape(), shape)) {
            return cached;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitializedDetached(dataType, 'c', shape);
        }
    }

    /** im2col of {@code input} as {@code [batch, channels*kH*kW, outH*outW]}, contiguous. */
    private INDArray columns(INDArray input, Geometry g) {
        columnBuffer = scratch(columnBuffer, g);
        INDArray col = columnBuffer;
        Convolution.im2col(
                input,
                g.kH(),
                g.kW(),
                g.strides()[0],
                g.strides()[1],
                g.padding()[0],
                g.padding()[1],
                g.dilation()[0],
                g.dilation()[1],
                g.sameMode(),
                col);
        return view(col, g.batch(), g.columnRows(), g.outPixels());
    }

    /** {@code array} reshaped without a copy (the products below write through these views). */
    private static INDArray view(INDArray array, long... shape) {
        INDArray v = Shape.newShapeNoCopy(array, shape, false);
        if (v == null) {
            throw new IllegalStateException(
                    "cannot view " + array.shapeInfoToString() + " as " + java.util.Arrays.toString(shape));
        }
        return v;
    }

    private static INDArray example(INDArray batched, long i) {
        return batched.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all());
    }

    /**
     * The pre-activation output {@code [batch, out, outH, outW]} and, when {@code forBackprop}, the columns (reused
     * for the weight gradient).
     */
    @Override
    protected Pair<INDArray, INDArray> preOutput(
            boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        validateInputRank();
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray input = this.input.castTo(dataType);
        validateInputDepth(weights.size(1));
        Geometry g = geometry(input, weights);

        if (throughLibnd4j) {
            return new Pair<>(nativeForward(input, weights, g, training, workspaceMgr), null);
        }
        INDArray cols = columns(input, g);
        columnsFromTrainingInput = training ? this.input : null;
        return new Pair<>(product(cols, weights, g, training, workspaceMgr), forBackprop ? cols : null);
    }

    /**
     * libnd4j's integer arguments of conv2d and conv2d_bp: kernel, strides, padding (its own in 'Same' mode, which
     * pads top-left by the floor of half the total, as DL4J), dilation, the mode, NCHW (0) and weights as DL4J
     * keeps them, [out, in, kH, kW] (1).
     */
    private static int[] nativeArguments(Geometry g) {
        return new int[] {
            g.kH(),
            g.kW(),
            g.strides()[0],
            g.strides()[1],
            g.sameMode() ? 0 : g.padding()[0],
            g.sameMode() ? 0 : g.padding()[1],
            g.dilation()[0],
            g.dilation()[1],
            g.sameMode() ? 1 : 0,
            0,
            1
        };
    }

    private static INDArray contiguous(INDArray a) {
        return Shape.hasDefaultStridesForShape(a) && a.ordering() == 'c' ? a : a.dup('c');
    }

    /** The pre-activation output through libnd4j's conv2d (oneDNN's kernel on a -onednn build). */
    private INDArray nativeForward(
            INDArray input, INDArray weights, Geometry g, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, dataType, new long[] {g.batch(), g.outChannels(), g.outH(), g.outW()}, 'c');
        List<INDArray> inputs = new ArrayList<>(List.of(contiguous(input), contiguous(weights)));
        if (layerConf().hasBias()) {
            inputs.add(getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr)
                    .reshape(g.outChannels()));
        }
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(inputs.toArray(INDArray[]::new))
                .addOutputs(z)
                .addIntegerArguments(nativeArguments(g))
                .build());
        return z;
    }

    /**
     * The gradient at the pre-activation output: {@code epsilon} through the activation's derivative, which needs
     * the pre-activation output ({@code preOutput}, computed only then). The identity's derivative is 1, so it is
     * never computed for every convolution of CResNet and Cnn.
     */
    private INDArray delta(INDArray epsilon, java.util.function.Supplier<INDArray> preOutput) {
        if (layerConf().getActivationFn() instanceof ActivationIdentity) {
            return epsilon;
        }
        return layerConf().getActivationFn().backprop(preOutput.get(), epsilon).getFirst();
    }

    /** Backprop through libnd4j's conv2d_bp, writing the parameter gradients into their views. */
    private Pair<Gradient, INDArray> nativeBackprop(
            INDArray input, INDArray weights, INDArray epsilon, Geometry g, LayerWorkspaceMgr workspaceMgr) {
        INDArray delta = delta(epsilon, () -> nativeForward(input, weights, g, true, workspaceMgr));
        INDArray epsNext = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATION_GRAD, dataType, new long[] {g.batch(), g.inChannels(), g.inH(), g.inW()}, 'c');
        INDArray weightGradView = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        List<INDArray> inputs = new ArrayList<>(List.of(contiguous(input), contiguous(weights)));
        List<INDArray> outputs = new ArrayList<>(List.of(epsNext, weightGradView));
        INDArray biasGradView = null;
        if (layerConf().hasBias()) {
            inputs.add(getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr)
                    .reshape(g.outChannels()));
            biasGradView = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            outputs.add(biasGradView.reshape(g.outChannels()));
        }
        inputs.add(contiguous(delta));
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                .addInputs(inputs.toArray(INDArray[]::new))
                .addOutputs(outputs.toArray(INDArray[]::new))
                .addIntegerArguments(nativeArguments(g))
                .build());
        Gradient gradient = new DefaultGradient();
        if (biasGradView != null) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsNext));
    }

    /** {@code Z_i = W C_i} (+ bias) for every example: the pre-activation output {@code [batch, out, outH, outW]}. */
    private INDArray product(
            INDArray cols, INDArray weights, Geometry g, boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray w2d = view(weights, g.outChannels(), g.columnRows());
        INDArray z = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATIONS, dataType, new long[] {g.batch(), g.outChannels(), g.outH(), g.outW()}, 'c');
        INDArray z3d = view(z, g.batch(), g.outChannels(), g.outPixels());
        for (long i = 0; i < g.batch(); i++) {
            Nd4j.gemm(w2d, example(cols, i), example(z3d, i), false, false, 1.0, 0.0);
        }
        if (layerConf().hasBias()) {
            INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr);
            Nd4j.getExecutioner().exec(new BroadcastAddOp(z3d, bias.reshape(g.outChannels()), z3d, 1));
        }
        return z;
    }

    /**
     * The columns of the training forward pass on this very input while {@link #columnBuffer} still holds them,
     * else null; either way the record is used up. DL4J's own layer redoes im2col in backprop (and the whole forward
     * pass, since an in-place activation may have overwritten its output). The columns are this layer's private
     * buffer and depend only on the input, which DL4J keeps unchanged for backprop; DL4J's earlier releases cached
     * im2col between the two passes the same way (ConvolutionLayer's {@code i2d}, under a {@code CacheMode}).
     */
    private INDArray cachedColumns(Geometry g) {
        INDArray from = columnsFromTrainingInput;
        columnsFromTrainingInput = null;
        long[] shape = g.columnShape();
        if (from != this.input
                || columnBuffer == null
                || columnBuffer.dataType() != dataType
                || !java.util.Arrays.equals(columnBuffer.shape(), shape)) {
            return null;
        }
        return view(columnBuffer, g.batch(), g.columnRows(), g.outPixels());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray input = this.input.castTo(dataType);
        if (epsilon.dataType() != dataType) {
            epsilon = epsilon.castTo(dataType);
        }
        Geometry g = geometry(input, weights);
        if (throughLibnd4j) {
            return nativeBackprop(input, weights, epsilon, g, workspaceMgr);
        }

        INDArray cols = cachedColumns(g);
        if (cols == null) {
            cols = columns(input, g);
        }
        INDArray columns = cols;
        INDArray delta = delta(epsilon, () -> product(columns, weights, g, true, workspaceMgr));
        if (!Shape.hasDefaultStridesForShape(delta)) {
            delta = delta.dup('c');
        }
        INDArray delta3d = view(delta, g.batch(), g.outChannels(), g.outPixels());
        INDArray w2d = view(weights, g.outChannels(), g.columnRows());

        // dW = sum_i D_i C_i^T, accumulated in the gradient view ([out, channels, kH, kW], c order).
        INDArray weightGradView = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray weightGrad2d = view(weightGradView, g.outChannels(), g.columnRows());
        weightGrad2d.assign(0);
        for (long i = 0; i < g.batch(); i++) {
            Nd4j.gemm(example(delta3d, i), example(cols, i), weightGrad2d, false, true, 1.0, 1.0);
        }

        // Input gradient: the columns W^T D_i, then col2im sums each column back onto the pixels it was read from.
        columnGradientBuffer = scratch(columnGradientBuffer, g);
        INDArray epsCols = columnGradientBuffer;
        INDArray epsCols3d = view(epsCols, g.batch(), g.columnRows(), g.outPixels());
        for (long i = 0; i < g.batch(); i++) {
            Nd4j.gemm(w2d, example(delta3d, i), example(epsCols3d, i), true, false, 1.0, 0.0);
        }
        INDArray epsNext = workspaceMgr.createUninitialized(
                ArrayType.ACTIVATION_GRAD, dataType, new long[] {g.batch(), g.inChannels(), g.inH(), g.inW()}, 'c');
        Convolution.col2im(
                epsCols,
                epsNext,
                g.strides()[0],
                g.strides()[1],
                g.padding()[0],
                g.padding()[1],
                g.inH(),
                g.inW(),
                g.dilation()[0],
                g.dilation()[1]);

        Gradient gradient = new DefaultGradient();
        if (layerConf().hasBias()) {
            INDArray biasGradView = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            biasGradView.assign(delta.sum(0, 2, 3).reshape(biasGradView.shape()));
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsNext));
    }

    @Override
    public void clear() {
        super.clear();
        columnsFromTrainingInput = null;
    }
}
