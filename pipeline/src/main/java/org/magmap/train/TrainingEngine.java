package org.magmap.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;

/**
 * How a network is trained on Spark. One interface so the distributed engine can be swapped: the dl4j-spark
 * modules were last published at 1.0.0-M2 and will not continue, so nothing outside the implementations
 * touches their classes.
 *
 * @param <N> the network type (MultiLayerNetwork or ComputationGraph)
 * @param <D> the mini-batch type (DataSet or MultiDataSet)
 */
public interface TrainingEngine<N extends Model, D> {
    /** One pass over the training mini-batches (which stay on the executors). */
    void fitEpoch(JavaRDD<D> batches);

    /** The network with the current parameters, on the driver. */
    N network();

    /**
     * Examples fitted so far, summed over the workers and merged on the driver as their tasks end; null when the
     * engine cannot tell (gradient sharing). Reset it to count one epoch.
     */
    LongAccumulator fittedSamples();

    /** A one-line description for logs and the model card. */
    String describe();
}
