/**
 * The typed hand-offs between stages: the simulate, observe and make-patches manifests, the model card, the
 * training history and the evaluation summary. Each is read and written in one place, with a kind and a schema
 * version in its header ({@link org.magmap.artifact.ArtifactFiles}); a reader names the file and the field when
 * one is missing, of another kind or newer than this magmap. Every compatibility check between artifacts (a card
 * against patches, against a run's settings, against an ensemble member) is a method here.
 *
 * <p>Depends on {@code ops}, {@code sim}, {@code observe}, {@code patch} and {@code predict} (target scaling) for the
 * records it describes;
 * nothing here runs a network or Spark.
 */
package org.magmap.artifact;
