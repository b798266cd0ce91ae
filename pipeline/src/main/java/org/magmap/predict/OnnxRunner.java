package org.magmap.predict;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ONNX model run by ONNX Runtime on the CPU: the fast path for inference and evaluation on CPU executors (see
 * docs/benchmarks.md), while Deeplearning4j's runners stay for GPU executors. Inputs are fed in the model's input
 * order; the first output comes back as an ND4J array in the network's training units, like the DL4J runners'.
 *
 * <p>One ORT session per model and thread count per JVM (an executor's tasks share it: {@code OrtSession.run} is
 * thread-safe), held for the JVM's life, so a task does not pay for loading and optimising the graph again.
 */
public final class OnnxRunner implements ModelRunner {
    private static final Map<String, OrtSession> SESSIONS = new ConcurrentHashMap<>();

    private final OrtSession session;
    private final List<String> inputs;

    private OnnxRunner(OrtSession session) {
        this.session = session;
        this.inputs = List.copyOf(session.getInputNames());
    }

    /**
     * The runner of a model, its session made once per JVM.
     *
     * @param onnxModel a serialised ONNX model ({@code onnx.OnnxExport})
     * @param threads ORT's intra-op threads: the cores the calling task holds
     */
    public static OnnxRunner open(byte[] onnxModel, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        String key = digest(onnxModel) + "/" + threads;
        return new OnnxRunner(SESSIONS.computeIfAbsent(key, k -> session(onnxModel, threads)));
    }

    @Override
    public INDArray output(INDArray[] features) {
        if (features.length != inputs.size()) {
            throw new IllegalArgumentException(
                    "the ONNX model takes " + inputs.size() + " inputs " + inputs + ", got " + features.length);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (int i = 0; i < features.length; i++) {
                INDArray x = features[i].castTo(DataType.FLOAT).dup('c');
                feed.put(
                        inputs.get(i),
                        OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data().asFloat()), x.shape()));
            }
            try (OrtSession.Result result = session.run(feed)) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                long[] shape = out.getInfo().getShape();
                FloatBuffer buffer = out.getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                return Nd4j.create(values, shape, 'c');
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    private static OrtSession session(byte[] model, int threads) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return OrtEnvironment.getEnvironment().createSession(model, options);
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
