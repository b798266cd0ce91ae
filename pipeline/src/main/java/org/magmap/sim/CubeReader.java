package org.magmap.sim;

import java.io.IOException;

/**
 * Read access to a cube, one z-slab at a time, so that a task can work on a 512^3 cube holding only the
 * planes it needs. Implementations: in-memory {@link Cube}, the FITS cube store, AthenaK and FLASH readers,
 * and the synthetic generator.
 */
public interface CubeReader extends AutoCloseable {
    /** What the cube is. */
    CubeMeta meta();

    /**
     * Reads planes {@code z0 .. z0 + planes - 1} of one field, x fastest then y then z, in the units of
     * {@link Field#unit()}.
     *
     * @throws IllegalArgumentException if the field is absent or the range leaves the grid
     * @throws IOException if the underlying file cannot be read (the message names it)
     */
    float[] readSlab(Field field, int z0, int planes) throws IOException;

    /** The whole field (only for cubes small enough to hold; 512^3 floats are 512 MiB). */
    default float[] readField(Field field) throws IOException {
        return readSlab(field, 0, meta().shape().nz());
    }

    /** Checks a slab request against the grid and the fields present. */
    default void checkSlab(Field field, int z0, int planes) {
        if (!meta().fields().contains(field)) {
            throw new IllegalArgumentException(meta().runId() + " has no field '" + field.key() + "' (it has "
                    + meta().fields().stream().map(Field::key).sorted().toList() + ")");
        }
        int nz = meta().shape().nz();
        if (z0 < 0 || planes <= 0 || z0 + planes > nz) {
            throw new IllegalArgumentException(
                    "slab z=" + z0 + ".." + (z0 + planes - 1) + " is outside 0.." + (nz - 1) + " of " + meta().runId());
        }
    }

    @Override
    default void close() throws IOException {}
}
