package org.magmap.train;

import java.util.function.IntFunction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.api.Model;

/**
 * What every {@link ModelTraining} shares: the training rows, shuffled once and kept in memory, the mini-batches
 * read from them on the executors, and the engine that fits them. Subclasses build the network and the batches in
 * {@link #start} and hand them over with {@link #ready}.
 *
 * @param <N> the network type
 * @param <D> the mini-batch type
 */
abstract class EngineTraining<N extends Model, D> implements ModelTraining {
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
    public final void fitEpoch(int epoch) {
        engine.fitEpoch(batchesOfEpoch.apply(epoch));
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
