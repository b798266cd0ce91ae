package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.evaluate.CnnEvaluation;
import org.magmap.evaluate.RegressionSums;
import org.magmap.plot.Figures;

/**
 * The real evaluate entry point on a model the real train job made from patches the real upstream jobs made:
 * its tables against second computations (Spark SQL for the equipartition baseline, {@link ModelEvaluation}'s
 * separate prediction path for the CNN), and its figures read back as images.
 */
class EvaluateIT {
    @TempDir
    Path dir;

    private int run(String job, String... confs) {
        return JobRuns.run(dir, job, confs);
    }

    @Test
    void reportsTheCnnAndTheEquipartitionBaselineWithFigures() throws Exception {
        JobRuns.smallObservedSuite(dir, "[90, 30]");
        assertEquals(
                0,
                run(
                        "make-patches",
                        "magmap.make-patches.patches-per-map=40",
                        "magmap.make-patches.noise-ratios=[0, 0.2]",
                        "magmap.make-patches.target-maps=false"));
        assertEquals(
                0,
                run(
                        "train",
                        "magmap.train.cnn.block-channels=[4, 8, 8]",
                        "magmap.train.cnn.dense-units=16",
                        "magmap.train.cnn.head=global-average", // the other head, end to end (TrainIT: flatten)
                        "magmap.train.max-train-patches=200",
                        "magmap.train.epochs=2"));
        assertEquals(0, run("evaluate"));

        Path out = dir.resolve("evaluate");
        List<String> table = Files.readAllLines(out.resolve("mse-per-simulation.csv"));
        assertEquals("split,simulation," + org.magmap.evaluate.CnnTables.TABLE_COLUMNS, table.get(0));
        // test: the unseen run's two snapshots; validation: snapshot 1 of the two other runs
        assertEquals(1 + 2 + 2, table.size(), String.join("\n", table));
        List<String> header = List.of(table.get(0).split(","));
        Map<String, String[]> rows = new HashMap<>();
        for (String line : table.subList(1, table.size())) {
            String[] v = line.split(",", -1);
            assertEquals(header.size(), v.length, "as many values as the header names: " + line);
            rows.put(v[0] + "/" + v[1], v);
        }
        List<String> views = Files.readAllLines(out.resolve("metrics-per-view.csv"));
        assertEquals(1 + 2 * 2, views.size(), "two splits x two views: " + views);

        // train's model.onnx, opened by ONNX Runtime alone: it carries card.json and computes what model.zip does.
        try (ai.onnxruntime.OrtSession onnx = ai.onnxruntime.OrtEnvironment.getEnvironment()
                .createSession(dir.resolve("train/model.onnx").toString())) {
            assertEquals(
                    new ObjectMapper().readTree(dir.resolve("train/card.json").toFile()),
                    new ObjectMapper()
                            .readTree(onnx.getMetadata().getCustomMetadata().get("magmap.model-card")));
            int size = new ObjectMapper()
                    .readTree(dir.resolve("train/card.json").toFile())
                    .get("patch-size")
                    .asInt();
            org.nd4j.linalg.api.ndarray.INDArray x =
                    org.nd4j.linalg.factory.Nd4j.randn(org.nd4j.linalg.api.buffer.DataType.FLOAT, 8, 1, size, size);
            float[] want = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(
                            dir.resolve("train/model.zip").toFile(), false)
                    .output(x, false)
                    .data()
                    .asFloat();
            try (var in = ai.onnxruntime.OnnxTensor.createTensor(
                            ai.onnxruntime.OrtEnvironment.getEnvironment(),
                            java.nio.FloatBuffer.wrap(x.data().asFloat()),
                            x.shape());
                    var result = onnx.run(Map.of("image", in))) {
                float[][] got = (float[][]) result.get(0).getValue();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i][0], 1e-4 * Math.max(1, Math.abs(want[i])), "patch " + i);
                }
            }
        }

        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            Dataset<Row> patches =
                    spark.read().parquet(dir.resolve("patches/patches").toString());
            // Equipartition MSE per simulation straight from the Parquet columns, in SQL.
            for (Row r : patches.filter("split in ('test', 'validation')")
                    .groupBy("split", "simulation")
                    .agg(
                            org.apache.spark.sql.functions.expr("avg(pow(b_eq_ug - b_ug, 2))"),
                            org.apache.spark.sql.functions.count("b_eq_ug"))
                    .collectAsList()) {
                String[] v = rows.get(r.getString(0) + "/" + r.getString(1));
                double expected = r.getDouble(2);
                assertEquals(r.getLong(3), Long.parseLong(v[header.indexOf("equipartition_patches")]));
                assertEquals(
                        expected,
                        Double.parseDouble(v[header.indexOf("equipartition_mse")]),
                        1e-5 * expected,
                        "equipartition MSE of " + r.getString(1));
            }
            // The CNN's MSE through CnnEvaluation's own prediction loop on DL4J (the train job's path), while the
            // job ran ONNX Runtime (engine auto on a CPU build).
            org.magmap.predict.ModelBytes model = new org.magmap.predict.ModelBytes(
                    org.magmap.predict.Engine.DL4J, false, Files.readAllBytes(dir.resolve("train/model.zip")));
            double mean = new ObjectMapper()
                    .readTree(dir.resolve("train/card.json").toFile())
                    .get("target")
                    .get("training-mean")
                    .asDouble();
            Map<String, RegressionSums> cnn = CnnEvaluation.perSimulation(
                    JavaSparkContext.fromSparkContext(spark.sparkContext()),
                    model,
                    patches.filter("split = 'test'"),
                    "b_ug",
                    mean,
                    64);
            cnn.forEach((sim, sums) -> {
                String[] v = rows.get("test/" + sim);
                assertEquals(sums.n(), Long.parseLong(v[header.indexOf("patches")]));
                assertEquals(
                        sums.mse(),
                        Double.parseDouble(v[header.indexOf("mse")]),
                        1e-5 * sums.mse(),
                        "CNN MSE of " + sim);
            });
        } finally {
            spark.stop();
        }

        JsonNode json =
                new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        JsonNode byView = json.get("test").get("by-inclination_deg");
        assertEquals(2, byView.size(), "views 90 and 30 deg");
        assertTrue(byView.get("30.0").get("equipartition").get("patches").asLong() > 0);
        assertEquals(2, json.get("test").get("by-noise_ratio").size(), "noise 0 and 0.2");
        // The test split holds only the unseen run: its maps were never trained on, so the pooled group is the split.
        JsonNode unseen = json.get("test").get("by-" + org.magmap.evaluate.CnnTables.TRAINED_MAP);
        assertEquals(List.of("false"), JobRuns.fieldNames(unseen));
        assertEquals(
                json.get("test").get("all").get("patches").asLong(),
                unseen.get("false").get("patches").asLong());
        assertEquals(
                json.get("test").get("all").get("mse").asDouble(),
                unseen.get("false").get("mse").asDouble(),
                1e-12);
        // and the train split is all trained maps
        assertEquals(0, run("evaluate", "magmap.evaluate.splits=[train]", "magmap.evaluate.output-dir=evaluate-train"));
        JsonNode train = new ObjectMapper()
                .readTree(dir.resolve("evaluate-train/evaluation.json").toFile())
                .get("train");
        assertEquals(List.of("true"), JobRuns.fieldNames(train.get("by-" + org.magmap.evaluate.CnnTables.TRAINED_MAP)));
        assertEquals(
                train.get("all").get("patches").asLong(),
                train.get("by-" + org.magmap.evaluate.CnnTables.TRAINED_MAP)
                        .get("true")
                        .get("patches")
                        .asLong());

        for (String figure : List.of(
                "training-curves.png",
                "deviations-test.png",
                "deviations-validation.png",
                "predicted-vs-true-test.png")) {
            BufferedImage im =
                    ImageIO.read(out.resolve("figures").resolve(figure).toFile());
            assertTrue(im != null, figure + " is a PNG");
            assertEquals(Figures.PANEL_HEIGHT, im.getHeight(), figure);
        }
        assertEquals(
                3 * Figures.PANEL_WIDTH,
                ImageIO.read(out.resolve("figures/deviations-test.png").toFile())
                        .getWidth(),
                "CNN by view, CNN by noise, equipartition by view");
    }
}
