package org.magmap.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.magmap.model.FiLM;
import org.magmap.model.InstanceNormalization;
import org.magmap.model.ReflectionPadding2D;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A trained Deeplearning4j network written as an ONNX model that computes the same function in inference mode:
 * the cluster CNN (convolution, batch normalisation with its running statistics, ReLU, max pooling, flatten or
 * global average, dense) and the conditional ResNet (reflection padding, instance or batch normalisation, FiLM as
 * Mul and Add, transposed convolution, residual Add). The parameters are copied from the network, the layer
 * settings from its configuration; the activation shapes, which 'Same' padding depends on, from one forward pass
 * of a zero batch. A layer this exporter does not know is refused by name rather than skipped.
 *
 * <p>Inputs and outputs keep the network's names ({@code image} for the CNN, the graph's own input and output
 * names), float32, with a free batch axis.
 */
public final class OnnxExport {
    /** The CNN's input name (a MultiLayerNetwork has no input names of its own). */
    public static final String IMAGE = "image";
    /** The CNN's output name. */
    public static final String OUTPUT = "output";

    private OnnxExport() {}

    /**
     * Writes a network as ONNX.
     *
     * @param network a MultiLayerNetwork or ComputationGraph
     * @param inputShapes each input's shape without the batch axis ([channels, height, width] for an image,
     *     [size] for a vector), in the network's input order
     * @param metadata string properties stored in the model (the model card's scaling, conditions, ...)
     * @return the serialised ONNX ModelProto
     * @throws IllegalArgumentException for a layer, vertex or preprocessor with no ONNX form here
     */
    public static byte[] export(Model network, List<long[]> inputShapes, Map<String, String> metadata) {
        if (network instanceof MultiLayerNetwork net) {
            return multiLayer(net, inputShapes, metadata);
        }
        if (network instanceof ComputationGraph graph) {
            return graph(graph, inputShapes, metadata);
        }
        throw new IllegalArgumentException(
                "cannot export a " + network.getClass().getSimpleName());
    }

    private static byte[] multiLayer(MultiLayerNetwork net, List<long[]> inputShapes, Map<String, String> metadata) {
        if (inputShapes.size() != 1) {
            throw new IllegalArgumentException("a MultiLayerNetwork has one input, got " + inputShapes.size());
        }
        List<INDArray> activations = net.feedForward(zeros(inputShapes.get(0)), false);
        OnnxGraph g = new OnnxGraph("magmap-cnn", List.of(OUTPUT));
        String x = g.input(IMAGE, inputShapes.get(0));
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer layer = net.getLayerWiseConfigurations().getConf(i).getLayer();
            String name = layer.getLayerName() == null ? "layer" + i : layer.getLayerName();
            x = preprocess(g, name, net.getLayerWiseConfigurations().getInputPreProcess(i), x);
            x = layer(
                    g,
                    name,
                    layer,
                    net.getLayer(i).paramTable(),
                    x,
                    activations.get(i).shape());
        }
        g.output(
                g.rename(x, OUTPUT),
                withoutBatch(activations.get(activations.size() - 1).shape()));
        return g.model(metadata);
    }

    private static byte[] graph(ComputationGraph net, List<long[]> inputShapes, Map<String, String> metadata) {
        ComputationGraphConfiguration conf = net.getConfiguration();
        List<String> inputs = conf.getNetworkInputs();
        if (inputShapes.size() != inputs.size()) {
            throw new IllegalArgumentException(
                    "the graph has " + inputs.size() + " inputs " + inputs + ", got " + inputShapes.size() + " shapes");
        }
        INDArray[] zeros = new INDArray[inputs.size()];
        for (int i = 0; i < zeros.length; i++) {
            zeros[i] = zeros(inputShapes.get(i));
        }
        Map<String, INDArray> activations = net.feedForward(zeros, false);
        OnnxGraph g = new OnnxGraph("magmap-graph", conf.getNetworkOutputs());
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            values.put(inputs.get(i), g.input(inputs.get(i), inputShapes.get(i)));
        }
        for (String name : conf.getTopologicalOrderStr()) {
            if (values.containsKey(name)) {
                continue; // a network input
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> in = new ArrayList<>();
            List<long[]> inShapes = new ArrayList<>();
            for (String source : conf.getVertexInputs().get(name)) {
                in.add(values.get(source));
                inShapes.add(activations.get(source).shape());
            }
            values.put(name, vertex(g, name, vertex, net, in, inShapes));
        }
        for (String out : conf.getNetworkOutputs()) {
            g.output(
                    g.rename(values.get(out), out),
                    withoutBatch(activations.get(out).shape()));
        }
        return g.model(metadata);
    }

    private static String vertex(
            OnnxGraph g, String name, GraphVertex vertex, ComputationGraph net, List<String> in, List<long[]> shapes) {
        if (vertex instanceof LayerVertex lv) {
            String x = preprocess(g, name, lv.getPreProcessor(), in.get(0));
            return layer(
                    g, name, lv.getLayerConf().getLayer(), net.getLayer(name).paramTable(), x, shapes.get(0));
        }
        if (vertex instanceof ElementWiseVertex ew) {
            String op =
                    switch (ew.getOp()) {
                        case Add -> "Add";
                        case Subtract -> "Sub";
                        case Product -> "Mul";
                        case Max -> "Max";
                        default -> throw unsupported(name, "element-wise " + ew.getOp());
                    };
            String x = in.get(0);
            for (int i = 1; i < in.size(); i++) {
                x = g.node(op, name, List.of(x, in.get(i)));
            }
            return x;
        }
        if (vertex instanceof MergeVertex) {
            return g.node("Concat", name, in, Map.of("axis", 1L));
        }
        if (vertex instanceof FiLM film) {
            // Perez et al. 2018: h' = gamma * h + beta per channel; the embedding's first C columns are gamma.
            long c = film.getChannels();
            String gamma = g.node(
                    "Slice",
                    name + "_gamma",
                    List.of(in.get(1), g.longs(name + "_g0", 0), g.longs(name + "_g1", c), g.longs(name + "_axis", 1)));
            String beta = g.node(
                    "Slice",
                    name + "_beta",
                    List.of(
                            in.get(1),
                            g.longs(name + "_b0", c),
                            g.longs(name + "_b1", 2 * c),
                            g.longs(name + "_axis", 1)));
            String spatial = g.longs(name + "_hw", 2, 3);
            String gamma4 = g.node("Unsqueeze", name + "_gamma4", List.of(gamma, spatial));
            String beta4 = g.node("Unsqueeze", name + "_beta4", List.of(beta, spatial));
            return g.node("Add", name, List.of(g.node("Mul", name + "_scaled", List.of(in.get(0), gamma4)), beta4));
        }
        throw unsupported(name, vertex.getClass().getSimpleName());
    }

    private static String preprocess(OnnxGraph g, String name, InputPreProcessor p, String x) {
        if (p == null) {
            return x;
        }
        if (p instanceof CnnToFeedForwardPreProcessor cnn) {
            if (cnn.getFormat() != CNN2DFormat.NCHW) {
                throw unsupported(name, "flatten of " + cnn.getFormat() + " activations");
            }
            // DL4J flattens [N, C, H, W] in c order, as ONNX's Flatten does.
            return g.node("Flatten", name + "_flatten", List.of(x), Map.of("axis", 1L));
        }
        throw unsupported(name, "preprocessor " + p.getClass().getSimpleName());
    }

    /** One layer in inference mode; {@code inShape} is its input activation's shape, batch first. */
    private static String layer(
            OnnxGraph g, String name, Layer layer, Map<String, INDArray> params, String x, long[] inShape) {
        if (layer instanceof Deconvolution2D deconv) {
            return activation(g, name, deconv.getActivationFn(), deconvolution(g, name, deconv, params, x, inShape));
        }
        if (layer instanceof ConvolutionLayer conv) {
            return activation(g, name, conv.getActivationFn(), convolution(g, name, conv, params, x, inShape));
        }
        if (layer instanceof BatchNormalization bn) {
            // DL4J's batch normalisation layer returns its normalised input: the activation its configuration
            // carries (the builder's default, sigmoid) is never applied.
            return batchNorm(g, name, bn, params, x, inShape);
        }
        if (layer instanceof ActivationLayer a) {
            return activation(g, name, a.getActivationFn(), x);
        }
        if (layer instanceof SubsamplingLayer pool) {
            return pooling(g, name, pool, x, inShape);
        }
        if (layer instanceof GlobalPoolingLayer global) {
            if (!global.isCollapseDimensions() || inShape.length != 4) {
                throw unsupported(name, "global pooling other than over H and W with collapsed dimensions");
            }
            String op =
                    switch (global.getPoolingType()) {
                        case AVG -> "GlobalAveragePool";
                        case MAX -> "GlobalMaxPool";
                        default -> throw unsupported(name, "global " + global.getPoolingType() + " pooling");
                    };
            return g.node("Flatten", name + "_flat", List.of(g.node(op, name, List.of(x))), Map.of("axis", 1L));
        }
        if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
            BaseLayer dense = (BaseLayer) layer;
            List<String> in = new ArrayList<>(List.of(x, g.constant(name + "_W", params.get("W"))));
            if (params.containsKey("b")) {
                in.add(g.constant(name + "_b", params.get("b").reshape(-1)));
            }
            return activation(g, name, dense.getActivationFn(), g.node("Gemm", name, in));
        }
        if (layer instanceof CnnLossLayer loss) {
            return activation(g, name, loss.getActivationFn(), x);
        }
        if (layer instanceof ReflectionPadding2D pad) {
            return reflectionPad(g, name, pad.getPadding(), x);
        }
        if (layer instanceof InstanceNormalization in) {
            return g.node(
                    "InstanceNormalization",
                    name,
                    List.of(
                            x,
                            g.constant(
                                    name + "_scale",
                                    params.get(InstanceNormalization.GAMMA).reshape(-1)),
                            g.constant(
                                    name + "_bias",
                                    params.get(InstanceNormalization.BETA).reshape(-1))),
                    Map.of("epsilon", in.getEpsilon()));
        }
        throw unsupported(name, layer.getClass().getSimpleName());
    }

    /**
     * Reflection padding (the edge pixel not repeated, as {@link ReflectionPadding2D}): ONNX's Pad in reflect mode.
     * Two Gathers of reflected indices were tried instead and ran the cresnet 30% slower in ONNX Runtime.
     */
    private static String reflectionPad(OnnxGraph g, String name, long p, String x) {
        String pads = g.longs(name + "_pads", 0, 0, p, p, 0, 0, p, p);
        return g.node("Pad", name, List.of(x, pads), Map.of("mode", "reflect"));
    }

    private static String convolution(
            OnnxGraph g, String name, ConvolutionLayer conv, Map<String, INDArray> params, String x, long[] inShape) {
        if (conv.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw unsupported(name, "a convolution over " + conv.getCnn2dDataFormat() + " activations");
        }
        int[] k = conv.getKernelSize();
        int[] s = conv.getStride();
        int[] d = conv.getDilation();
        long[] pads = pads(conv.getConvolutionMode(), k, s, d, conv.getPadding(), inShape);
        return convolutionNode(g, "Conv", name, conv, params, x, pads);
    }

    /** A Conv or ConvTranspose node with the layer's weights, bias (if any), kernel, strides and dilation. */
    private static String convolutionNode(
            OnnxGraph g,
            String op,
            String name,
            ConvolutionLayer conv,
            Map<String, INDArray> params,
            String x,
            long[] pads) {
        int[] k = conv.getKernelSize();
        int[] s = conv.getStride();
        int[] d = conv.getDilation();
        List<String> in = new ArrayList<>(List.of(x, g.constant(name + "_W", params.get("W"))));
        if (conv.hasBias()) {
            in.add(g.constant(name + "_b", params.get("b").reshape(-1)));
        }
        return g.node(
                op,
                name,
                in,
                Map.of(
                        "kernel_shape", new long[] {k[0], k[1]},
                        "strides", new long[] {s[0], s[1]},
                        "dilations", new long[] {d[0], d[1]},
                        "pads", pads));
    }

    /**
     * A transposed convolution. DL4J keeps its weights as [in, out, kH, kW], ONNX's ConvTranspose layout. In 'Same'
     * mode the output is exactly stride x the input: libnd4j's deconv2d takes its top-left padding as
     * floor(((in - 1) stride + k - out) / 2) and drops what is left at the bottom and right.
     */
    private static String deconvolution(
            OnnxGraph g, String name, Deconvolution2D conv, Map<String, INDArray> params, String x, long[] inShape) {
        int[] k = conv.getKernelSize();
        int[] s = conv.getStride();
        int[] d = conv.getDilation();
        long[] pads = new long[4];
        if (conv.getConvolutionMode() == ConvolutionMode.Same) {
            for (int axis = 0; axis < 2; axis++) {
                long in = inShape[2 + axis];
                long out = in * s[axis];
                long full = (in - 1) * s[axis] + (long) (k[axis] - 1) * d[axis] + 1;
                long begin = (full - out) / 2;
                pads[axis] = begin;
                pads[2 + axis] = full - out - begin;
            }
        } else {
            int[] p = conv.getPadding();
            pads = new long[] {p[0], p[1], p[0], p[1]};
        }
        return convolutionNode(g, "ConvTranspose", name, conv, params, x, pads);
    }

    /**
     * Batch normalisation with the running statistics. DL4J may keep log10 of the standard deviation instead of
     * the variance; its inference pass then uses var = (10^log10std)^2 with epsilon added again, as here.
     */
    private static String batchNorm(
            OnnxGraph g, String name, BatchNormalization bn, Map<String, INDArray> params, String x, long[] inShape) {
        if (inShape.length == 4 && bn.getCnn2DFormat() != CNN2DFormat.NCHW) {
            throw unsupported(name, "batch normalisation over " + bn.getCnn2DFormat() + " activations");
        }
        INDArray mean = params.get("mean").reshape(-1);
        long channels = mean.length();
        INDArray var;
        if (bn.isUseLogStd()) {
            INDArray log10std = params.get("log10stdev").reshape(-1);
            INDArray std = Transforms.pow(Nd4j.valueArrayOf(log10std.shape(), 10.0, log10std.dataType()), log10std);
            var = std.mul(std);
        } else {
            var = params.get("var").reshape(-1);
        }
        INDArray gamma = bn.isLockGammaBeta()
                ? Nd4j.valueArrayOf(new long[] {channels}, bn.getGamma(), DataType.FLOAT)
                : params.get("gamma").reshape(-1);
        INDArray beta = bn.isLockGammaBeta()
                ? Nd4j.valueArrayOf(new long[] {channels}, bn.getBeta(), DataType.FLOAT)
                : params.get("beta").reshape(-1);
        return g.node(
                "BatchNormalization",
                name,
                List.of(
                        x,
                        g.constant(name + "_scale", gamma),
                        g.constant(name + "_bias", beta),
                        g.constant(name + "_mean", mean),
                        g.constant(name + "_var", var)),
                Map.of("epsilon", bn.getEps()));
    }

    private static String pooling(OnnxGraph g, String name, SubsamplingLayer pool, String x, long[] inShape) {
        String op = pool.getPoolingType() == PoolingType.MAX
                ? "MaxPool"
                : pool.getPoolingType() == PoolingType.AVG ? "AveragePool" : null;
        if (op == null) {
            throw unsupported(name, pool.getPoolingType() + " pooling");
        }
        int[] k = pool.getKernelSize();
        int[] s = pool.getStride();
        int[] d = pool.getDilation();
        long[] pads = pads(pool.getConvolutionMode(), k, s, d, pool.getPadding(), inShape);
        for (long p : pads) {
            if (p != 0 && op.equals("AveragePool")) {
                // DL4J's average excludes or includes padding by its pnorm/averaging mode: not mapped here.
                throw unsupported(name, "padded average pooling");
            }
        }
        return g.node(
                op,
                name,
                List.of(x),
                Map.of(
                        "kernel_shape", new long[] {k[0], k[1]},
                        "strides", new long[] {s[0], s[1]},
                        "pads", pads));
    }

    /**
     * ONNX pads [top, left, bottom, right]. DL4J's 'Same' mode gives ceil(in / stride) outputs, with the total
     * padding split as ONNX's SAME_UPPER does (the odd pixel at the bottom and right); Truncate and Strict use the
     * layer's symmetric padding.
     */
    private static long[] pads(ConvolutionMode mode, int[] k, int[] s, int[] d, int[] padding, long[] inShape) {
        if (mode != ConvolutionMode.Same) {
            return new long[] {padding[0], padding[1], padding[0], padding[1]};
        }
        long[] pads = new long[4];
        for (int axis = 0; axis < 2; axis++) {
            long in = inShape[2 + axis];
            long out = (in + s[axis] - 1) / s[axis];
            long total = Math.max(0, (out - 1) * s[axis] + (long) (k[axis] - 1) * d[axis] + 1 - in);
            pads[axis] = total / 2;
            pads[2 + axis] = total - total / 2;
        }
        return pads;
    }

    private static String activation(OnnxGraph g, String name, IActivation fn, String x) {
        if (fn == null || fn instanceof ActivationIdentity) {
            return x;
        }
        if (fn instanceof ActivationReLU relu) {
            if (relu.getMax() != null || relu.getThreshold() != null || relu.getNegativeSlope() != null) {
                throw unsupported(name, "a ReLU with a cap, threshold or slope");
            }
            return g.node("Relu", name + "_relu", List.of(x));
        }
        if (fn instanceof ActivationLReLU leaky) {
            return g.node("LeakyRelu", name + "_lrelu", List.of(x), Map.of("alpha", leaky.getAlpha()));
        }
        if (fn instanceof ActivationTanH) {
            return g.node("Tanh", name + "_tanh", List.of(x));
        }
        if (fn instanceof ActivationSigmoid) {
            return g.node("Sigmoid", name + "_sigmoid", List.of(x));
        }
        throw unsupported(name, "activation " + fn);
    }

    private static INDArray zeros(long[] shapeWithoutBatch) {
        long[] shape = new long[shapeWithoutBatch.length + 1];
        shape[0] = 1;
        System.arraycopy(shapeWithoutBatch, 0, shape, 1, shapeWithoutBatch.length);
        return Nd4j.zeros(DataType.FLOAT, shape);
    }

    private static long[] withoutBatch(long[] shape) {
        return java.util.Arrays.copyOfRange(shape, 1, shape.length);
    }

    private static IllegalArgumentException unsupported(String name, String what) {
        return new IllegalArgumentException("layer " + name + ": " + what + " has no ONNX export here");
    }
}
