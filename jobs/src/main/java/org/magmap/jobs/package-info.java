/**
 * Entry points: one class per job, the {@link org.magmap.jobs.SparkJob} base class that owns the Spark
 * lifecycle, the explicit {@link org.magmap.jobs.JobRegistry}, and the {@link org.magmap.jobs.Magmap} main
 * class that {@code bin/magmap} and {@code bin/magmap-submit} run. Jobs only wire {@code pipeline} functions
 * into Spark; the science lives in the pipeline module.
 */
package org.magmap.jobs;
