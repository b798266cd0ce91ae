/**
 * Spark plumbing shared by every stage: how a session is configured (without ever hard-coding a master), the Kryo
 * registrations (each package lists its own classes as {@link org.magmap.ops.WireClasses}, found with the
 * ServiceLoader, so this package names none of them), random subsets, and driver-side progress from task
 * completions.
 *
 * <p>Depends on {@code conf} and {@code ops} only; the stages above use it.
 */
package org.magmap.spark;
