package org.magmap.predict;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.magmap.onnx.OnnxExport;

/**
 * A trained network as the bytes one engine runs: the saved DL4J zip, or the ONNX model exported from it. This is
 * what the driver broadcasts to executors (plain bytes, never a live network), and each task turns it into a
 * {@link ModelRunner} with the cores it holds.
 *
 * @param engine {@link Engine#DL4J} or {@link Engine#ONNX} (never AUTO)
 * @param imageToImage a ComputationGraph (the conditional ResNet) rather than a MultiLayerNetwork (the CNN)
 * @param bytes the DL4J zip or the ONNX model
 */
public record ModelBytes(Engine engine, boolean imageToImage, byte[] bytes) implements Serializable {
    public ModelBytes {
        if (engine == Engine.AUTO) {
            throw new IllegalArgumentException("resolve the engine before making model bytes");
        }
    }

    /**
     * The bytes {@code engine} runs, exporting the network to ONNX where that is the engine.
     *
     * @param savedZip the network's saved zip ({@link SavedModels#bytes})
     * @param inputShapes each input's shape without the batch axis
     * @param metadata stored in an exported ONNX model (the model card)
     */
    public static ModelBytes of(
            byte[] savedZip,
            boolean imageToImage,
            Engine engine,
            List<long[]> inputShapes,
            Map<String, String> metadata) {
        Engine e = engine.resolved();
        if (e == Engine.DL4J) {
            return new ModelBytes(e, imageToImage, savedZip);
        }
        Model net = imageToImage ? SavedModels.restoreGraph(savedZip) : SavedModels.restore(savedZip);
        byte[] onnx;
        try {
            onnx = OnnxExport.export(net, inputShapes, metadata);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                    ex.getMessage() + "; engine = \"dl4j\" runs it on Deeplearning4j instead", ex);
        }
        // Opened once here, so a machine where ONNX Runtime's natives cannot load (an unsupported OS or CPU) or
        // an export it refuses fails on the driver with one line, not in every task.
        try {
            OnnxRunner.open(onnx, 1);
        } catch (LinkageError | IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                    "ONNX Runtime cannot run it here (" + ex.getMessage() + "); engine = \"dl4j\" runs it on"
                            + " Deeplearning4j instead",
                    ex);
        }
        return new ModelBytes(e, imageToImage, onnx);
    }

    /**
     * A runner of this model for one task.
     *
     * @param threads the cores the task holds (ONNX Runtime's threads; DL4J takes its own from OMP_NUM_THREADS)
     */
    public ModelRunner runner(int threads) {
        if (engine == Engine.ONNX) {
            return OnnxRunner.open(bytes, threads);
        }
        return imageToImage
                ? new GraphRunner(SavedModels.restoreGraph(bytes))
                : new NetworkRunner(SavedModels.restore(bytes));
    }
}
