package org.magmap.observe;

import java.io.Serializable;
import java.util.Arrays;

/** A proper rotation of 3-vectors, as a 3x3 matrix acting on column vectors (x, y, z). */
public final class Rotation implements Serializable {
    private final double[][] m;

    private Rotation(double[][] m) {
        this.m = m;
    }

    public static Rotation identity() {
        return new Rotation(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    }

    /** Counter-clockwise about z (the line of sight) by {@code degrees}: x rotates towards y. */
    public static Rotation aboutZ(double degrees) {
        double c = Math.cos(Math.toRadians(degrees));
        double s = Math.sin(Math.toRadians(degrees));
        // Snap exact multiples of 90 degrees so that quarter turns map grid points onto grid points exactly.
        c = snap(c);
        s = snap(s);
        return new Rotation(new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}});
    }

    private static double snap(double v) {
        return Math.abs(v) < 1e-12 ? 0 : Math.abs(Math.abs(v) - 1) < 1e-12 ? Math.signum(v) : v;
    }

    /** The smallest rotation taking unit vector {@code from} onto unit vector {@code to} (Rodrigues' formula). */
    public static Rotation taking(double[] from, double[] to) {
        double[] a = unit(from);
        double[] b = unit(to);
        double[] axis = cross(a, b);
        double sin = norm(axis);
        double cos = dot(a, b);
        if (sin < 1e-12) {
            if (cos > 0) {
                return identity();
            }
            // Opposite vectors: half a turn about any axis perpendicular to a.
            double[] p = Math.abs(a[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
            double[] k = unit(cross(a, p));
            return about(k, -1, 0);
        }
        return about(new double[] {axis[0] / sin, axis[1] / sin, axis[2] / sin}, cos, sin);
    }

    private static Rotation about(double[] k, double cos, double sin) {
        double t = 1 - cos;
        double x = k[0];
        double y = k[1];
        double z = k[2];
        return new Rotation(new double[][] {
            {cos + x * x * t, x * y * t - z * sin, x * z * t + y * sin},
            {y * x * t + z * sin, cos + y * y * t, y * z * t - x * sin},
            {z * x * t - y * sin, z * y * t + x * sin, cos + z * z * t}
        });
    }

    /** This rotation followed by {@code next}. */
    public Rotation then(Rotation next) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i][j] += next.m[i][k] * m[k][j];
                }
            }
        }
        return new Rotation(r);
    }

    /** The inverse (the transpose). */
    public Rotation inverse() {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i][j] = m[j][i];
            }
        }
        return new Rotation(r);
    }

    /** R v. */
    public double[] apply(double[] v) {
        return new double[] {
            m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2]
        };
    }

    /** Matrix element (row, column). */
    public double get(int row, int column) {
        return m[row][column];
    }

    /** Whether this is the identity to within {@code tolerance}. */
    public boolean isIdentity(double tolerance) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (Math.abs(m[i][j] - (i == j ? 1 : 0)) > tolerance) {
                    return false;
                }
            }
        }
        return true;
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    static double[] unit(double[] a) {
        double n = norm(a);
        if (!(n > 0)) {
            throw new IllegalArgumentException("zero vector " + Arrays.toString(a));
        }
        return new double[] {a[0] / n, a[1] / n, a[2] / n};
    }

    @Override
    public String toString() {
        return Arrays.deepToString(m);
    }
}
