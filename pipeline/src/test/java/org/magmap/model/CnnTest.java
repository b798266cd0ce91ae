package org.magmap.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class CnnTest {
    @Test
    void paperArchitectureHasTheLayersOfTheClusterPaper() {
        MultiLayerNetwork net = new MultiLayerNetwork(Cnn.build(Cnn.Config.paper(1)));
        net.init();
        // 3 blocks x ([conv, BN, ReLU] x 2 + pool) + dense + output
        assertEquals(3 * 7 + 2, net.getnLayers());
        assertArrayEquals(
                new long[] {5, 1},
                net.output(Nd4j.rand(new int[] {5, 1, 32, 32})).shape());
    }

    @Test
    void theOutputStartsAtTheGivenBias() {
        // Same seed, same weights; only the output bias differs, so the outputs differ by exactly that bias.
        Cnn.Config cfg = new Cnn.Config(16, List.of(4), 8, 1e-3, 0.5, 0.999, 2);
        MultiLayerNetwork a = new MultiLayerNetwork(Cnn.build(cfg, 0));
        MultiLayerNetwork b = new MultiLayerNetwork(Cnn.build(cfg, 2.5));
        a.init();
        b.init();
        INDArray x = Nd4j.rand(new int[] {3, 1, 16, 16});
        INDArray diff = b.output(x, false).sub(a.output(x, false));
        assertEquals(2.5, diff.minNumber().doubleValue(), 1e-5);
        assertEquals(2.5, diff.maxNumber().doubleValue(), 1e-5);
    }

    @Test
    void savedModelPredictsIdentically(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net =
                new MultiLayerNetwork(Cnn.build(new Cnn.Config(16, List.of(4, 8), 8, 1e-3, 0.5, 0.999, 2)));
        net.init();
        Nd4j.getRandom().setSeed(4);
        for (int i = 0; i < 3; i++) { // trained a little, so batch-norm statistics and Adam state are not initial
            net.fit(new DataSet(Nd4j.rand(new int[] {8, 1, 16, 16}), Nd4j.rand(new int[] {8, 1})));
        }
        INDArray x = Nd4j.rand(new int[] {6, 1, 16, 16});
        INDArray before = net.output(x, false);
        java.io.File file = dir.resolve("cnn.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(before, back.output(x, false));
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
    }
}
