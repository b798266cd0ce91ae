/**
 * Layered configuration: code defaults ({@code reference.conf} on the classpath) &lt; config files (in the
 * order given) &lt; {@code --conf key=value} on the command line.
 *
 * <p>Project keys live under {@code magmap.}; keys under {@code spark.} are handed to Spark. Unknown project
 * keys are rejected with the file that named them, so a typo never silently falls back to a default. Depends
 * on nothing else in magmap.
 */
package org.magmap.conf;
