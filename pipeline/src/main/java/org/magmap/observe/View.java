package org.magmap.observe;

import java.io.Serializable;

/**
 * How a cube is looked at: the mean field makes {@code inclinationDeg} with the line of sight (the papers use
 * 30, 60, 90) and its projection on the sky lies at {@code positionAngleDeg} from the map's +x axis.
 *
 * <p>The view frame is built as {@code Rz(positionAngle) . R0}, with R0 the smallest rotation taking the cube's
 * mean-field direction to (sin i, 0, cos i). So two views that differ only in position angle differ exactly by a
 * rotation about the line of sight: their maps are rotated copies and psi shifts by the difference.
 *
 * @param name short label for files and manifests, e.g. "i60-pa0"
 * @param inclinationDeg angle between mean field and LOS, 0..180
 * @param positionAngleDeg position angle of the projected mean field, degrees from +x towards +y
 */
public record View(String name, double inclinationDeg, double positionAngleDeg) implements Serializable {
    public View {
        if (!(inclinationDeg >= 0 && inclinationDeg <= 180)) {
            throw new IllegalArgumentException("inclination must be within 0..180 deg, got " + inclinationDeg);
        }
        if (!Double.isFinite(positionAngleDeg)) {
            throw new IllegalArgumentException("position angle must be finite, got " + positionAngleDeg);
        }
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "view name '" + name + "' may only contain letters, digits, '.', '_', '-'");
        }
    }

    /** A view named from its angles, e.g. "i60-pa0". */
    public static View of(double inclinationDeg, double positionAngleDeg) {
        return new View("i" + fmt(inclinationDeg) + "-pa" + fmt(positionAngleDeg), inclinationDeg, positionAngleDeg);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The rotation from the cube frame to this view's frame, for a cube whose mean field is along {@code b0}. */
    public Rotation rotationFor(double[] meanFieldDirection) {
        double i = Math.toRadians(inclinationDeg);
        Rotation tilt = Rotation.taking(meanFieldDirection, new double[] {Math.sin(i), 0, Math.cos(i)});
        return tilt.then(Rotation.aboutZ(positionAngleDeg));
    }
}
