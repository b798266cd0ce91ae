/**
 * Running trained models: one {@link org.magmap.predict.ModelRunner} interface (a batch of inputs in, the model's
 * output out), the Deeplearning4j runners, the dihedral mean and ensembles as runners over runners, saved-model
 * bytes ({@link org.magmap.predict.SavedModels}) and the target scaling between training and physical units
 * ({@link org.magmap.predict.MapTargets}). Evaluation and survey inference both predict through it.
 *
 * <p>Depends on {@code patch} (the dihedral group), ND4J and DL4J; knows nothing of Spark, jobs or artifacts'
 * files.
 */
package org.magmap.predict;
