package org.magmap.predict;

import org.magmap.conf.ConfigNames;
import org.nd4j.linalg.factory.Nd4j;

/** What runs a trained network at inference: Deeplearning4j itself, or ONNX Runtime on an exported copy. */
public enum Engine {
    /** Deeplearning4j on the ND4J backend the build carries: the path for GPU executors. */
    DL4J,
    /**
     * ONNX Runtime on the CPU, from the network exported by {@code onnx.OnnxExport}: several times faster than DL4J's
     * layers on CPU executors (docs/benchmarks.md).
     */
    ONNX,
    /** ONNX on a CPU build of ND4J, DL4J on a CUDA one. */
    AUTO;

    /** "dl4j", "onnx" or "auto", as in the config. */
    public static Engine parse(String name) {
        return ConfigNames.parse(Engine.class, name, "inference engine");
    }

    /** This engine, with AUTO decided by the ND4J backend loaded in this JVM. */
    public Engine resolved() {
        if (this != AUTO) {
            return this;
        }
        String backend = Nd4j.getBackend().getClass().getName().toLowerCase(java.util.Locale.ROOT);
        return backend.contains("cuda") || backend.contains("cublas") ? DL4J : ONNX;
    }
}
