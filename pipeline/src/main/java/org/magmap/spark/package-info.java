/**
 * Spark plumbing shared by every job: how a session is configured (without ever hard-coding a master), the Kryo
 * registrations, and small helpers such as driver-side progress from task completions.
 *
 * <p>May depend on {@code conf} and {@code ops}; nothing in the science packages depends on this one.
 */
package org.magmap.spark;
