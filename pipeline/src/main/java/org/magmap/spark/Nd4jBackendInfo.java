package org.magmap.spark;

import java.io.Serializable;
import java.util.Properties;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What ND4J backend this JVM runs on, and whether it actually computes.
 *
 * @param backend the backend class (CpuBackend, JCublasBackend), or "unavailable"
 * @param devices number of compute devices ND4J sees (1 for CPU)
 * @param details BLAS vendor, CPU features or GPU names, as ND4J reports them
 * @param works whether a small matrix product gave the exact expected answer
 * @param error why the backend could not load or compute; null when it works
 */
public record Nd4jBackendInfo(String backend, int devices, String details, boolean works, String error)
        implements Serializable {

    /** Loads ND4J if needed and checks it with a product whose answer is known exactly. */
    public static Nd4jBackendInfo probe() {
        try {
            String backend = Nd4j.getBackend().getClass().getSimpleName();
            int devices = Nd4j.getAffinityManager().getNumberOfDevices();
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            StringBuilder details = new StringBuilder();
            appendIfPresent(details, env, "blas.vendor", "BLAS");
            appendIfPresent(details, env, "omp.threads", "threads");
            appendIfPresent(details, env, "cuda.devicesInformation", "GPUs");
            // Which natives classifier loaded: the -onednn builds say so in libnd4j's build description, and only
            // they run the convolutions and batch normalisation on oneDNN's kernels (model.NativeKernels).
            String build = org.nd4j.nativeblas.NativeOpsHolder.getInstance()
                    .getDeviceNativeOps()
                    .buildInfo();
            details.append(details.length() > 0 ? ", " : "")
                    .append(build.contains("HAVE_ONEDNN") ? "libnd4j with oneDNN" : "libnd4j without oneDNN");
            // [[1,2],[3,4]] x [[5,6],[7,8]] = [[19,22],[43,50]]: small integers are exact in float32.
            INDArray a = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
            INDArray b = Nd4j.createFromArray(new float[][] {{5, 6}, {7, 8}});
            float[] product = a.mmul(b).data().asFloat();
            boolean works = product[0] == 19f && product[1] == 22f && product[2] == 43f && product[3] == 50f;
            return new Nd4jBackendInfo(
                    backend,
                    devices,
                    details.toString(),
                    works,
                    works ? null : "2x2 matrix product gave a wrong answer");
        } catch (Throwable t) { // NOPMD: native loading fails with Errors (UnsatisfiedLinkError), not Exceptions
            String why = t.getClass().getSimpleName() + ": " + t.getMessage();
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != t) {
                why += " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
            }
            return new Nd4jBackendInfo("unavailable", 0, "", false, why);
        }
    }

    private static void appendIfPresent(StringBuilder sb, Properties env, String key, String label) {
        Object v = env.get(key);
        if (v != null && !String.valueOf(v).isBlank()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(label).append(' ').append(v);
        }
    }

    /** One line for banners. */
    public String summary() {
        if (!works) {
            return backend + " - NOT WORKING: " + error;
        }
        return backend + ", " + devices + " device" + (devices == 1 ? "" : "s")
                + (details.isEmpty() ? "" : " (" + details + ")");
    }
}
