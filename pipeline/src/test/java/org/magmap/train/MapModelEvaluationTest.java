package org.magmap.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.magmap.evaluate.MapMetrics;
import org.magmap.model.CResNet;
import org.magmap.model.CResNetConfig;
import org.magmap.spark.PatchSchema;
import org.magmap.spark.SharedSpark;
import scala.Tuple2;

/** Image-to-image metrics computed on the executors equal the same metrics computed serially. */
class MapModelEvaluationTest {
    private static final MapTargets TARGETS =
            MapTargets.fromTrainingStatistics(new double[] {45, 3, 1, 2}, new double[] {20, 1, 0.5, 1});

    @Test
    void distributedMetricsEqualASerialPass() {
        SparkSession spark = SharedSpark.session();
        int size = 16;
        ComputationGraph net = new ComputationGraph(CResNet.build(new CResNetConfig(size, 1, 3, 4, 1, 6, 2e-4, 5)));
        net.init();
        byte[] model = ModelEvaluation.bytes(net);

        List<String> names = new ArrayList<>(List.of("simulation"));
        names.addAll(PatchBatches.imageToImageColumns());
        List<StructField> fields = new ArrayList<>();
        for (String n : names) {
            fields.add(DataTypes.createStructField(
                    n,
                    n.equals("simulation")
                            ? DataTypes.StringType
                            : n.equals("size")
                                    ? DataTypes.IntegerType
                                    : n.equals("image") || n.startsWith("t_")
                                            ? DataTypes.BinaryType
                                            : DataTypes.DoubleType,
                    true));
        }
        Random rng = new Random(11);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 37; i++) { // not a multiple of the batch: the last batch of a partition is partial
            List<Object> v = new ArrayList<>();
            v.add(i % 3 == 0 ? "run-a" : "run-b");
            v.add(PatchSchema.bytes(noise(rng, size * size)));
            v.add(size);
            for (int c = 0; c < 6; c++) {
                v.add(PatchSchema.bytes(noise(rng, size * size)));
            }
            v.add(2.0);
            v.add(rng.nextDouble());
            v.add(0.1);
            rows.add(RowFactory.create(v.toArray()));
        }
        Dataset<Row> patches = spark.createDataFrame(rows, new StructType(fields.toArray(StructField[]::new)))
                .repartition(3);

        Map<String, Map<String, MapMetrics>> both = MapModelEvaluation.byColumns(
                JavaSparkContext.fromSparkContext(spark.sparkContext()),
                model,
                patches,
                TARGETS,
                5,
                List.of("simulation", "beam_fwhm_px"));
        Map<String, MapMetrics> distributed = both.get("simulation");
        // every patch counted once under each grouping: 37 patches of 16 x 16 pixels
        assertEquals(
                37 * 16 * 16,
                both.get("simulation").values().stream()
                        .mapToLong(MapMetrics::pixels)
                        .sum());
        assertEquals(
                37 * 16 * 16,
                both.get("beam_fwhm_px").values().stream()
                        .mapToLong(MapMetrics::pixels)
                        .sum());

        Map<String, MapMetrics> serial = new HashMap<>();
        MapModelEvaluation.predict(model, rows.iterator(), List.of("simulation"), TARGETS, 64)
                .forEachRemaining(
                        (Tuple2<String, MapMetrics> t) -> serial.put(t._1().split("\u0000", 2)[1], t._2()));

        assertEquals(serial.keySet(), distributed.keySet());
        for (String k : serial.keySet()) {
            MapMetrics s = serial.get(k);
            MapMetrics d = distributed.get(k);
            assertEquals(s.pixels(), d.pixels());
            assertEquals(s.mse(), d.mse(), 1e-6 * s.mse());
            assertEquals(s.meanPsnr(), d.meanPsnr(), 1e-6);
            assertEquals(s.alignmentMeasure(), d.alignmentMeasure(), 1e-6);
            assertEquals(s.medianPsiDeviationDeg(), d.medianPsiDeviationDeg(), 0.11); // one bin
        }
    }

    private static float[] noise(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
