/**
 * From patch rows to Deeplearning4j mini-batches on the executors: images, the observational conditions the
 * ResNet is conditioned on ({@link org.magmap.batch.Conditions}), and the scaled target maps, in fixed-size
 * batches read straight from Parquet rows ({@link org.magmap.batch.PatchBatches}). Used by training and
 * evaluation alike, so both see the same inputs.
 */
package org.magmap.batch;
