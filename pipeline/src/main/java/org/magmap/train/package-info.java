/**
 * Training on Spark: patches from Parquet into DL4J mini-batches on the executors, the training engine behind
 * one interface (parameter averaging today; dl4j-spark will not continue past 1.0.0-M2, so nothing else
 * depends on its classes), checkpoints and the model card; and saved models measured on the executors
 * ({@link org.magmap.evaluate.CnnEvaluation}, and {@link org.magmap.evaluate.CnnComparison} beside a baseline).
 */
package org.magmap.train;
