/**
 * Scheduled incremental reprocessing: what a run must redo, decided from the run ledger ({@link
 * org.magmap.artifact.RunLedger}) and each input's size, modification time and content fingerprint ({@link
 * org.magmap.nightly.NightlyPlan}, a plain function), and the fingerprints themselves, read on the executors
 * ({@link org.magmap.nightly.Fingerprints}). The {@code nightly} job runs the decisions.
 */
package org.magmap.nightly;
