package org.magmap.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Trains a {@link ComputationGraph} (the conditional ResNet, two inputs) through dl4j-spark's
 * {@link SparkComputationGraph}. As for {@link MultiLayerEngine}, scoring never goes through dl4j-spark.
 */
public final class GraphEngine implements TrainingEngine<ComputationGraph, MultiDataSet> {
    private final SparkComputationGraph sparkNet;
    private final Distribution distribution;
    private final LongAccumulator fittedSamples;

    public GraphEngine(JavaSparkContext jsc, ComputationGraph net, Distribution distribution) {
        this.fittedSamples =
                distribution.countsFittedSamples() ? jsc.sc().longAccumulator("magmap fitted samples") : null;
        this.sparkNet = new SparkComputationGraph(jsc, net, distribution.trainingMaster(jsc, fittedSamples));
        this.distribution = distribution;
    }

    @Override
    public void fitEpoch(JavaRDD<MultiDataSet> batches) {
        sparkNet.fitMultiDataSet(batches);
    }

    @Override
    public ComputationGraph network() {
        return sparkNet.getNetwork();
    }

    @Override
    public LongAccumulator fittedSamples() {
        return fittedSamples;
    }

    @Override
    public String describe() {
        return distribution.describe();
    }
}
