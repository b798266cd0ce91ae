/**
 * Simulation cubes: the cube model ({@link org.magmap.sim.CubeMeta}, {@link org.magmap.sim.Field}, the
 * slab-reading {@link org.magmap.sim.CubeReader}), the synthetic MHD turbulence generator, readers for real
 * simulation outputs (FITS, AthenaK {@code .bin}, FLASH HDF5) and the on-disk cube store.
 *
 * <p>Knows nothing of Spark or DL4J; may use {@code fits} and {@code ops}. Cubes up to 512^3 are never held
 * whole by the driver: readers hand out z-slabs.
 *
 * <p>Units (stored and returned): mass density in g cm^-3, velocity in km s^-1, magnetic field in microgauss,
 * temperature in K, cell size in parsec.
 */
package org.magmap.sim;
