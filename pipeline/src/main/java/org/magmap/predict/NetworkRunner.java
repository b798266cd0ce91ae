package org.magmap.predict;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A Deeplearning4j MultiLayerNetwork (the cluster CNN): one image input, its output in inference mode. */
public final class NetworkRunner implements ModelRunner {
    private final MultiLayerNetwork net;

    public NetworkRunner(MultiLayerNetwork net) {
        this.net = net;
    }

    @Override
    public INDArray output(INDArray[] features) {
        if (features.length != 1) {
            throw new IllegalArgumentException("a MultiLayerNetwork takes one input, got " + features.length);
        }
        return net.output(features[0], false);
    }
}
