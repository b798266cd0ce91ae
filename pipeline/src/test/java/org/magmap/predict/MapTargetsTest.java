package org.magmap.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.magmap.batch.PatchBatches;
import org.magmap.patch.PatchSchema;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class MapTargetsTest {
    private static final MapTargets TARGETS = MapTargets.fromTrainingStatistics(
            // gamma, B, M_A, M_s: means and standard deviations of the training patches
            new double[] {45, 3, 1.2, 4}, new double[] {20, 1.5, 0.5, 0});

    @Test
    void scalesGammaBAndMachNumbersButNotTheDoubleAngle() {
        assertEquals(0.5f, TARGETS.normalise(0, 0.5), 0f);
        assertEquals(-0.25f, TARGETS.normalise(1, -0.25), 0f);
        assertEquals((60 - 45) / 20.0, TARGETS.normalise(2, 60), 1e-6);
        assertEquals((6 - 3) / 1.5, TARGETS.normalise(3, 6), 1e-6);
        // a zero spread (one simulation) falls back to the mean's size: (8 - 4) / 4
        assertEquals(1.0, TARGETS.normalise(5, 8), 1e-6);
        for (int c = 0; c < 6; c++) {
            assertEquals(2.5, TARGETS.physical(c, TARGETS.normalise(c, 2.5)), 1e-6);
        }
    }

    @Test
    void psiComesBackFromTheDoubleAngle() {
        for (double psi : new double[] {-89, -30, 0, 10, 45, 89.5}) {
            double r = Math.toRadians(2 * psi);
            assertEquals(psi, MapTargets.psiDeg(Math.cos(r), Math.sin(r)), 1e-9);
            // any common scale of the pair (an untrained network's output) gives the same angle
            assertEquals(psi, MapTargets.psiDeg(0.3 * Math.cos(r), 0.3 * Math.sin(r)), 1e-9);
        }
    }

    @Test
    void batchesCarryImageConditionsAndScaledMaps() {
        int size = 4;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(row(size, i, i == 1 ? Double.NaN : 2.0, 0.5 * i, 0.1 * i));
        }
        MultiDataSet batch = PatchBatches.pack(rows, TARGETS);
        assertArrayEquals(new long[] {3, 1, size, size}, batch.getFeatures(0).shape());
        assertArrayEquals(new long[] {3, 3}, batch.getFeatures(1).shape());
        assertArrayEquals(new long[] {3, 6, size, size}, batch.getLabels(0).shape());
        // image pixel (y=1, x=2) of row 2 is 2 * 100 + 1 * 4 + 2
        assertEquals(206, batch.getFeatures(0).getDouble(2, 0, 1, 2), 0);
        // conditions: channel width (NaN for a synchrotron patch -> 0), beam, noise
        assertArrayEquals(
                new double[] {0, 0.5, 0.1}, batch.getFeatures(1).getRow(1).toDoubleVector(), 1e-6);
        // target map c of row i holds the constant 10 c + i, scaled per channel
        for (int c = 0; c < 6; c++) {
            assertEquals(TARGETS.normalise(c, 10 * c + 2), batch.getLabels(0).getDouble(2, c, 3, 0), 1e-5);
        }
    }

    /** A stacked patch's planes become input channels, in order; a batch mixing one-map and stacked rows is refused. */
    @Test
    void aStackedPatchGivesOneInputChannelPerMap() {
        int size = 4;
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            rows.add(stacked(row(size, i, 2.0, 0, 0), size));
        }
        MultiDataSet batch = PatchBatches.pack(rows, TARGETS);
        assertArrayEquals(new long[] {2, 2, size, size}, batch.getFeatures(0).shape());
        // plane 0 is the row's image (100 i + p), plane 1 its negation
        assertEquals(106, batch.getFeatures(0).getDouble(1, 0, 1, 2), 0);
        assertEquals(-106, batch.getFeatures(0).getDouble(1, 1, 1, 2), 0);
        List<Row> mixed = List.of(rows.get(0), row(size, 1, 2.0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> PatchBatches.pack(mixed, TARGETS));
    }

    /** The row with a second plane, the negated image, after its own. */
    private static Row stacked(Row one, int size) {
        float[] image = PatchSchema.floats(one.getAs(0));
        float[] two = java.util.Arrays.copyOf(image, 2 * image.length);
        for (int p = 0; p < image.length; p++) {
            two[image.length + p] = -image[p];
        }
        Object[] values = new Object[one.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = one.get(i);
        }
        values[0] = PatchSchema.bytes(two);
        return RowFactory.create(values);
    }

    @Test
    void rowsWithoutTargetMapsAreRefusedWithAFix() {
        Row full = row(4, 0, 2, 0, 0);
        Object[] values = new Object[full.length()];
        for (int i = 0; i < values.length; i++) {
            values[i] = full.get(i);
        }
        values[2] = null;
        var e = assertThrows(
                IllegalArgumentException.class, () -> PatchBatches.pack(List.of(RowFactory.create(values)), TARGETS));
        assertEquals(true, e.getMessage().contains("target-maps = true"), e.getMessage());
    }

    /** A row in {@link PatchBatches#imageToImageColumns()} order. */
    private static Row row(int size, int i, double channelWidth, double beam, double noise) {
        float[] image = new float[size * size];
        for (int p = 0; p < image.length; p++) {
            image[p] = 100 * i + p;
        }
        List<Object> values = new ArrayList<>(List.of(PatchSchema.bytes(image), size));
        for (int c = 0; c < 6; c++) {
            float[] map = new float[size * size];
            java.util.Arrays.fill(map, 10 * c + i);
            values.add(PatchSchema.bytes(map));
        }
        values.add(channelWidth);
        values.add(beam);
        values.add(noise);
        return RowFactory.create(values.toArray());
    }
}
