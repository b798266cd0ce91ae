/**
 * Operations: what keeps long runs safe and legible. Atomic commit of outputs (stage, then rename), the
 * driver-side progress meter, and the exception type for bad input. Plain Java plus Hadoop's FileSystem API;
 * knows nothing of the science.
 */
package org.magmap.ops;
