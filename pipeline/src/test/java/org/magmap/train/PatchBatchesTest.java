package org.magmap.train;

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
import org.magmap.spark.PatchSchema;
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
}
