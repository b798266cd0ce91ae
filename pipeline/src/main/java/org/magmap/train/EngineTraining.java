package org.magmap.train;

import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.magmap.batch.PatchBatches;
import org.magmap.spark.TaskProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every {@link ModelTraining} shares: the training rows, shuffled once and kept in memory, the mini-batches
 * read from them on the executors, and the engine that fits them. Subclasses build the network and the batches in
 * {@link #start} and hand them over with {@link #ready}.
 *
 * @param <N> the network type
 * @param <D> the mini-batch type
 */
abstract class EngineTraining<N extends Model, D> implements ModelTraining {
    private static final Logger LOG = LoggerFactory.getLogger(EngineTraining.class);

    /** The training rows in a random order (see {@link PatchBatches#shuffled}), persisted across epochs. */
    protected final Dataset<Row> train;

    private TrainingEngine<N, D> engine;
    private IntFunction<JavaRDD<D>> batchesOfEpoch;
    private long trainCount;

    protected EngineTraining(Dataset<Row> trainRows, long seed) {
        this.train = PatchBatches.shuffled(trainRows, seed).persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** Called at the end of {@code start}: the engine, the batches it fits each epoch and how many rows they hold. */
    protected final void ready(TrainingEngine<N, D> engine, JavaRDD<D> batches, long trainCount) {
        ready(engine, epoch -> batches, trainCount);
    }

    /**
     * As {@link #ready(TrainingEngine, JavaRDD, long)}, with batches that depend on the epoch (a random augmentation
     * drawn anew each epoch, reproducibly, so a resumed run sees what an uninterrupted one would have).
     */
    protected final void ready(TrainingEngine<N, D> engine, IntFunction<JavaRDD<D>> batchesOfEpoch, long trainCount) {
        this.engine = engine;
        this.batchesOfEpoch = batchesOfEpoch;
        this.trainCount = trainCount;
    }

    @Override
    public final long fitEpoch(int epoch) {
        LongAccumulator fitted = engine.fittedSamples();
        if (fitted == null) {
            engine.fitEpoch(batchesOfEpoch.apply(epoch));
            return trainCount;
        }
        // A line every 30 s with the examples fitted so far, the rate and the epoch's ETA. The count ends below
        // the total by what dl4j-spark's random splits drop (see ModelTraining#fitEpoch).
        fitted.reset();
        try (TaskProgress progress = TaskProgress.start(
                train.sparkSession(), "train: epoch " + epoch, "samples", trainCount, LOG, fitted, 30_000)) {
            engine.fitEpoch(batchesOfEpoch.apply(epoch));
        }
        return fitted.value();
    }

    @Override
    public final N network() {
        return engine.network();
    }

    @Override
    public final String engineDescription() {
        return engine.describe();
    }

    @Override
    public final long trainCount() {
        return trainCount;
    }

    @Override
    public final void close() {
        train.unpersist();
    }
}
