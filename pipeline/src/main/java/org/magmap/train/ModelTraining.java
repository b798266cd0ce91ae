package org.magmap.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.api.Model;

/**
 * What the train job needs to know about one kind of network: how to build or restore it, how its mini-batches
 * are read from the patch rows, how it is validated after each epoch and measured at the end, and what its model
 * card says about inputs and targets. {@link TrainingRun} owns the loop, checkpoints, early stopping and the
 * output.
 */
public interface ModelTraining {
    /**
     * Restores {@code checkpoint} (with updater state) when it is not null; otherwise starts from the weights of
     * {@code initial}, a saved model of the same architecture (fine-tuning: fresh optimiser state, this run's
     * learning rate), when that is not null; otherwise builds a fresh network.
     */
    void start(JavaSparkContext jsc, InputStream checkpoint, InputStream initial, Distribution distribution)
            throws IOException;

    /**
     * One pass over the training batches: epoch {@code epoch}, counted from 1.
     *
     * @return the examples the workers fitted, or {@link #trainCount} where the engine cannot count them. Under
     *     parameter averaging this is less than {@link #trainCount}: dl4j-spark cuts each epoch into splits at
     *     random, and a worker fits at most averaging-frequency batches of its split, dropping the rest
     */
    long fitEpoch(int epoch);

    /** The network with the current parameters, on the driver. */
    Model network();

    /** Training patches per epoch (after {@link #start}). */
    long trainCount();

    /** The engine, for logs and the card. */
    String engineDescription();

    /**
     * Validation after {@code epoch}: the loss that early stopping watches and, on epochs where it is computed, the
     * checkpoint-selection score.
     */
    EpochScore validate(JavaSparkContext jsc, byte[] model, int epoch);

    /** Metrics of the final model on one split (per simulation and overall), for the card. */
    Map<String, Object> splitMetrics(JavaSparkContext jsc, byte[] model, Dataset<Row> split);

    /** Card entries: model, architecture, inputs, conditioning, targets. */
    Map<String, Object> cardEntries();

    /** Releases cached data. */
    void close();

    /**
     * One epoch's validation.
     *
     * @param loss validation loss (lower is better), in the unit of {@code lossName}
     * @param selection checkpoint-selection score, lower is better; NaN when not computed this epoch
     * @param selectionName what the selection score is (e.g. "validation MSE", "-PSNR")
     * @param values figures for the history and the log
     * @param logLine one human line
     */
    record EpochScore(
            double loss, double selection, String selectionName, Map<String, Object> values, String logLine) {}
}
