/**
 * Survey mosaics: {@code infer}'s per-cube maps co-added onto one target sky grid (any celestial WCS, or one fitted
 * to the inputs), block by block on the executors, each block reading only the inputs whose footprints reach it;
 * position angles turned into the target frame and averaged as (cos 2 psi, sin 2 psi); coverage-weighted with
 * feathered edges. Also the synthetic survey (overlapping cubes cut from one sky with known truth) the tests and
 * the benchmark run on.
 */
package org.magmap.mosaic;
