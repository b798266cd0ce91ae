/**
 * Training patches: where to cut them (random centres, optionally inside spatial blocks with a buffer so
 * train and validation never share pixels), how to augment them (rotation by any angle without empty corners,
 * beam, noise, per-patch normalisation), and labels that move with the image (a rotation by alpha adds alpha to
 * psi; psi travels as cos 2psi / sin 2psi).
 *
 * <p>Pure functions on {@code float[]} maps plus small value types; no Spark, DL4J or files. Uses {@code
 * observe} (map helpers, angles) and {@code baseline} (the equipartition estimate a synchrotron patch carries). Maps and patches
 * are stored x fastest; a patch of side s has s*s values, row y = 0 first.
 */
package org.magmap.patch;
