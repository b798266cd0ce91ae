package org.magmap.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.model.CResNet;
import org.magmap.model.CResNetConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fine-tuning's start: a ResNet built with a new learning rate takes a saved one's weights, predicts as the saved
 * one does, and then learns at the new rate. Adam moves each weight by about the learning rate per step whatever
 * the gradient, so one step at 1e-9 leaves every parameter within 1e-7 of the saved one (the batch-norm running
 * statistics aside, which follow the data, not the rate), while the same step at the saved rate (5e-3) moves some
 * by about 5e-3. Restoring the saved net and calling DL4J's setLearningRate fails this: its instance-norm layers
 * (SameDiff) keep the saved rate.
 */
class InitialWeightsTest {
    private static CResNetConfig tiny(double learningRate, CResNetConfig.Norm norm) {
        return new CResNetConfig(16, 1, 1, 4, 1, 2, learningRate, 11, norm, 1);
    }

    private static ComputationGraph built(CResNetConfig c) {
        ComputationGraph net = new ComputationGraph(CResNet.build(c));
        net.init();
        return net;
    }

    @Test
    void aResNetBuiltWithANewLearningRateStartsFromTheSavedWeightsAndLearnsAtItsOwnRate(@TempDir Path dir)
            throws Exception {
        Nd4j.getRandom().setSeed(7);
        for (CResNetConfig.Norm norm : CResNetConfig.Norm.values()) {
            MultiDataSet batch = new MultiDataSet(
                    new INDArray[] {Nd4j.randn(DataType.FLOAT, 2, 1, 16, 16), Nd4j.randn(DataType.FLOAT, 2, 1)},
                    new INDArray[] {Nd4j.randn(DataType.FLOAT, 2, 2, 16, 16)});
            ComputationGraph trained = built(tiny(5e-3, norm));
            for (int i = 0; i < 3; i++) {
                trained.fit(batch); // moves the weights and the batch-norm statistics off their initial values
            }
            File file = dir.resolve(norm + ".zip").toFile();
            ModelSerializer.writeModel(trained, file, false);
            INDArray saved = trained.params().dup();
            INDArray savedOutput = trained.outputSingle(batch.getFeatures());

            ComputationGraph slow = built(tiny(1e-9, norm));
            InitialWeights.copy(ModelSerializer.restoreComputationGraph(file, false), slow);
            assertEquals(savedOutput, slow.outputSingle(batch.getFeatures()), norm + ": predicts as the saved net");
            slow.fit(batch);
            double slowMoved = moved(slow, saved);
            assertTrue(slowMoved < 1e-7, norm + ": moved " + slowMoved);

            ComputationGraph asSaved = built(tiny(5e-3, norm));
            InitialWeights.copy(ModelSerializer.restoreComputationGraph(file, false), asSaved);
            asSaved.fit(batch);
            double asSavedMoved = moved(asSaved, saved);
            assertTrue(asSavedMoved > 1e-3, norm + ": moved " + asSavedMoved);
        }
    }

    @Test
    void anotherArchitectureIsRefused() {
        ComputationGraph small = built(tiny(1e-3, CResNetConfig.Norm.BATCH));
        ComputationGraph wide = built(new CResNetConfig(16, 1, 1, 8, 1, 2, 1e-3, 11, CResNetConfig.Norm.BATCH, 1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> InitialWeights.copy(small, wide));
        assertTrue(e.getMessage().contains("parameters"), e.getMessage());
    }

    /**
     * A ResNet widened to a stack (a second input map) starts as the saved single-map one whatever the second map
     * holds, since that map's first kernels start at zero; one training step then moves those kernels off zero, so
     * the added map is learnt from. A wider residual trunk is not a widening and is refused.
     */
    @Test
    void aResNetWidenedToAStackPredictsAsTheSavedOneAndLearnsTheAddedMap(@TempDir Path dir) throws Exception {
        Nd4j.getRandom().setSeed(9);
        for (CResNetConfig.Norm norm : CResNetConfig.Norm.values()) {
            INDArray map = Nd4j.randn(DataType.FLOAT, 2, 1, 16, 16);
            INDArray condition = Nd4j.randn(DataType.FLOAT, 2, 1);
            ComputationGraph trained = built(tiny(5e-3, norm));
            MultiDataSet single = new MultiDataSet(
                    new INDArray[] {map, condition}, new INDArray[] {Nd4j.randn(DataType.FLOAT, 2, 2, 16, 16)});
            for (int i = 0; i < 3; i++) {
                trained.fit(single);
            }
            File file = dir.resolve("single-" + norm + ".zip").toFile();
            ModelSerializer.writeModel(trained, file, false);
            INDArray savedOutput = trained.outputSingle(map, condition);

            ComputationGraph widened = built(tiny(5e-3, norm).withInputChannels(2));
            InitialWeights.copyWidened(ModelSerializer.restoreComputationGraph(file, false), widened);
            INDArray stack =
                    Nd4j.concat(1, map, Nd4j.randn(DataType.FLOAT, 2, 1, 16, 16).muli(100));
            assertEquals(savedOutput, widened.outputSingle(stack, condition), norm + ": predicts as the saved net");

            INDArray added = firstKernelsOfTheAddedMap(widened);
            assertEquals(0, added.amaxNumber().doubleValue(), norm + ": the added map starts unread");
            widened.fit(new MultiDataSet(new INDArray[] {stack, condition}, single.getLabels()));
            assertTrue(firstKernelsOfTheAddedMap(widened).amaxNumber().doubleValue() > 1e-4, norm + ": learns it");
        }
        ComputationGraph saved = built(tiny(1e-3, CResNetConfig.Norm.BATCH));
        ComputationGraph wideTrunk = built(new CResNetConfig(16, 2, 1, 8, 1, 2, 1e-3, 11, CResNetConfig.Norm.BATCH, 1));
        assertThrows(IllegalArgumentException.class, () -> InitialWeights.copyWidened(saved, wideTrunk));
    }

    /** The 4-d kernel that reads the image, restricted to its input channels past the first. */
    private static INDArray firstKernelsOfTheAddedMap(ComputationGraph net) {
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            for (INDArray p : layer.paramTable().values()) {
                if (p.rank() == 4 && p.size(1) == 2) {
                    return p.get(
                                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                    org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2),
                                    org.nd4j.linalg.indexing.NDArrayIndex.all(),
                                    org.nd4j.linalg.indexing.NDArrayIndex.all())
                            .dup();
                }
            }
        }
        throw new AssertionError("no kernel reads two input maps");
    }

    /** The largest change of any trainable parameter (batch-norm running mean and variance excluded). */
    private static double moved(ComputationGraph net, INDArray saved) {
        ComputationGraph reference = net.clone();
        reference.setParams(saved);
        double worst = 0;
        for (var e : net.paramTable().entrySet()) {
            String param = e.getKey().substring(e.getKey().lastIndexOf('_') + 1);
            if (param.equals("mean") || param.equals("var") || param.equals("log10stdev")) {
                continue;
            }
            INDArray before = reference.paramTable().get(e.getKey());
            worst = Math.max(worst, e.getValue().sub(before).amaxNumber().doubleValue());
        }
        return worst;
    }
}
