package org.magmap.sim;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything known about a cube except its data.
 *
 * @param runId a stable identifier of the run and snapshot, e.g. "b3-s2.5-i90-seed1"; used in file names,
 *     manifests and patch provenance, so only letters, digits, '-', '_' and '.'
 * @param sourceCode what produced it: "magmap-synthetic", "athenak", "flash", or "fits" for foreign FITS
 * @param shape grid size
 * @param cellSizePc cell size in parsec
 * @param periodic whether the box wraps (turbulence boxes do; cluster cut-outs do not)
 * @param snapshot snapshot number (0 if not applicable)
 * @param timeMyr simulation time in Myr, NaN if unknown
 * @param fields the fields present
 * @param meanFieldMicrogauss |B0| in microgauss, NaN if unknown
 * @param meanFieldDirection unit vector of B0 in the cube's frame (x, y, z); null if unknown
 * @param soundSpeedKmPerS isothermal sound speed c_s, NaN if unknown (then a temperature field is needed)
 * @param sigmaVKmPerS 3D velocity dispersion, NaN if unknown
 * @param meanDensityGPerCm3 mean mass density, NaN if unknown
 * @param provenance free-form key/value provenance (generator parameters, source file, code units)
 */
public record CubeMeta(
        String runId,
        String sourceCode,
        GridShape shape,
        double cellSizePc,
        boolean periodic,
        int snapshot,
        double timeMyr,
        Set<Field> fields,
        double meanFieldMicrogauss,
        double[] meanFieldDirection,
        double soundSpeedKmPerS,
        double sigmaVKmPerS,
        double meanDensityGPerCm3,
        Map<String, String> provenance)
        implements Serializable {

    public CubeMeta {
        Objects.requireNonNull(runId, "runId");
        if (!runId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "run id '" + runId + "' may only contain letters, digits, '.', '_' and '-'");
        }
        Objects.requireNonNull(shape, "shape");
        if (!(cellSizePc > 0)) {
            throw new IllegalArgumentException("cell size must be positive, got " + cellSizePc + " pc");
        }
        fields = Set.copyOf(fields);
        meanFieldDirection = meanFieldDirection == null ? null : meanFieldDirection.clone();
        // Sorted, not Map.copyOf: its iteration order changes from JVM to JVM, and the observed maps' HISTORY
        // cards list the provenance in this order, so a rerun would not write the same files.
        provenance =
                java.util.Collections.unmodifiableSortedMap(new TreeMap<>(provenance == null ? Map.of() : provenance));
    }

    /** Box side along x in parsec. */
    public double boxSizePc() {
        return cellSizePc * shape.nx();
    }

    /** Whether every field an MHD observable needs is present. */
    public boolean hasMhdFields() {
        return fields.containsAll(Field.REQUIRED);
    }

    @Override
    public double[] meanFieldDirection() {
        return meanFieldDirection == null ? null : meanFieldDirection.clone();
    }

    /** A copy with another run id (e.g. when one file holds several snapshots). */
    public CubeMeta withRunId(String id) {
        return new CubeMeta(
                id,
                sourceCode,
                shape,
                cellSizePc,
                periodic,
                snapshot,
                timeMyr,
                fields,
                meanFieldMicrogauss,
                meanFieldDirection,
                soundSpeedKmPerS,
                sigmaVKmPerS,
                meanDensityGPerCm3,
                provenance);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CubeMeta m
                && runId.equals(m.runId)
                && Objects.equals(sourceCode, m.sourceCode)
                && shape.equals(m.shape)
                && Double.compare(cellSizePc, m.cellSizePc) == 0
                && periodic == m.periodic
                && snapshot == m.snapshot
                && Double.compare(timeMyr, m.timeMyr) == 0
                && fields.equals(m.fields)
                && Double.compare(meanFieldMicrogauss, m.meanFieldMicrogauss) == 0
                && java.util.Arrays.equals(meanFieldDirection, m.meanFieldDirection)
                && Double.compare(soundSpeedKmPerS, m.soundSpeedKmPerS) == 0
                && Double.compare(sigmaVKmPerS, m.sigmaVKmPerS) == 0
                && Double.compare(meanDensityGPerCm3, m.meanDensityGPerCm3) == 0
                && provenance.equals(m.provenance);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, shape, cellSizePc, snapshot);
    }
}
