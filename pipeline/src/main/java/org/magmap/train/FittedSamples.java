package org.magmap.train;

import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Counts the examples the Spark workers have fitted, into an accumulator the driver reads: the progress inside a
 * training epoch. dl4j-spark calls the hook after each mini-batch on the worker; Spark merges a task's count into
 * the driver's value when the task ends, which under parameter averaging is at every averaging split.
 */
final class FittedSamples implements TrainingHook {
    private static final long serialVersionUID = 1L;
    private final LongAccumulator fitted;

    FittedSamples(LongAccumulator fitted) {
        this.fitted = fitted;
    }

    @Override
    public void preUpdate(DataSet batch, Model model) {}

    @Override
    public void postUpdate(DataSet batch, Model model) {
        fitted.add(batch.numExamples());
    }

    @Override
    public void preUpdate(MultiDataSet batch, Model model) {}

    @Override
    public void postUpdate(MultiDataSet batch, Model model) {
        fitted.add(batch.getFeatures(0).size(0));
    }
}
