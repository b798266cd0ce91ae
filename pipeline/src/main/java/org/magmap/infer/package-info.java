/**
 * Tiled inference over survey files: velocity windows of H I cubes integrated into channel maps (or 2D
 * continuum images), cut into tiles of the model's input size, predicted, blended back with smooth weights and
 * written as FITS maps on the input's sky coordinates, psi as a position angle east of north. The executor side
 * reads only its own block of a file; the driver reads headers and assembles outputs slab by slab.
 */
package org.magmap.infer;
