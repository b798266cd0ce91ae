/**
 * Benchmarks: {@code bin/magmap-bench NAME} prints speed and memory figures for one stage on this machine.
 * Not tests: figures depend on the machine and its load, so they are reported, not asserted.
 */
package org.magmap.bench;
