package org.magmap.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.magmap.batch.PatchBatches;
import org.magmap.model.CResNet;
import org.magmap.model.CResNetConfig;
import org.magmap.patch.PatchSchema;
import org.magmap.predict.EnsembleRunner;
import org.magmap.predict.GraphRunner;
import org.magmap.predict.MapTargets;
import org.magmap.predict.SavedModels;
import org.magmap.spark.SharedSpark;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

/** Image-to-image metrics computed on the executors equal the same metrics computed serially. */
class MapModelEvaluationTest {
    private static final MapTargets TARGETS =
            MapTargets.fromTrainingStatistics(new double[] {45, 3, 1, 2}, new double[] {20, 1, 0.5, 1});

    @Test
    void distributedMetricsEqualASerialPass() {
        SparkSession spark = SharedSpark.session();
        int size = 16;
        org.magmap.predict.ModelBytes model = dl4j(untrainedModel(size));

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
            float[][] maps = new float[6][];
            for (int c = 0; c < 6; c++) {
                maps[c] = noise(rng, size * size);
            }
            rows.add(row(i % 3 == 0 ? "run-a" : "run-b", noise(rng, size * size), size, maps, rng.nextDouble(), 0.1));
        }
        Dataset<Row> patches = spark.createDataFrame(rows, new StructType(fields.toArray(StructField[]::new)))
                .repartition(3);

        Map<String, Map<String, MapMetrics>> both = ResNetEvaluation.byColumns(
                JavaSparkContext.fromSparkContext(spark.sparkContext()),
                List.of(model),
                patches,
                TARGETS,
                5,
                List.of("simulation", "beam_fwhm_px"),
                false,
                false,
                37);
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

        // the centre half of each 16-pixel patch: the 8 x 8 pixels at least 4 from every edge
        assertEquals(
                37 * 8 * 8,
                both.get(ResNetEvaluation.CENTRE_HALF + "simulation").values().stream()
                        .mapToLong(MapMetrics::pixels)
                        .sum());

        Map<String, MapMetrics> serial = serialBySimulation(model, rows, 64);

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

    /**
     * Stripes whose crests run at angle phi have their intensity gradient at phi + 90 deg, so the VGT baseline on
     * the patch must return phi (Lazarian &amp; Yuen 2018: field = gradient + 90 deg); with the true psi set to
     * phi, its median deviation is within one 5-degree histogram bin, while the true psi set to phi + 90 gives the
     * largest deviation, and the model's own metrics are unaffected by the baseline.
     */
    @Test
    void theVgtBaselineOnPatchesReadsTheOrientationOfStripes() {
        int size = 32;
        org.magmap.predict.ModelBytes model = dl4j(untrainedModel(size));
        List<Row> rows = new ArrayList<>();
        double[] angles = {10, 55, 100, 150};
        for (double phi : angles) {
            for (String sim : List.of("aligned", "perpendicular")) {
                double psi = sim.equals("aligned") ? phi : phi + 90;
                rows.add(stripes(sim, size, phi, psi));
            }
        }
        Map<String, MapMetrics> vgt = new HashMap<>();
        Map<String, MapMetrics> modelMetrics = new HashMap<>();
        ResNetEvaluation.predict(
                        List.of(model), rows.iterator(), List.of("simulation"), TARGETS, 3, true, false, false, null)
                .forEachRemaining((Tuple2<String, MapMetrics> t) -> {
                    String[] key = t._1().split("\u0000", 2);
                    if (key[0].equals(ResNetEvaluation.VGT_ON_PATCHES + "simulation")) {
                        vgt.put(key[1], t._2());
                    } else if (key[0].equals("simulation")) {
                        modelMetrics.put(key[1], t._2());
                    }
                });
        assertEquals(4L * size * size, vgt.get("aligned").pixels());
        assertTrue(
                vgt.get("aligned").medianPsiDeviationDeg() <= 5,
                "" + vgt.get("aligned").medianPsiDeviationDeg());
        assertTrue(
                vgt.get("aligned").alignmentMeasure() > 0.98,
                "" + vgt.get("aligned").alignmentMeasure());
        assertTrue(vgt.get("perpendicular").medianPsiDeviationDeg() >= 85);
        assertTrue(vgt.get("perpendicular").alignmentMeasure() < -0.98);

        Map<String, MapMetrics> without = serialBySimulation(model, rows, 3);
        assertEquals(without.keySet(), modelMetrics.keySet());
        for (String k : without.keySet()) {
            assertEquals(without.get(k).mse(), modelMetrics.get(k).mse(), 1e-9);
        }
    }

    /**
     * On stacked patches (two maps per image) the VGT reads each patch's own first map: here the stripes along the
     * true psi, with a second map of stripes across them. Reading a plane at a one-map offset (another patch's, or
     * the second map) would put half the patches' VGT 90 deg off.
     */
    @Test
    void theVgtBaselineOnStackedPatchesReadsEachPatchsFirstMap() {
        int size = 32;
        ComputationGraph net = new ComputationGraph(
                CResNet.build(new CResNetConfig(size, 2, 3, 4, 1, 6, 2e-4, 5, CResNetConfig.Norm.BATCH, 1)));
        net.init();
        org.magmap.predict.ModelBytes model = dl4j(SavedModels.bytes(net));
        List<Row> rows = new ArrayList<>();
        for (double phi : new double[] {10, 55, 100, 150}) {
            Row along = stripes("stacked", size, phi, phi);
            float[] first = PatchSchema.floats(along.getAs(1));
            float[] across =
                    PatchSchema.floats(stripes("stacked", size, phi + 90, phi).getAs(1));
            float[] both = java.util.Arrays.copyOf(first, 2 * first.length);
            System.arraycopy(across, 0, both, first.length, across.length);
            Object[] v = new Object[along.length()];
            for (int i = 0; i < v.length; i++) {
                v[i] = along.get(i);
            }
            v[1] = PatchSchema.bytes(both);
            rows.add(RowFactory.create(v));
        }
        Map<String, MapMetrics> vgt = metricsUnder(ResNetEvaluation.VGT_ON_PATCHES, model, rows, true, false);
        assertEquals(4L * size * size, vgt.get("stacked").pixels());
        assertTrue(
                vgt.get("stacked").medianPsiDeviationDeg() <= 5,
                "" + vgt.get("stacked").medianPsiDeviationDeg());
    }

    /**
     * The mean-field reference takes each pixel's psi as the view's position angle plus the patch's rotation: a
     * patch whose uniform true psi is that sum deviates by nothing, one whose psi is the position angle minus the
     * rotation (the other sense of turning) by twice the rotation, folded into [0, 90].
     */
    @Test
    void theMeanFieldReferenceTurnsThePositionAngleWithThePatch() {
        int size = 8;
        org.magmap.predict.ModelBytes model = dl4j(untrainedModel(size));
        double positionAngle = 20;
        double rotation = 35;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rows.add(withMeanField(stripes("turned", size, 0, positionAngle + rotation), positionAngle, rotation));
            rows.add(withMeanField(stripes("mirrored", size, 0, positionAngle - rotation), positionAngle, rotation));
        }
        Map<String, MapMetrics> meanField = metricsUnder(ResNetEvaluation.MEAN_FIELD, model, rows, true, true);
        assertEquals(4L * size * size, meanField.get("turned").pixels());
        assertEquals(0, meanField.get("turned").medianPsiDeviationDeg(), 0.11); // one histogram bin
        assertEquals(2 * rotation, meanField.get("mirrored").medianPsiDeviationDeg(), 0.11);
        assertEquals(
                Math.cos(Math.toRadians(4 * rotation)),
                meanField.get("mirrored").alignmentMeasure(),
                1e-4);
    }

    /**
     * The centre half keeps the pixels at least a quarter of the side from every edge: with the true psi equal to
     * the mean-field reference there and 40 deg off it on the two outer rings of an 8-pixel patch (48 of its 64
     * pixels), the reference's centre-half median is 0 and its whole-patch median 40 deg.
     */
    @Test
    void theCentreHalfKeepsThePixelsAQuarterOfTheSideFromEveryEdge() {
        int size = 8;
        org.magmap.predict.ModelBytes model = dl4j(untrainedModel(size));
        double positionAngle = 20;
        double rotation = 10;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Row r = stripes("framed", size, 0, positionAngle + rotation);
            float[] cos = PatchSchema.floats(r.getAs(3));
            float[] sin = PatchSchema.floats(r.getAs(4));
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (Math.min(Math.min(x, y), Math.min(size - 1 - x, size - 1 - y)) < 2) {
                        double psi = Math.toRadians(positionAngle + rotation + 40);
                        cos[y * size + x] = (float) Math.cos(2 * psi);
                        sin[y * size + x] = (float) Math.sin(2 * psi);
                    }
                }
            }
            List<Object> v = new ArrayList<>();
            for (int k = 0; k < r.length(); k++) {
                v.add(k == 3 ? PatchSchema.bytes(cos) : k == 4 ? PatchSchema.bytes(sin) : r.get(k));
            }
            rows.add(withMeanField(RowFactory.create(v.toArray()), positionAngle, rotation));
        }
        Map<String, MapMetrics> byKey = new HashMap<>();
        ResNetEvaluation.predict(
                        List.of(model), rows.iterator(), List.of("simulation"), TARGETS, 2, false, true, false, null)
                .forEachRemaining(
                        (Tuple2<String, MapMetrics> t) -> byKey.put(t._1().split("\u0000", 2)[0], t._2()));
        assertEquals(
                3L * size * size,
                byKey.get(ResNetEvaluation.MEAN_FIELD + "simulation").pixels());
        assertEquals(
                3L * 4 * 4,
                byKey.get(ResNetEvaluation.CENTRE_HALF + ResNetEvaluation.MEAN_FIELD + "simulation")
                        .pixels());
        assertEquals(
                3L * 4 * 4,
                byKey.get(ResNetEvaluation.CENTRE_HALF + "simulation").pixels());
        assertEquals(40, byKey.get(ResNetEvaluation.MEAN_FIELD + "simulation").medianPsiDeviationDeg(), 0.11);
        assertEquals(
                0,
                byKey.get(ResNetEvaluation.CENTRE_HALF + ResNetEvaluation.MEAN_FIELD + "simulation")
                        .medianPsiDeviationDeg(),
                0.11);
    }

    /**
     * An ensemble's maps are the mean of its members' outputs, computed here from each network's own output; its
     * squared error is then at most the mean of theirs (the squared error is convex: Jensen's inequality), and
     * strictly less where they disagree. On the executors it scores as serially; an ensemble of one model twice
     * scores as the model alone.
     */
    @Test
    void anEnsemblePredictsTheMeanOfItsMembersMaps() {
        int size = 16;
        byte[] first = untrainedModel(size, 5);
        byte[] second = untrainedModel(size, 6);
        Random rng = new Random(12);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            float[][] maps = new float[6][];
            for (int c = 0; c < 6; c++) {
                maps[c] = noise(rng, size * size);
            }
            rows.add(row(i % 2 == 0 ? "run-a" : "run-b", noise(rng, size * size), size, maps, 1.5, 0.1));
        }

        INDArray[] features = PatchBatches.pack(rows, 1, TARGETS).getFeatures();
        ComputationGraph a = SavedModels.restoreGraph(first);
        ComputationGraph b = SavedModels.restoreGraph(second);
        INDArray byHand =
                a.output(false, features)[0].add(b.output(false, features)[0]).div(2);
        INDArray mean = new EnsembleRunner(List.of(new GraphRunner(a), new GraphRunner(b))).output(features);
        assertEquals(0, byHand.sub(mean).amaxNumber().doubleValue(), 1e-6);

        Map<String, MapMetrics> one = serialBySimulation(List.of(dl4j(first)), rows, 4);
        Map<String, MapMetrics> other = serialBySimulation(List.of(dl4j(second)), rows, 4);
        Map<String, MapMetrics> both = serialBySimulation(List.of(dl4j(first), dl4j(second)), rows, 4);
        Map<String, MapMetrics> twice = serialBySimulation(List.of(dl4j(first), dl4j(first)), rows, 4);
        for (String run : List.of("run-a", "run-b")) {
            double members = (one.get(run).mse() + other.get(run).mse()) / 2;
            assertTrue(both.get(run).mse() < members, run + ": " + both.get(run).mse() + " against " + members);
            assertEquals(
                    one.get(run).mse(),
                    twice.get(run).mse(),
                    1e-9 * one.get(run).mse());
        }

        SparkSession spark = SharedSpark.session();
        List<StructField> fields = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of("simulation"));
        names.addAll(PatchBatches.imageToImageColumns());
        for (String n : names) {
            fields.add(DataTypes.createStructField(n, columnType(n), true));
        }
        Dataset<Row> patches = spark.createDataFrame(rows, new StructType(fields.toArray(StructField[]::new)))
                .repartition(2);
        Map<String, MapMetrics> distributed = ResNetEvaluation.byColumns(
                        JavaSparkContext.fromSparkContext(spark.sparkContext()),
                        List.of(dl4j(first), dl4j(second)),
                        patches,
                        TARGETS,
                        4,
                        List.of("simulation"),
                        false,
                        false,
                        9)
                .get("simulation");
        for (String run : List.of("run-a", "run-b")) {
            assertEquals(
                    both.get(run).mse(),
                    distributed.get(run).mse(),
                    1e-6 * both.get(run).mse());
        }
    }

    /** The Spark type of a column of "simulation" then {@link PatchBatches#imageToImageColumns}. */
    private static org.apache.spark.sql.types.DataType columnType(String name) {
        return name.equals("simulation")
                ? DataTypes.StringType
                : name.equals("size")
                        ? DataTypes.IntegerType
                        : name.equals("image") || name.startsWith("t_") ? DataTypes.BinaryType : DataTypes.DoubleType;
    }

    /** The metrics per simulation under one pseudo-column prefix (the VGT's, the mean field's, or "" for the model). */
    private static Map<String, MapMetrics> metricsUnder(
            String prefix, org.magmap.predict.ModelBytes model, List<Row> rows, boolean vgt, boolean meanField) {
        Map<String, MapMetrics> out = new HashMap<>();
        ResNetEvaluation.predict(
                        List.of(model), rows.iterator(), List.of("simulation"), TARGETS, 3, vgt, meanField, false, null)
                .forEachRemaining((Tuple2<String, MapMetrics> t) -> {
                    String[] key = t._1().split("\u0000", 2);
                    if (key[0].equals(prefix + "simulation")) {
                        out.put(key[1], t._2());
                    }
                });
        return out;
    }

    /** A small untrained ResNet for {@code size}-pixel patches, as the bytes of its saved zip. */
    private static byte[] untrainedModel(int size) {
        return untrainedModel(size, 5);
    }

    /** The same with its weights drawn from {@code seed}. */
    private static byte[] untrainedModel(int size, long seed) {
        ComputationGraph net = new ComputationGraph(
                CResNet.build(new CResNetConfig(size, 1, 3, 4, 1, 6, 2e-4, seed, CResNetConfig.Norm.BATCH, 1)));
        net.init();
        return SavedModels.bytes(net);
    }

    /** The row with the mean-field columns (position angle, rotation) appended. */
    private static Row withMeanField(Row row, double positionAngleDeg, double rotationDeg) {
        List<Object> v = new ArrayList<>();
        for (int i = 0; i < row.length(); i++) {
            v.add(row.get(i));
        }
        v.add(positionAngleDeg);
        v.add(rotationDeg);
        return RowFactory.create(v.toArray());
    }

    /** The model's metrics per simulation from the executor-side loop run serially here, without the VGT. */
    private static Map<String, MapMetrics> serialBySimulation(
            org.magmap.predict.ModelBytes model, List<Row> rows, int batch) {
        return serialBySimulation(List.of(model), rows, batch);
    }

    /** The same for an ensemble. */
    private static Map<String, MapMetrics> serialBySimulation(
            List<org.magmap.predict.ModelBytes> models, List<Row> rows, int batch) {
        Map<String, MapMetrics> out = new HashMap<>();
        ResNetEvaluation.predict(
                        models, rows.iterator(), List.of("simulation"), TARGETS, batch, false, false, false, null)
                .forEachRemaining((Tuple2<String, MapMetrics> t) -> {
                    String[] key = t._1().split("\u0000", 2);
                    if (key[0].equals("simulation")) {
                        out.put(key[1], t._2());
                    }
                });
        return out;
    }

    /** A patch row of sinusoidal stripes with crests along {@code phiDeg}, and a uniform true psi. */
    private static Row stripes(String simulation, int size, double phiDeg, double psiDeg) {
        double phi = Math.toRadians(phiDeg);
        // the wave vector is perpendicular to the crests
        double kx = -Math.sin(phi) * 2 * Math.PI / 8;
        double ky = Math.cos(phi) * 2 * Math.PI / 8;
        float[] image = new float[size * size];
        for (int j = 0; j < size; j++) {
            for (int i = 0; i < size; i++) {
                image[j * size + i] = (float) Math.sin(kx * i + ky * j);
            }
        }
        double psi = Math.toRadians(psiDeg);
        float[][] maps = {
            uniform(size, Math.cos(2 * psi)),
            uniform(size, Math.sin(2 * psi)),
            uniform(size, 40),
            uniform(size, 3),
            uniform(size, 1),
            uniform(size, 2)
        };
        return row(simulation, image, size, maps, 0.0, 0.0);
    }

    /**
     * A row of "simulation" then {@link PatchBatches#imageToImageColumns}: image, size, the six target maps, and
     * the conditions (channel width 2 km/s, beam, noise ratio).
     */
    private static Row row(String simulation, float[] image, int size, float[][] maps, double beam, double noise) {
        List<Object> v = new ArrayList<>();
        v.add(simulation);
        v.add(PatchSchema.bytes(image));
        v.add(size);
        for (float[] m : maps) {
            v.add(PatchSchema.bytes(m));
        }
        v.add(2.0);
        v.add(beam);
        v.add(noise);
        return RowFactory.create(v.toArray());
    }

    private static float[] uniform(int size, double value) {
        float[] out = new float[size * size];
        java.util.Arrays.fill(out, (float) value);
        return out;
    }

    private static float[] noise(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    private static org.magmap.predict.ModelBytes dl4j(byte[] savedZip) {
        return new org.magmap.predict.ModelBytes(org.magmap.predict.Engine.DL4J, true, savedZip);
    }
}
