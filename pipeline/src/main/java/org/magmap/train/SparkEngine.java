package org.magmap.train;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Trains a network through dl4j-spark, for both network kinds: the cluster CNN (a {@link MultiLayerNetwork} on
 * {@link DataSet}s) and the conditional ResNet (a {@link ComputationGraph}, two inputs, on {@link MultiDataSet}s).
 * Only the dl4j-spark wrapper differs between them. Scoring and evaluation never go through dl4j-spark (its
 * {@code calculateScore} broadcasts the live parameter array, which Spark may close: docs/stack-traps.md), see
 * {@link org.magmap.evaluate.CnnEvaluation} and {@link org.magmap.evaluate.ResNetEvaluation}.
 *
 * @param <N> the network type
 * @param <D> the mini-batch type
 */
public final class SparkEngine<N extends Model, D> implements TrainingEngine<N, D> {
    private final Consumer<JavaRDD<D>> fit;
    private final Supplier<N> network;
    private final Distribution distribution;
    private final LongAccumulator fittedSamples;

    private SparkEngine(
            Consumer<JavaRDD<D>> fit, Supplier<N> network, Distribution distribution, LongAccumulator fittedSamples) {
        this.fit = fit;
        this.network = network;
        this.distribution = distribution;
        this.fittedSamples = fittedSamples;
    }

    /** The engine of the cluster CNN. */
    public static SparkEngine<MultiLayerNetwork, DataSet> of(
            JavaSparkContext jsc, MultiLayerNetwork net, Distribution distribution) {
        LongAccumulator fitted = counter(jsc, distribution);
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, net, distribution.trainingMaster(jsc, fitted));
        return new SparkEngine<>(spark::fit, spark::getNetwork, distribution, fitted);
    }

    /** The engine of the conditional ResNet. */
    public static SparkEngine<ComputationGraph, MultiDataSet> of(
            JavaSparkContext jsc, ComputationGraph net, Distribution distribution) {
        LongAccumulator fitted = counter(jsc, distribution);
        SparkComputationGraph spark = new SparkComputationGraph(jsc, net, distribution.trainingMaster(jsc, fitted));
        return new SparkEngine<>(spark::fitMultiDataSet, spark::getNetwork, distribution, fitted);
    }

    private static LongAccumulator counter(JavaSparkContext jsc, Distribution distribution) {
        return distribution.countsFittedSamples() ? jsc.sc().longAccumulator("magmap fitted samples") : null;
    }

    @Override
    public void fitEpoch(JavaRDD<D> batches) {
        fit.accept(batches);
    }

    @Override
    public N network() {
        return network.get();
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
