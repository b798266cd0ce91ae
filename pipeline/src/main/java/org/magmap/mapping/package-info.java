/**
 * Making map files: one simulation cube observed at every view, its whole-map baselines added, and written as FITS
 * with provenance (the observe job's executor side). Sits above {@code observe} and {@code baseline}, which it
 * combines, and below {@code patch}, which reads what it writes.
 */
package org.magmap.mapping;
