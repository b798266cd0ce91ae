package org.magmap.predict;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A Deeplearning4j ComputationGraph (the conditional ResNet): its first output, in inference mode. */
public final class GraphRunner implements ModelRunner {
    private final ComputationGraph net;

    public GraphRunner(ComputationGraph net) {
        this.net = net;
    }

    @Override
    public INDArray output(INDArray[] features) {
        return net.output(false, features)[0];
    }
}
