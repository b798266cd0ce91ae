/**
 * Running trained models: one {@link org.magmap.predict.ModelRunner} interface (a batch of inputs in, the model's
 * output out), the Deeplearning4j runners and ONNX Runtime's ({@link org.magmap.predict.OnnxRunner}, chosen by
 * {@link org.magmap.predict.Engine}; {@link org.magmap.predict.ModelBytes} is what crosses to executors), the dihedral mean and ensembles as runners over runners, saved-model
 * bytes ({@link org.magmap.predict.SavedModels}) and the target scaling between training and physical units
 * ({@link org.magmap.predict.MapTargets}). Evaluation and survey inference both predict through it.
 *
 * <p>Depends on {@code patch} (the dihedral group), {@code onnx} (the export), ND4J, DL4J and ONNX Runtime; knows nothing of Spark, jobs or artifacts'
 * files.
 */
package org.magmap.predict;
