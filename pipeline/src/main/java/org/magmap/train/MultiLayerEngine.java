package org.magmap.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Trains a {@link MultiLayerNetwork} (the cluster CNN) through dl4j-spark. Scoring and evaluation never go
 * through dl4j-spark (its {@code calculateScore} broadcasts the live parameter array, which Spark may close:
 * shared STACK notes), see {@link org.magmap.evaluate.CnnEvaluation}.
 */
public final class MultiLayerEngine implements TrainingEngine<MultiLayerNetwork, DataSet> {
    private final SparkDl4jMultiLayer sparkNet;
    private final Distribution distribution;
    private final LongAccumulator fittedSamples;

    public MultiLayerEngine(JavaSparkContext jsc, MultiLayerNetwork net, Distribution distribution) {
        this.fittedSamples =
                distribution.countsFittedSamples() ? jsc.sc().longAccumulator("magmap fitted samples") : null;
        this.sparkNet = new SparkDl4jMultiLayer(jsc, net, distribution.trainingMaster(jsc, fittedSamples));
        this.distribution = distribution;
    }

    @Override
    public void fitEpoch(JavaRDD<DataSet> batches) {
        sparkNet.fit(batches);
    }

    @Override
    public MultiLayerNetwork network() {
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
