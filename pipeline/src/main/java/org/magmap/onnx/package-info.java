/**
 * The two networks written as ONNX models by our own code, from the Deeplearning4j parameters: {@link
 * org.magmap.onnx.OnnxExport} walks a trained MultiLayerNetwork or ComputationGraph layer by layer and emits the
 * equivalent ONNX operators (opset {@value org.magmap.onnx.OnnxGraph#OPSET}), with the model card's scaling and
 * conditions as metadata, so ONNX Runtime (in Java here, or Python's onnxruntime) runs the same function.
 *
 * <p>May depend on ND4J, DL4J and {@code model}; no Spark, files or I/O (models go in and out as bytes).
 */
package org.magmap.onnx;
