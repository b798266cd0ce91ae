package org.magmap.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Forward passes of the custom layers against hand-written or plain-Java expectations. */
class ModelLayersTest {

    /** A graph holding only {@code layer}, fed NCHW input of the given shape, run in double precision. */
    private static ComputationGraph single(org.deeplearning4j.nn.conf.layers.Layer layer, long c, long h, long w) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(h, w, c))
                .addLayer("layer", layer, "in")
                .setOutputs("layer")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static INDArray random(long seed, long... shape) {
        Random rng = new Random(seed);
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rng.nextGaussian() * 2 + 0.5);
        }
        return a;
    }

    @Test
    void reflectionPaddingMatchesHandComputedExample() {
        INDArray in = Nd4j.create(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new long[] {1, 1, 3, 3}, 'c');
        // Rows reflect first ([4 5 6] above, [4 5 6] below), then every row [a b c] becomes [b a b c b].
        double[][] expected = {
            {5, 4, 5, 6, 5},
            {2, 1, 2, 3, 2},
            {5, 4, 5, 6, 5},
            {8, 7, 8, 9, 8},
            {5, 4, 5, 6, 5},
        };
        INDArray out = single(new ReflectionPadding2D(1), 1, 3, 3).outputSingle(in);
        assertArrayEquals(new long[] {1, 1, 5, 5}, out.shape());
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(expected[y][x], out.getDouble(0, 0, y, x), 0.0, "pixel " + y + "," + x);
            }
        }
    }

    /** Index of the source pixel for padded position i of an axis of length n: mirror about 0 and n-1. */
    private static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }

    @Test
    void reflectionPaddingByTwoOnNonSquareBatch() {
        int n = 2, c = 2, h = 3, w = 4, p = 2;
        INDArray in = random(1, n, c, h, w);
        INDArray out = single(new ReflectionPadding2D(p), c, h, w).outputSingle(in);
        assertArrayEquals(new long[] {n, c, h + 2 * p, w + 2 * p}, out.shape());
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h + 2 * p; y++) {
                    for (int x = 0; x < w + 2 * p; x++) {
                        double want = in.getDouble(s, ch, reflect(y - p, h), reflect(x - p, w));
                        assertEquals(want, out.getDouble(s, ch, y, x), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void reflectionPaddingRejectsPaddingAsLargeAsTheImage() {
        assertThrows(IllegalArgumentException.class, () -> single(new ReflectionPadding2D(3), 1, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> new ReflectionPadding2D(0));
    }

    @Test
    void instanceNormalizationMatchesPlainJava() {
        int n = 2, c = 3, h = 4, w = 5;
        double eps = 1e-5;
        ComputationGraph net = single(new InstanceNormalization(), c, h, w);
        INDArray gamma = net.getLayer("layer").paramTable().get(InstanceNormalization.GAMMA);
        INDArray beta = net.getLayer("layer").paramTable().get(InstanceNormalization.BETA);
        assertEquals(Nd4j.ones(DataType.DOUBLE, 1, c), gamma, "gamma starts at 1");
        assertEquals(Nd4j.zeros(DataType.DOUBLE, 1, c), beta, "beta starts at 0");
        double[] g = {1.5, -0.5, 2.0};
        double[] b = {0.25, -1.0, 3.0};
        gamma.assign(Nd4j.create(g, new long[] {1, c}, DataType.DOUBLE));
        beta.assign(Nd4j.create(b, new long[] {1, c}, DataType.DOUBLE));

        INDArray in = random(2, n, c, h, w);
        INDArray out = net.outputSingle(in);
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                double sum = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        sum += in.getDouble(s, ch, y, x);
                    }
                }
                double mean = sum / (h * w);
                double ss = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double d = in.getDouble(s, ch, y, x) - mean;
                        ss += d * d;
                    }
                }
                double sd = Math.sqrt(ss / (h * w) + eps); // biased variance, as Ulyanov et al. and PyTorch
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double want = g[ch] * (in.getDouble(s, ch, y, x) - mean) / sd + b[ch];
                        assertEquals(want, out.getDouble(s, ch, y, x), 1e-10);
                    }
                }
            }
        }
    }

    @Test
    void filmMatchesPlainJava() {
        int n = 3, c = 2, h = 3, w = 4;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE)
                .graphBuilder()
                .addInputs("h", "e")
                .setInputTypes(InputType.convolutional(h, w, c), InputType.feedForward(2 * c))
                .addVertex("film", new FiLM(c), "h", "e")
                .setOutputs("film")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        INDArray feat = random(3, n, c, h, w);
        INDArray emb = random(4, n, 2 * c);
        INDArray out = net.outputSingle(feat, emb);
        assertArrayEquals(feat.shape(), out.shape());
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                double gamma = emb.getDouble(s, ch);
                double beta = emb.getDouble(s, c + ch);
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double want = gamma * feat.getDouble(s, ch, y, x) + beta;
                        assertEquals(want, out.getDouble(s, ch, y, x), 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void filmRejectsMismatchedEmbedding() {
        assertThrows(Exception.class, () -> new NeuralNetConfiguration.Builder()
                .graphBuilder()
                .addInputs("h", "e")
                .setInputTypes(InputType.convolutional(4, 4, 2), InputType.feedForward(3))
                .addVertex("film", new FiLM(2), "h", "e")
                .setOutputs("film")
                .build());
    }
}
