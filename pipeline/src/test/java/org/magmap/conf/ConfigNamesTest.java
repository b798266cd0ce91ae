package org.magmap.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ConfigNamesTest {
    enum Shape {
        SQUARE,
        GLOBAL_AVERAGE
    }

    @Test
    void constantsAreSpelledInLowerCaseWithHyphensAndReadBack() {
        assertEquals("global-average", ConfigNames.of(Shape.GLOBAL_AVERAGE));
        assertEquals(Shape.GLOBAL_AVERAGE, ConfigNames.parse(Shape.class, " Global-Average ", "shape"));
        for (Shape s : Shape.values()) {
            assertEquals(s, ConfigNames.parse(Shape.class, ConfigNames.of(s), "shape"));
        }
    }

    @Test
    void anUnknownNameIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ConfigNames.parse(Shape.class, "global_average", "shape"));
        assertEquals("unknown shape 'global_average' (square, global-average)", e.getMessage());
    }
}
