package org.magmap.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.Deconvolution2DLayer;
import org.deeplearning4j.nn.params.DeconvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's transposed convolution (same settings, parameters and JSON form) whose forward and backward passes call
 * libnd4j's {@code deconv2d} and {@code deconv2d_bp} ops directly where the natives have oneDNN. DL4J 1.0.0-M2.1's
 * own layer took 50 ms per training step of the cresnet's two transposed convolutions (batch 32, 2 cores) where the
 * two ops take 19 ms: it permutes the weights and redoes the forward pass in backprop. NCHW, dilation 1; other
 * settings, or natives without oneDNN, run DL4J's own layer.
 */
public class NativeDeconvolution2D extends Deconvolution2D {
    private static final long serialVersionUID = 1L;

    /** For DL4J's JSON deserialisation. */
    protected NativeDeconvolution2D() {
        super();
    }

    /** @param builder a configured {@link Deconvolution2D.Builder} */
    public NativeDeconvolution2D(Deconvolution2D.Builder builder) {
        super(validated(builder));
    }

    private static Deconvolution2D.Builder validated(Deconvolution2D.Builder builder) {
        builder.build(); // the checks Deconvolution2D.Builder.build() makes
        return builder;
    }

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        return LayerWiring.wired(
                new NativeLayer(conf, networkDataType),
                conf,
                trainingListeners,
                layerIndex,
                layerParamsView,
                initializeParams,
                initializer());
    }

    /** The layer: libnd4j's ops where they apply, else DL4J's own passes. */
    static final class NativeLayer extends Deconvolution2DLayer {
        private static final long serialVersionUID = 1L;

        /** libnd4j's ops rather than DL4J's passes ({@link NativeKernels#convolutionThroughLibnd4j}). */
        private final boolean throughLibnd4j = NativeKernels.convolutionThroughLibnd4j();

        NativeLayer(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        private org.deeplearning4j.nn.conf.layers.Deconvolution2D settings() {
            return (org.deeplearning4j.nn.conf.layers.Deconvolution2D) conf().getLayer();
        }

        private boolean native2d() {
            org.deeplearning4j.nn.conf.layers.Deconvolution2D c = settings();
            return throughLibnd4j
                    && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                    && c.getDilation()[0] == 1
                    && c.getDilation()[1] == 1
                    && (c.getConvolutionMode() == ConvolutionMode.Same
                            || c.getConvolutionMode() == ConvolutionMode.Truncate);
        }

        /** kernel, strides, padding (libnd4j's own in 'Same' mode), dilation, mode, NCHW, weights [in, out, kH, kW]. */
        private int[] arguments() {
            org.deeplearning4j.nn.conf.layers.Deconvolution2D c = settings();
            boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
            int[] k = c.getKernelSize();
            int[] s = c.getStride();
            int[] p = same ? new int[] {0, 0} : c.getPadding();
            return new int[] {k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, same ? 1 : 0, 0, 1};
        }

        private long[] outputShape(INDArray in) {
            org.deeplearning4j.nn.conf.layers.Deconvolution2D c = settings();
            int[] k = c.getKernelSize();
            int[] s = c.getStride();
            long h = in.size(2);
            long w = in.size(3);
            long outH;
            long outW;
            if (c.getConvolutionMode() == ConvolutionMode.Same) {
                outH = h * s[0];
                outW = w * s[1];
            } else {
                int[] p = c.getPadding();
                outH = s[0] * (h - 1) + k[0] - 2L * p[0];
                outW = s[1] * (w - 1) + k[1] - 2L * p[1];
            }
            return new long[] {in.size(0), c.getNOut(), outH, outW};
        }

        private static INDArray contiguous(INDArray a) {
            return Shape.hasDefaultStridesForShape(a) && a.ordering() == 'c' ? a : a.dup('c');
        }

        private INDArray forward(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray weights = getParamWithNoise(DeconvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
            INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outputShape(input), 'c');
            List<INDArray> inputs = new ArrayList<>(List.of(contiguous(input), contiguous(weights)));
            if (settings().hasBias()) {
                inputs.add(getParamWithNoise(DeconvolutionParamInitializer.BIAS_KEY, training, workspaceMgr)
                        .reshape(settings().getNOut()));
            }
            Nd4j.exec(DynamicCustomOp.builder("deconv2d")
                    .addInputs(inputs.toArray(INDArray[]::new))
                    .addOutputs(z)
                    .addIntegerArguments(arguments())
                    .build());
            return z;
        }

        @Override
        protected Pair<INDArray, INDArray> preOutput(
                boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
            if (!native2d()) {
                return super.preOutput(training, forBackprop, workspaceMgr);
            }
            assertInputSet(false);
            return new Pair<>(forward(input.castTo(dataType), training, workspaceMgr), null);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            if (!native2d()) {
                return super.backpropGradient(epsilon, workspaceMgr);
            }
            assertInputSet(true);
            INDArray in = input.castTo(dataType);
            INDArray eps = epsilon.castTo(dataType);
            INDArray delta = settings().getActivationFn() instanceof ActivationIdentity
                    ? eps
                    : settings()
                            .getActivationFn()
                            .backprop(forward(in, true, workspaceMgr), eps)
                            .getFirst();
            INDArray weights = getParamWithNoise(DeconvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
            INDArray epsNext = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, in.shape(), 'c');
            INDArray weightGrad = gradientViews.get(DeconvolutionParamInitializer.WEIGHT_KEY);
            List<INDArray> inputs = new ArrayList<>(List.of(contiguous(in), contiguous(weights)));
            List<INDArray> outputs = new ArrayList<>(List.of(epsNext, weightGrad));
            INDArray biasGrad = null;
            if (settings().hasBias()) {
                inputs.add(getParamWithNoise(DeconvolutionParamInitializer.BIAS_KEY, true, workspaceMgr)
                        .reshape(settings().getNOut()));
                biasGrad = gradientViews.get(DeconvolutionParamInitializer.BIAS_KEY);
                outputs.add(biasGrad.reshape(settings().getNOut()));
            }
            inputs.add(contiguous(delta));
            Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp")
                    .addInputs(inputs.toArray(INDArray[]::new))
                    .addOutputs(outputs.toArray(INDArray[]::new))
                    .addIntegerArguments(arguments())
                    .build());
            Gradient gradient = new DefaultGradient();
            if (biasGrad != null) {
                gradient.setGradientFor(DeconvolutionParamInitializer.BIAS_KEY, biasGrad);
            }
            gradient.setGradientFor(DeconvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
            weightNoiseParams.clear();
            return new Pair<>(gradient, backpropDropOutIfPresent(epsNext));
        }
    }
}
