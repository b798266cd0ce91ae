/**
 * Classical baselines the networks are compared with (docs/science.md section 5): the revised equipartition field
 * strength of Beck &amp; Krause (2005) ({@link org.magmap.baseline.Equipartition}), the Velocity Gradient
 * Technique for the plane-of-sky field orientation ({@link org.magmap.baseline.VelocityGradients}), and the
 * Alignment Measure between two orientation maps ({@link org.magmap.baseline.AlignmentMeasure}).
 *
 * <p>Pure functions on {@code float[]} maps plus small immutable value types. A map of {@code nx * ny} pixels
 * is stored x fastest: {@code index = y * nx + x}. NaN marks a missing pixel in every input and output.
 *
 * <p>Angle convention for every orientation here: degrees, defined mod 180 and folded into [0, 180), measured
 * from the map's +x axis towards +y.
 *
 * <p>Depends on the JDK, Commons Math (the Gamma function) and {@code observe.Angles} (the angle convention);
 * no Spark, DL4J or file access.
 */
package org.magmap.baseline;
