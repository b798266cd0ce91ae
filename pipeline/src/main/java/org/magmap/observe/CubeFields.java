package org.magmap.observe;

import java.io.IOException;
import org.magmap.sim.CubeMeta;
import org.magmap.sim.CubeReader;
import org.magmap.sim.Field;
import org.magmap.sim.GridShape;

/**
 * The fields of one cube held in memory for projection (a rotated line of sight can cross the whole box, so a
 * view needs random access to every cell): density, velocity, magnetic field and, if present, temperature.
 * About 28-32 bytes per cell: 4.3 GiB at 512^3, 540 MiB at 256^3.
 */
public final class CubeFields {
    final CubeMeta meta;
    final GridShape shape;
    final float[] density;
    final float[][] velocity;
    final float[][] magnetic;
    final float[] temperature;

    public CubeFields(CubeMeta meta, float[] density, float[][] velocity, float[][] magnetic, float[] temperature) {
        this.meta = meta;
        this.shape = meta.shape();
        this.density = density;
        this.velocity = velocity;
        this.magnetic = magnetic;
        this.temperature = temperature;
        long cells = shape.cells();
        check(density, cells, "density");
        for (int c = 0; c < 3; c++) {
            check(velocity[c], cells, "velocity");
            check(magnetic[c], cells, "magnetic field");
        }
        if (temperature != null) {
            check(temperature, cells, "temperature");
        }
    }

    private static void check(float[] a, long cells, String what) {
        if (a == null || a.length != cells) {
            throw new IllegalArgumentException(
                    what + " has " + (a == null ? 0 : a.length) + " values, grid needs " + cells);
        }
    }

    /** Reads every field the observables need (the cube must have the MHD fields). */
    public static CubeFields read(CubeReader reader) throws IOException {
        CubeMeta meta = reader.meta();
        if (!meta.hasMhdFields()) {
            throw new IllegalArgumentException(meta.runId() + " lacks fields for observing: has "
                    + meta.fields().stream().map(Field::key).sorted().toList());
        }
        float[] rho = reader.readField(Field.DENSITY);
        float[][] v = new float[3][];
        float[][] b = new float[3][];
        // Group by group (all velocity, then all field components): the generator keeps one group at a time.
        for (int c = 0; c < 3; c++) {
            v[c] = reader.readField(Field.velocity()[c]);
        }
        for (int c = 0; c < 3; c++) {
            b[c] = reader.readField(Field.magnetic()[c]);
        }
        float[] t = meta.fields().contains(Field.TEMPERATURE) ? reader.readField(Field.TEMPERATURE) : null;
        return new CubeFields(meta, rho, v, b, t);
    }

    public CubeMeta meta() {
        return meta;
    }

    public GridShape shape() {
        return shape;
    }

    /**
     * Blank cells (NaN or infinite): a simulation has none, so a cube with more than {@code maxFraction} of them
     * in some field is refused, naming the field. Up to that many are filled with the field's mean over its
     * finite cells, so every line of sight through them stays finite (an empty cell instead would divide by a
     * zero density in the Alfven speed of the truth maps).
     *
     * @param file the cube's file, for the message
     * @param setting the setting that holds {@code maxFraction}, for the message
     * @return the number of values filled
     * @throws org.magmap.ops.BadInputException if a field is blanker than allowed
     */
    public long fillBlankCells(double maxFraction, String file, String setting) {
        java.util.Map<String, float[]> fields = new java.util.LinkedHashMap<>();
        fields.put(Field.DENSITY.key(), density);
        for (int c = 0; c < 3; c++) {
            fields.put(Field.velocity()[c].key(), velocity[c]);
        }
        for (int c = 0; c < 3; c++) {
            fields.put(Field.magnetic()[c].key(), magnetic[c]);
        }
        if (temperature != null) {
            fields.put(Field.TEMPERATURE.key(), temperature);
        }
        long filled = 0;
        for (java.util.Map.Entry<String, float[]> e : fields.entrySet()) {
            float[] a = e.getValue();
            long count = 0;
            double sum = 0;
            for (float v : a) {
                if (Float.isFinite(v)) {
                    sum += v;
                } else {
                    count++;
                }
            }
            double fraction = count / (double) a.length;
            if (fraction > maxFraction || count == a.length) {
                throw new org.magmap.ops.BadInputException(
                        file,
                        String.format(
                                java.util.Locale.ROOT,
                                "field '%s' is %s %% blank (%d of %d cells NaN or infinite); at most %s %% may be"
                                        + " (%s)",
                                e.getKey(),
                                percent(fraction),
                                count,
                                (long) a.length,
                                percent(maxFraction),
                                setting));
            }
            if (count > 0) {
                float mean = (float) (sum / (a.length - count));
                for (int i = 0; i < a.length; i++) {
                    if (!Float.isFinite(a[i])) {
                        a[i] = mean;
                    }
                }
                filled += count;
            }
        }
        return filled;
    }

    /** A fraction as a percentage of three significant figures, without trailing zeros (100, 1, 0.5). */
    private static String percent(double fraction) {
        return new java.math.BigDecimal(100 * fraction)
                .round(new java.math.MathContext(3))
                .stripTrailingZeros()
                .toPlainString();
    }
}
