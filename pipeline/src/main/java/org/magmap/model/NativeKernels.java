package org.magmap.model;

import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the loaded libnd4j was built with, and so which kernels the convolution uses. The nd4j-native classifier
 * the build puts on the classpath decides it (see the pom's {@code nd4j.platform}): a {@code -onednn} build carries
 * oneDNN's convolution kernels behind libnd4j's own {@code conv2d} and {@code conv2d_bp} ops.
 */
public final class NativeKernels {
    /** The system property that overrides the convolution's kernel: {@code libnd4j} or {@code im2col}. */
    public static final String CONVOLUTION_PROPERTY = "magmap.convolution";

    private static volatile Boolean oneDnn;

    private NativeKernels() {}

    /** libnd4j's build description (compiler, BLAS, HAVE_ONEDNN, ...), one line. */
    public static String buildInfo() {
        Nd4j.getBackend(); // loads the natives
        return NativeOpsHolder.getInstance()
                .getDeviceNativeOps()
                .buildInfo()
                .trim()
                .replaceAll("\\s*\\n\\s*", "; ");
    }

    /** Whether the loaded libnd4j was built with oneDNN. */
    public static boolean hasOneDnn() {
        Boolean known = oneDnn;
        if (known == null) {
            known = buildInfo().contains("HAVE_ONEDNN");
            oneDnn = known;
        }
        return known;
    }

    /**
     * Whether {@link ContiguousIm2colConvolution} runs through libnd4j's {@code conv2d} ops: by default where the
     * natives have oneDNN (5 to 8 times faster than the contiguous im2col there, docs/benchmarks.md), else the
     * contiguous im2col (libnd4j's generic conv2d is slower than it); the {@value #CONVOLUTION_PROPERTY} property
     * forces either.
     */
    public static boolean convolutionThroughLibnd4j() {
        String forced = System.getProperty(CONVOLUTION_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        return switch (forced) {
            case "" -> hasOneDnn();
            case "libnd4j" -> true;
            case "im2col" -> false;
            default -> throw new IllegalArgumentException(
                    CONVOLUTION_PROPERTY + " must be libnd4j or im2col, got '" + forced + "'");
        };
    }
}
