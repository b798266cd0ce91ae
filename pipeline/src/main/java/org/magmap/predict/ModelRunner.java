package org.magmap.predict;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One trained model behind one call: a batch of inputs in, the model's first output out. Inputs are the image
 * batch {@code [n, channels, size, size]} and, for a conditional model, the conditioning vectors {@code [n,
 * conditions]} (the card's conditioning columns); the output is in the network's training units, which {@link MapTargets}
 * (image-to-image models) or the card's target (scalar models) turns into physical units. Evaluation measures in
 * training units, so both it and a survey's inference read the same numbers.
 *
 * <p>Runners compose: {@link DihedralMeanRunner} averages one over the eight symmetries of a square patch and
 * {@link EnsembleRunner} averages several. A runner is built on an executor from saved-model bytes
 * ({@link SavedModels}) and is not serializable: what crosses to executors is the bytes.
 */
public interface ModelRunner {
    /**
     * The model's first output for one batch.
     *
     * @param features the image batch, then (conditional models) the conditioning batch
     */
    INDArray output(INDArray[] features);
}
