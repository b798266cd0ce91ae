package org.magmap.predict;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Networks as the bytes of their saved zip, and back. The bytes are what travels to executors (a broadcast of
 * plain bytes, never a live INDArray: Spark closes AutoCloseable broadcast values, and INDArray is one).
 */
public final class SavedModels {
    private SavedModels() {}

    /** The saved-model bytes of a network (without updater state). */
    public static byte[] bytes(Model net) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ModelSerializer.writeModel(net, out, false);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores a MultiLayerNetwork from {@link #bytes}. */
    public static MultiLayerNetwork restore(byte[] bytes) {
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Restores a ComputationGraph from {@link #bytes}. */
    public static ComputationGraph restoreGraph(byte[] bytes) {
        try {
            return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The runner of an image-to-image model, or of an ensemble of them (their mean), each member under its
     * dihedral mean when asked.
     *
     * @param models ComputationGraphs with the same inputs and target scaling, as one engine's bytes
     * @param threads the cores the calling task holds
     */
    public static ModelRunner imageToImage(List<ModelBytes> models, boolean dihedralMean, int threads) {
        List<ModelRunner> members = new ArrayList<>();
        for (ModelBytes model : models) {
            ModelRunner one = model.runner(threads);
            members.add(dihedralMean ? new DihedralMeanRunner(one) : one);
        }
        return new EnsembleRunner(members);
    }
}
