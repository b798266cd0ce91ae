package org.magmap.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SameDiffConsoleTest {
    @Test
    void dropsOnlyTheDifferentiatedOpLines() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream filtered = new SameDiffConsole.Filtered(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        filtered.println("Added differentiated op conv2d_1");
        filtered.println("epoch 1/3");
        filtered.println("Added differentiation of ops");
        filtered.println((String) null);
        assertEquals(
                "epoch 1/3" + System.lineSeparator() + "Added differentiation of ops" + System.lineSeparator() + "null"
                        + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }
}
