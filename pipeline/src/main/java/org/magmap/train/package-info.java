/**
 * Training on Spark: {@link org.magmap.train.TrainingRun} owns a run (the epoch loop, early stopping, checkpoints
 * replaced atomically, resume, the metrics per split and the model card); {@link org.magmap.train.ModelTraining}
 * says what one kind of network needs (the CNN: {@link org.magmap.train.CnnTraining}, the conditional ResNet:
 * {@link org.magmap.train.ResNetTraining}); the engines behind one interface run parameter averaging or gradient
 * sharing (dl4j-spark will not continue past 1.0.0-M2, so nothing else depends on its classes).
 */
package org.magmap.train;
