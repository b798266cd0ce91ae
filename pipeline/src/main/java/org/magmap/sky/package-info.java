/**
 * Sky coordinates of survey files: the celestial WCS (pixel to sky, position angles east of north) and the
 * spectral axis as velocity, following the FITS WCS papers (Greisen &amp; Calabretta 2002; Calabretta &amp;
 * Greisen 2002; Greisen et al. 2006). Plain Java over nom-tam headers, checked against astropy's values.
 */
package org.magmap.sky;
