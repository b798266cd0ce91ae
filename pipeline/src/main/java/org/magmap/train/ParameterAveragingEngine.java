package org.magmap.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Synchronous parameter averaging (dl4j-spark's {@link ParameterAveragingTrainingMaster}): every worker fits
 * {@code averagingFrequency} mini-batches of {@code batchSizePerWorker} from the same parameters, then the
 * parameters (and updater state) are averaged. Scoring and evaluation never go through dl4j-spark (its
 * {@code calculateScore} broadcasts the live parameter array, which Spark may close: shared STACK notes), see
 * {@link ModelEvaluation}.
 */
public final class ParameterAveragingEngine implements TrainingEngine {
    private final SparkDl4jMultiLayer sparkNet;
    private final int batchSizePerWorker;
    private final int averagingFrequency;

    public ParameterAveragingEngine(
            JavaSparkContext jsc, MultiLayerNetwork net, int batchSizePerWorker, int averagingFrequency) {
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(batchSizePerWorker)
                .batchSizePerWorker(batchSizePerWorker)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(2)
                .saveUpdater(true)
                .build();
        this.sparkNet = new SparkDl4jMultiLayer(jsc, net, master);
        this.batchSizePerWorker = batchSizePerWorker;
        this.averagingFrequency = averagingFrequency;
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
    public String describe() {
        return "Spark parameter averaging (batch " + batchSizePerWorker + " per worker, averaging every "
                + averagingFrequency + " batches)";
    }
}
