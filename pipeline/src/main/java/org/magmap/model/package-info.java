/**
 * Network definitions and the custom layers they need: the conditional ResNet ("cresnet") of the H I paper
 * (docs/science.md section 4) and its building blocks that Deeplearning4j lacks, namely reflection padding, instance
 * normalisation and FiLM conditioning.
 *
 * <p>The custom layers are SameDiff-based ({@code SameDiffLayer} / {@code SameDiffVertex}) so that their forward
 * and backward passes come from SameDiff's automatic differentiation and reach libnd4j's native kernels. Every
 * class here is plain configuration: it survives DL4J's JSON round trip and Java serialization, which is how
 * Spark ships a network configuration to executors.
 *
 * <p>One layer is not SameDiff: {@link org.magmap.model.ContiguousIm2colConvolution} is DL4J's own convolution
 * (its configuration class extended, its layer's forward and backward passes rewritten) with a faster im2col
 * layout, which both networks use for every convolution; on a natives build with oneDNN it runs libnd4j's
 * {@code conv2d} ops instead ({@link org.magmap.model.NativeKernels}). Batch normalisation is DL4J's with its
 * oneDNN helper switched on ({@link org.magmap.model.OneDnnBatchNormalization}), and the transposed convolution
 * calls libnd4j's ops directly ({@link org.magmap.model.NativeDeconvolution2D}).
 *
 * <p>May depend on ND4J and DL4J; no Spark, files or I/O.
 */
package org.magmap.model;
