package org.magmap.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.magmap.patch.Dihedral;
import org.magmap.patch.PatchSchema;
import org.magmap.predict.MapTargets;
import org.magmap.spark.SharedSpark;
import org.nd4j.linalg.dataset.DataSet;

class PatchBatchesTest {
    private static final int SIZE = 4;
    private static final int ROWS = 80;

    /** Row i: pixel j holds 1000 i + j (no symmetry of its own), label i. */
    private static float[] image(int i) {
        float[] f = new float[SIZE * SIZE];
        for (int j = 0; j < f.length; j++) {
            f[j] = 1000 * i + j;
        }
        return f;
    }

    private static Dataset<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowFactory.create(PatchSchema.bytes(image(i)), (double) i, SIZE));
        }
        StructType schema = new StructType()
                .add("image", DataTypes.BinaryType)
                .add("b_ug", DataTypes.DoubleType)
                .add("size", DataTypes.IntegerType);
        return SharedSpark.session().createDataFrame(rows, schema).repartition(3);
    }

    /** Every (image, label) pair of the batches, as "label:pixels". */
    private static List<String> pairs(List<DataSet> batches) {
        List<String> out = new ArrayList<>();
        for (DataSet d : batches) {
            for (int r = 0; r < d.numExamples(); r++) {
                float[] pixels = d.getFeatures().slice(r).dup().data().asFloat();
                out.add((int) d.getLabels().getDouble(r, 0) + ":" + Arrays.toString(pixels));
            }
        }
        return out;
    }

    @Test
    void dihedralBatchesHoldEachRowOnceUnderOneOfItsSymmetriesWithItsLabel() {
        Dataset<Row> rows = rows().cache();
        List<String> plain = pairs(PatchBatches.scalarTarget(rows, "b_ug", 8).collect());
        List<String> first =
                pairs(PatchBatches.scalarTargetDihedral(rows, "b_ug", 8, 11).collect());
        List<String> again =
                pairs(PatchBatches.scalarTargetDihedral(rows, "b_ug", 8, 11).collect());
        List<String> other =
                pairs(PatchBatches.scalarTargetDihedral(rows, "b_ug", 8, 12).collect());
        assertEquals(ROWS, plain.size());
        assertEquals(first, again, "the same seed gives the same batches");
        assertNotEquals(first, other, "another epoch's seed draws other symmetries");
        Set<Integer> labels = new HashSet<>();
        Set<Integer> elementsSeen = new HashSet<>();
        for (String pair : first) {
            int label = Integer.parseInt(pair.substring(0, pair.indexOf(':')));
            labels.add(label);
            int element = -1;
            for (int k = 0; k < Dihedral.ORDER && element < 0; k++) {
                String expected = label + ":" + Arrays.toString(Dihedral.apply(image(label), SIZE, k));
                if (expected.equals(pair)) {
                    element = k;
                }
            }
            assertTrue(element >= 0, "row " + label + " is its own image under a symmetry, with its own label");
            elementsSeen.add(element);
        }
        assertEquals(ROWS, labels.size(), "every row exactly once");
        // 80 uniform draws from 8 miss an element with probability below 8 (7/8)^80 = 2e-4 (and the seed is fixed)
        assertEquals(Dihedral.ORDER, elementsSeen.size(), "all eight symmetries are drawn");
        rows.unpersist();
    }

    /**
     * Image-to-image rows: row i's image is {@link #image}, its target maps come from a random plane-of-sky field
     * (bx, by): psi as (cos 2psi, sin 2psi), and four scalar maps that are pixel indices plus the channel.
     */
    private static Dataset<Row> mapRows(float[][] bx, float[][] by) {
        List<Row> rows = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < bx.length; i++) {
            List<Object> v = new ArrayList<>();
            v.add(PatchSchema.bytes(image(i)));
            v.add(SIZE);
            float[] cos2 = new float[SIZE * SIZE];
            float[] sin2 = new float[SIZE * SIZE];
            bx[i] = new float[SIZE * SIZE];
            by[i] = new float[SIZE * SIZE];
            for (int p = 0; p < cos2.length; p++) {
                bx[i][p] = (float) random.nextDouble(-1, 1);
                by[i][p] = (float) random.nextDouble(-1, 1);
                double psi = Math.atan2(by[i][p], bx[i][p]);
                cos2[p] = (float) Math.cos(2 * psi);
                sin2[p] = (float) Math.sin(2 * psi);
            }
            v.add(PatchSchema.bytes(cos2));
            v.add(PatchSchema.bytes(sin2));
            for (int c = 2; c < MapTargets.COLUMNS.size(); c++) {
                float[] scalar = new float[SIZE * SIZE];
                for (int p = 0; p < scalar.length; p++) {
                    scalar[p] = 100 * c + p;
                }
                v.add(PatchSchema.bytes(scalar));
            }
            v.add(2.0);
            v.add(1.5);
            v.add((double) i); // the noise condition names the row
            rows.add(RowFactory.create(v.toArray()));
        }
        StructType schema = new StructType().add("image", DataTypes.BinaryType).add("size", DataTypes.IntegerType);
        for (String c : MapTargets.COLUMNS) {
            schema = schema.add(c, DataTypes.BinaryType);
        }
        for (String c : Conditions.COLUMNS) {
            schema = schema.add(c, DataTypes.DoubleType);
        }
        return SharedSpark.session().createDataFrame(rows, schema).repartition(3);
    }

    /**
     * Each patch's image and target maps move under the same symmetry, and psi turns as the field vector does: the
     * expected double angles are computed from (bx, by) moved and mapped geometrically (a mirror of x negates bx,
     * of y negates by, a transpose swaps them), not from the class's sign rule.
     */
    @Test
    void dihedralMapBatchesMoveTargetsWithTheImageAndTurnPsiAsTheField() {
        int n = 40;
        float[][] bx = new float[n][];
        float[][] by = new float[n][];
        Dataset<Row> rows = mapRows(bx, by).cache();
        MapTargets targets = MapTargets.fromTrainingStatistics(new double[] {0, 0, 0, 0}, new double[] {1, 1, 1, 1});
        List<org.nd4j.linalg.dataset.api.MultiDataSet> batches =
                PatchBatches.imageToImageDihedral(rows, targets, 6, 5).collect();
        int pixels = SIZE * SIZE;
        Set<Integer> seen = new HashSet<>();
        Set<Integer> elementsSeen = new HashSet<>();
        for (org.nd4j.linalg.dataset.api.MultiDataSet b : batches) {
            for (int r = 0; r < b.getFeatures(0).size(0); r++) {
                int row = (int) b.getFeatures(1).getDouble(r, 2);
                assertTrue(seen.add(row), "row " + row + " once");
                float[] image = b.getFeatures(0).slice(r).dup().data().asFloat();
                int element = -1;
                for (int k = 0; k < Dihedral.ORDER && element < 0; k++) {
                    if (Arrays.equals(Dihedral.apply(image(row), SIZE, k), image)) {
                        element = k;
                    }
                }
                assertTrue(element >= 0, "row " + row + "'s image is under one symmetry");
                elementsSeen.add(element);
                float[] labels = b.getLabels(0).slice(r).dup().data().asFloat();
                float[] movedX = Dihedral.apply(bx[row], SIZE, element);
                float[] movedY = Dihedral.apply(by[row], SIZE, element);
                for (int p = 0; p < pixels; p++) {
                    float vx = (element & 1) != 0 ? -movedX[p] : movedX[p];
                    float vy = (element & 2) != 0 ? -movedY[p] : movedY[p];
                    if ((element & 4) != 0) {
                        float t = vx;
                        vx = vy;
                        vy = t;
                    }
                    double psi = Math.atan2(vy, vx);
                    assertEquals(Math.cos(2 * psi), labels[p], 1e-5, "cos 2psi, row " + row + " pixel " + p);
                    assertEquals(Math.sin(2 * psi), labels[pixels + p], 1e-5, "sin 2psi, row " + row + " pixel " + p);
                }
                for (int c = 2; c < MapTargets.COLUMNS.size(); c++) {
                    float[] scalar = new float[pixels];
                    for (int p = 0; p < pixels; p++) {
                        scalar[p] = 100 * c + p;
                    }
                    float[] expected = Dihedral.apply(scalar, SIZE, element);
                    float[] actual = Arrays.copyOfRange(labels, c * pixels, (c + 1) * pixels);
                    assertTrue(
                            Arrays.equals(expected, actual), "map " + c + " of row " + row + " moves with the image");
                }
            }
        }
        assertEquals(n, seen.size(), "every row");
        assertTrue(elementsSeen.size() >= 6, "the symmetries vary: " + elementsSeen);
        List<org.nd4j.linalg.dataset.api.MultiDataSet> plain =
                PatchBatches.imageToImage(rows, targets, 6).collect();
        for (org.nd4j.linalg.dataset.api.MultiDataSet b : plain) {
            for (int r = 0; r < b.getFeatures(0).size(0); r++) {
                int row = (int) b.getFeatures(1).getDouble(r, 2);
                assertTrue(Arrays.equals(
                        image(row), b.getFeatures(0).slice(r).dup().data().asFloat()));
            }
        }
        rows.unpersist();
    }
}
