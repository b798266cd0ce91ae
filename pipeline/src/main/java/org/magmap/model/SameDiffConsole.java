package org.magmap.model;

import java.io.PrintStream;

/**
 * Silences one console line of ND4J 1.0.0-M2.1: {@code SameDiff.createGradFunction} prints "Added differentiated
 * op NAME" with {@code System.out.println} (not through a logger, so log configuration cannot reach it) for every
 * op of every SameDiff layer, each time a network builds its gradient function. Training the conditional ResNet
 * on Spark printed 6,144 such lines in three minutes, burying the progress log. Installed (once per JVM) by the
 * SameDiff layers' static initialisers, so driver and executors both get it; every other line passes through.
 */
final class SameDiffConsole {
    static final String NOISE = "Added differentiated op ";

    private SameDiffConsole() {}

    static synchronized void install() {
        if (!(System.out instanceof Filtered)) {
            System.setOut(new Filtered(System.out));
        }
    }

    /** Drops the noise line; everything else goes to the wrapped stream. */
    static final class Filtered extends PrintStream {
        Filtered(PrintStream out) {
            super(out, true);
        }

        @Override
        public void println(String line) {
            if (line == null || !line.startsWith(NOISE)) {
                super.println(line);
            }
        }
    }
}
