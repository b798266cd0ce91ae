/**
 * Mock observations: what a radio telescope would see of a simulation cube, and the truth maps a network must
 * learn. Rotated views (vectors rotated as vectors, trilinear resampling along rotated lines of sight),
 * synchrotron intensity, H I position-position-velocity cubes and thin channel maps, density-weighted truth
 * maps (B, M_A, M_s, inclination gamma, POS angle psi), noise and beam.
 *
 * <p>Pure functions on float arrays plus small value types; knows nothing of Spark, DL4J or files. Maps are
 * {@code ny x nx} arrays stored x fastest (FITS order). Angles are in degrees; orientations (psi) lie in
 * [0, 180) and are measured from the map's +x axis towards its +y axis (see {@link org.magmap.observe.Angles}).
 */
package org.magmap.observe;
