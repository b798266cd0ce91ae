package org.magmap.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.magmap.conf.ConfigNames;
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
        Cnn.Config cfg = new Cnn.Config(16, List.of(4), 8, Cnn.Head.FLATTEN, 1e-3, 0.5, 0.999, 2);
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
    void theGlobalAverageHeadFeedsTheDenseLayerOneValuePerChannel() {
        Cnn.Config paper = Cnn.Config.paper(1);
        Cnn.Config averaged = new Cnn.Config(
                32, paper.blockChannels(), paper.denseUnits(), Cnn.Head.GLOBAL_AVERAGE, 2e-4, 0.5, 0.999, 1);
        MultiLayerNetwork flat = new MultiLayerNetwork(Cnn.build(paper));
        MultiLayerNetwork avg = new MultiLayerNetwork(Cnn.build(averaged));
        flat.init();
        avg.init();
        assertEquals(flat.getnLayers() + 1, avg.getnLayers());
        // the dense layer's weights: (4 x 4 x 128) x 256 after flattening, 128 x 256 after averaging
        assertEquals(4 * 4 * 128 * 256 - 128 * 256, flat.numParams() - avg.numParams());
        assertArrayEquals(
                new long[] {5, 1},
                avg.output(Nd4j.rand(new int[] {5, 1, 32, 32})).shape());
        assertEquals(Cnn.Head.GLOBAL_AVERAGE, Cnn.Head.parse("global-average"));
        assertEquals(Cnn.Head.FLATTEN, Cnn.Head.parse("flatten"));
        for (Cnn.Head h : Cnn.Head.values()) {
            assertEquals(h, Cnn.Head.parse(ConfigNames.of(h)));
        }
        assertThrows(IllegalArgumentException.class, () -> Cnn.Head.parse("average"));
    }

    @ParameterizedTest
    @EnumSource(Cnn.Head.class)
    void savedModelPredictsIdentically(Cnn.Head head, @TempDir Path dir) throws Exception {
        MultiLayerNetwork net =
                new MultiLayerNetwork(Cnn.build(new Cnn.Config(16, List.of(4, 8), 8, head, 1e-3, 0.5, 0.999, 2)));
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
