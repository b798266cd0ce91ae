package org.magmap.train;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Fine-tuning's start: a network built from this run's settings (its learning rate, betas and loss, fresh
 * optimiser state) takes every parameter of a saved model of the same architecture, batch-normalisation running
 * statistics included (DL4J keeps them among the parameters). Building afresh rather than restoring the saved
 * network and changing its learning rate matters: DL4J 1.0.0-M2.1's {@code setLearningRate} does not reach the
 * updater of SameDiff layers (the ResNet's instance norm kept its old rate in {@code InitialWeightsTest}).
 */
public final class InitialWeights {
    private InitialWeights() {}

    /**
     * Copies {@code saved}'s parameters into {@code fresh} (initialised).
     *
     * @throws IllegalArgumentException when the two hold different numbers of parameters
     */
    public static void copy(Model saved, Model fresh) {
        if (saved.numParams() != fresh.numParams()) {
            throw new IllegalArgumentException("the model to start from has " + saved.numParams()
                    + " parameters, the configured architecture " + fresh.numParams());
        }
        fresh.setParams(saved.params().dup());
    }

    /**
     * Copies a saved image-to-image graph into {@code fresh}, the same graph built for an image of more maps (a
     * stack that begins with the saved model's maps, {@link org.magmap.patch.StackedObservable}). Every parameter
     * is copied by layer and name; the one convolution that reads the image takes the saved kernels for the leading
     * maps and zeros for the added ones. The widened network therefore starts as the saved one, whatever the added
     * maps hold, and training moves the new kernels away from zero only as far as the added maps help.
     *
     * @throws IllegalArgumentException when the layers or parameters differ in anything but that input width
     */
    public static void copyWidened(ComputationGraph saved, ComputationGraph fresh) {
        int widened = 0;
        for (Layer layer : fresh.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            Layer old = saved.getLayer(name);
            if (old == null) {
                throw new IllegalArgumentException("the model to start from has no layer '" + name + "'");
            }
            Map<String, INDArray> from = old.paramTable();
            Map<String, INDArray> to = layer.paramTable();
            if (!from.keySet().equals(to.keySet())) {
                throw new IllegalArgumentException("layer '" + name + "' has parameters " + from.keySet()
                        + " in the model to start from, " + to.keySet() + " here");
            }
            for (Map.Entry<String, INDArray> e : to.entrySet()) {
                INDArray source = from.get(e.getKey());
                INDArray target = e.getValue();
                if (Arrays.equals(source.shape(), target.shape())) {
                    target.assign(source);
                } else if (readsWiderInput(source.shape(), target.shape())) {
                    target.assign(0);
                    target.get(
                                    NDArrayIndex.all(),
                                    NDArrayIndex.interval(0, source.size(1)),
                                    NDArrayIndex.all(),
                                    NDArrayIndex.all())
                            .assign(source);
                    widened++;
                } else {
                    throw new IllegalArgumentException("parameter " + name + "/" + e.getKey() + " has shape "
                            + Arrays.toString(source.shape()) + " in the model to start from, "
                            + Arrays.toString(target.shape()) + " here");
                }
            }
        }
        if (widened != 1) {
            throw new IllegalArgumentException(
                    "expected exactly one convolution to read the wider image, found " + widened);
        }
    }

    /** A convolution kernel [out, in, kh, kw] that differs only in taking more input channels. */
    private static boolean readsWiderInput(long[] saved, long[] fresh) {
        return saved.length == 4
                && fresh.length == 4
                && saved[0] == fresh[0]
                && saved[1] < fresh[1]
                && saved[2] == fresh[2]
                && saved[3] == fresh[3];
    }
}
