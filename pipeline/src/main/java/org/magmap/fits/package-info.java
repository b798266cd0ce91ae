/**
 * FITS images on top of nom-tam-fits: {@link org.magmap.fits.FitsImageReader} opens a file and finds an image
 * HDU by index or EXTNAME; {@link org.magmap.fits.FitsImage} reads blocks of it (a range of planes, or a
 * corner-plus-shape tile) as {@code float[]} with BSCALE/BZERO applied and BLANK turned into NaN, without
 * loading the whole image; {@link org.magmap.fits.FitsImageWriter} streams float32 images to disk plane-slab by
 * plane-slab with provenance cards from {@link org.magmap.fits.FitsCards}.
 *
 * <p>Shapes and tile corners are given in FITS axis order (index 0 = NAXIS1, the fastest-varying axis), never
 * in nom-tam's reversed Java-array order; the conversion happens once, inside this package.
 *
 * <p>Knows nothing of Spark, DL4J or the simulation model ({@code sim} depends on this package, not the
 * reverse); uses only nom-tam-fits and {@link org.magmap.ops.BadInputException} for errors a user must fix.
 */
package org.magmap.fits;
