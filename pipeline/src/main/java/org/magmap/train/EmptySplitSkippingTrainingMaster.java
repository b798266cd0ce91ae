package org.magmap.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.loader.DataSetLoader;
import org.deeplearning4j.core.loader.MultiDataSetLoader;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dl4j-spark's parameter averaging, except that a split with no mini-batches is skipped instead of ending the run,
 * and a split with more mini-batches than one averaging round takes is fitted in several rounds instead of
 * dropping the surplus.
 *
 * <p>Each epoch, {@code SparkUtils.balancedRandomSplit} deals the exported mini-batch files into splits of about
 * {@code workers x averagingFrequency}, each file to a random split, so a split can come out empty. On a
 * ComputationGraph (the ResNet) dl4j-spark 1.0.0-M2's workers then return no result, the aggregate is null, and
 * {@code processResults} throws a NullPointerException: a 128-cell H I run of this project stopped that way in its
 * 16th epoch after 50 minutes. (A MultiLayerNetwork's workers return a result even for no data.) An empty
 * split has nothing to fit, so skipping it leaves training exactly as if the split had not been dealt. The check
 * costs one small job over the split's file paths (strings, already in memory).
 *
 * <p>Only the path-based iteration is guarded: it is the one dl4j-spark uses under its default export approach,
 * which {@link Distribution} keeps.
 */
final class EmptySplitSkippingTrainingMaster extends ParameterAveragingTrainingMaster {
    private static final Logger LOG = LoggerFactory.getLogger(EmptySplitSkippingTrainingMaster.class);

    EmptySplitSkippingTrainingMaster(Builder builder) {
        super(builder);
    }

    @Override
    protected void doIterationPaths(
            SparkDl4jMultiLayer network,
            SparkComputationGraph graph,
            JavaRDD<String> split,
            int splitNum,
            int numSplits,
            int dataSetObjectNumExamples,
            DataSetLoader dsLoader,
            MultiDataSetLoader mdsLoader) {
        // The split's mini-batch file paths: strings, one per mini-batch.
        List<String> paths = split.collect();
        if (paths.isEmpty()) {
            LOG.info("parameter averaging: split {} of {} was dealt no mini-batches; skipped", splitNum, numSplits);
            return;
        }
        // A worker fits at most averagingFrequency mini-batches of a split and drops the rest, and the random deal
        // gives some splits more than workers x averagingFrequency: cut those into whole averaging rounds, so
        // every mini-batch of the epoch is fitted.
        int round = numWorkers * averagingFrequency;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(split.context());
        for (int from = 0; from < paths.size(); from += round) {
            List<String> chunk = paths.subList(from, Math.min(paths.size(), from + round));
            int partitions = Math.min(numWorkers, chunk.size());
            super.doIterationPaths(
                    network,
                    graph,
                    jsc.parallelize(new ArrayList<>(chunk), partitions),
                    splitNum,
                    numSplits,
                    dataSetObjectNumExamples,
                    dsLoader,
                    mdsLoader);
        }
    }
}
