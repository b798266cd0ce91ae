package org.magmap.model;

import java.lang.reflect.Field;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's batch normalisation (same settings, parameters, running statistics and JSON form, so a saved network's
 * weights load into either) whose forward and backward passes go through libnd4j's {@code batchnorm} and {@code
 * batchnorm_bp} ops, and so through oneDNN's kernels on a {@code -onednn} natives build.
 *
 * <p>Why: DL4J 1.0.0-M2.1 carries exactly that path, {@code MKLDNNBatchNormHelper}, but never switches it on:
 * {@code BaseMKLDNNHelper.mklDnnEnabled()} looks for {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class
 * that moved, so the layer falls back to a chain of Java-side ND4J ops. Measured on the paper-size CNN (2 cores,
 * batch 64, oneDNN natives), those took over half of a training step (JFR native samples: 30% in backprop, 21% in
 * the forward pass), and the helper made the step 1.8x faster (docs/benchmarks.md). Here each layer gets the
 * helper with its "supported" check answered by what the loaded libnd4j was built with ({@link NativeKernels}).
 * Fixed (locked) gamma and beta stay on DL4J's own path, as the helper requires.
 */
public class OneDnnBatchNormalization extends BatchNormalization {
    private static final long serialVersionUID = 1L;

    /** The DL4J layer's helper field (package-private in DL4J, set once per layer instance). */
    private static final Field HELPER = helperField();

    /** For DL4J's JSON deserialisation. */
    protected OneDnnBatchNormalization() {
        super();
    }

    /**
     * The layer {@code builder} builds (DL4J's builder defaults: decay 0.9, epsilon 1e-5, learnt gamma and beta,
     * log10 of the standard deviation kept), on this path.
     */
    public static OneDnnBatchNormalization of(BatchNormalization.Builder builder) {
        // DL4J's constructor from a builder is private: copy the built layer's settings, field by field, from
        // DL4J's configuration classes (the ones JSON round-trips).
        BatchNormalization built = builder.build();
        OneDnnBatchNormalization copy = new OneDnnBatchNormalization();
        for (Class<?> c = BatchNormalization.class; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(copy, f.get(built));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy " + f, e);
                }
            }
        }
        return copy;
    }

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        Layer layer = super.instantiate(
                conf, trainingListeners, layerIndex, layerParamsView, initializeParams, networkDataType);
        if (NativeKernels.hasOneDnn()) {
            try {
                HELPER.set(layer, new Helper(networkDataType));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot install the oneDNN batch normalisation helper", e);
            }
        }
        return layer;
    }

    @Override
    public OneDnnBatchNormalization clone() {
        return (OneDnnBatchNormalization) super.clone();
    }

    private static Field helperField() {
        try {
            Field f = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(
                    "DL4J's BatchNormalization layer has no 'helper' field: this class is written for 1.0.0-M2.1", e);
        }
    }

    /** DL4J's oneDNN helper, told the truth about the natives. */
    static final class Helper extends MKLDNNBatchNormHelper {
        Helper(DataType dataType) {
            super(dataType);
        }

        @Override
        public boolean checkSupported(double eps, boolean fixedGammaBeta) {
            return !fixedGammaBeta;
        }

        @Override
        public boolean checkSupported() {
            return true;
        }
    }
}
