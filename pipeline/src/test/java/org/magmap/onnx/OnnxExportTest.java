package org.magmap.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.magmap.model.CResNet;
import org.magmap.model.CResNetConfig;
import org.magmap.model.Cnn;
import org.magmap.predict.OnnxRunner;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exported ONNX models, run by ONNX Runtime (a second implementation of every operator), give Deeplearning4j's
 * outputs to 1e-4, for networks whose parameters and running statistics are all away from their initial values.
 */
class OnnxExportTest {
    @ParameterizedTest
    @EnumSource(Cnn.Head.class)
    void theCnnRunsTheSameInOnnxRuntime(Cnn.Head head) {
        Cnn.Config c = new Cnn.Config(32, List.of(8, 16, 16), 24, head, 1e-3, 0.5, 0.999, 7);
        MultiLayerNetwork net = new MultiLayerNetwork(Cnn.build(c, 2.0));
        net.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 1, 32, 32).muli(3);
        for (int i = 0; i < 3; i++) {
            net.fit(new DataSet(x, Nd4j.rand(DataType.FLOAT, 16, 1)));
        }
        perturbRunningStatistics(net);
        byte[] onnx = OnnxExport.export(net, List.of(new long[] {1, 32, 32}), Map.of("target", "b_ug"));
        INDArray test = Nd4j.randn(DataType.FLOAT, 9, 1, 32, 32);
        assertClose(net.output(test, false), OnnxRunner.open(onnx, 1).output(new INDArray[] {test}));
    }

    @ParameterizedTest
    @EnumSource(CResNetConfig.Norm.class)
    void theConditionalResNetRunsTheSameInOnnxRuntime(CResNetConfig.Norm norm) {
        CResNetConfig cfg = new CResNetConfig(16, 1, 3, 4, 2, 6, 1e-3, 11, norm, 1);
        ComputationGraph net = new ComputationGraph(CResNet.build(cfg));
        net.init();
        INDArray image = Nd4j.rand(DataType.FLOAT, 8, 1, 16, 16);
        INDArray condition = Nd4j.rand(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 3; i++) {
            net.fit(new MultiDataSet(
                    new INDArray[] {image, condition}, new INDArray[] {Nd4j.rand(DataType.FLOAT, 8, 6, 16, 16)}));
        }
        perturbRunningStatistics(net);
        byte[] onnx = OnnxExport.export(net, List.of(new long[] {1, 16, 16}, new long[] {3}), Map.of());
        INDArray[] test = {Nd4j.randn(DataType.FLOAT, 5, 1, 16, 16), Nd4j.rand(DataType.FLOAT, 5, 3)};
        assertClose(net.output(false, test)[0], OnnxRunner.open(onnx, 2).output(test));
    }

    @Test
    void theModelCarriesItsMetadataAndNames() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(Cnn.build(Cnn.Config.paper(1)));
        net.init();
        byte[] onnx = OnnxExport.export(net, List.of(new long[] {1, 32, 32}), Map.of("magmap.card", "{\"x\":1}"));
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(onnx)) {
            assertEquals(List.of(OnnxExport.IMAGE), List.copyOf(s.getInputNames()));
            assertEquals(List.of(OnnxExport.OUTPUT), List.copyOf(s.getOutputNames()));
            assertEquals("{\"x\":1}", s.getMetadata().getCustomMetadata().get("magmap.card"));
            assertEquals("magmap", s.getMetadata().getProducerName());
        }
    }

    /** Running means and variances far from 0 and 1, so a mix-up of the two (or of log10 std) shows. */
    private static void perturbRunningStatistics(Model net) {
        Nd4j.getRandom().setSeed(3);
        net.paramTable().forEach((key, value) -> {
            if (key.endsWith("mean")) {
                value.assign(Nd4j.randn(value.dataType(), value.shape()).muli(0.5));
            } else if (key.endsWith("log10stdev")) {
                value.assign(Nd4j.rand(value.dataType(), value.shape()).subi(0.5));
            } else if (key.endsWith("var")) {
                value.assign(Nd4j.rand(value.dataType(), value.shape()).addi(0.3));
            }
        });
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()));
        float[] e = expected.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] a = actual.castTo(DataType.FLOAT).dup('c').data().asFloat();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            worst = Math.max(worst, Math.abs(e[i] - a[i]) / Math.max(1, Math.abs(e[i])));
        }
        assertTrue(worst < 1e-4, "largest difference " + worst);
    }
}
