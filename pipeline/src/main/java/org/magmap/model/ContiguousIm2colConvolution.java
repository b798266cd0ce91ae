package org.magmap.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2-D convolution that trains the same as DL4J's {@link ConvolutionLayer} (same settings, parameters, parameter
 * names and initialisation) but lays out its im2col buffer contiguously, which makes it several times faster on
 * the CPU backend.
 *
 * <p>Why: DL4J 1.0.0-M2.1's convolution writes im2col into a permuted view of a {@code [batch, outH, outW, channels,
 * kH, kW]} buffer, so that the product with the weights needs no copy, and repeats that im2col in the backward pass.
 * libnd4j's im2col writes such a strided view element by element: measured on this project's 2-core machine
 * (one thread, batch 32, the ResNet's 7x7 output convolution over 8 channels of 38x38), 290 ms for the strided view
 * against 43 ms into a contiguous {@code [batch, channels, kH, kW, outH, outW]} buffer, while the product itself
 * takes 27 ms. im2col was about 60% of a ResNet training step (JFR; docs/stack-traps.md). Here im2col
 * writes the contiguous layout, and each example's output, weight gradient and input gradient is one matrix
 * product over its own contiguous slice. The oneDNN helper that would otherwise replace DL4J's im2col path is never
 * enabled in M2.1 (it looks for a class that was renamed), so a CPU build gets no faster convolution by itself.
 *
 * <p>NCHW only (both networks' layout); the builder's other settings (kernel, stride, padding, dilation, 'Same' or
 * 'Truncate' mode, bias) behave as in {@link ConvolutionLayer}. A model saved with it names this class in its
 * configuration, and its weights load into a {@link ConvolutionLayer} of the same shape and back.
 */
public class ContiguousIm2colConvolution extends ConvolutionLayer {
    private static final long serialVersionUID = 1L;

    /** For DL4J's JSON deserialisation. */
    protected ContiguousIm2colConvolution() {
        super();
    }

    /**
     * @param builder a configured {@link ConvolutionLayer.Builder}; its data format must be NCHW
     * @throws IllegalArgumentException if the builder's settings are inconsistent or its format is NHWC
     */
    public ContiguousIm2colConvolution(ConvolutionLayer.Builder builder) {
        super(validated(builder));
        if (getCnn2dDataFormat() != CNN2DFormat.NCHW) {
            throw new IllegalArgumentException(
                    "ContiguousIm2colConvolution supports NCHW activations only, got " + getCnn2dDataFormat());
        }
    }

    private static ConvolutionLayer.Builder validated(ConvolutionLayer.Builder builder) {
        // The checks ConvolutionLayer.Builder.build() makes before its constructor.
        builder.build();
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
                new ContiguousIm2colConvolutionLayer(conf, networkDataType),
                conf,
                trainingListeners,
                layerIndex,
                layerParamsView,
                initializeParams,
                initializer());
    }
}
