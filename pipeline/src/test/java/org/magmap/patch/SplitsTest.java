package org.magmap.patch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitsTest {
    private static Splits spatial(double validation, double test) {
        return new Splits(List.of("^unseen-"), List.of("-snap1$"), true, 64, 4, validation, test);
    }

    private static Map<String, Integer> count(String[] splits) {
        Map<String, Integer> m = new HashMap<>();
        for (String s : splits) {
            m.merge(s, 1, Integer::sum);
        }
        return m;
    }

    /**
     * A 128-pixel map in 64-pixel blocks has four; at 15% each, every simulation gets one test and one validation
     * block and keeps two for training. Drawn one block at a time, 0.85^4 = 52% of the maps would have had no
     * test block, and 0.3^4 = 0.8% no training block.
     */
    @Test
    void everyMapOfFourBlocksGetsOneTestOneValidationAndTwoTrainingBlocks() {
        Splits splits = spatial(0.15, 0.15);
        for (int i = 0; i < 200; i++) {
            String[] s = splits.ofBlocks(1, "b" + i + "-s2.5-seed1-snap0", 2, 2);
            assertEquals(
                    Map.of(Splits.TEST, 1, Splits.VALIDATION, 1, Splits.TRAIN, 2),
                    count(s),
                    "run " + i + ": " + Arrays.toString(s));
        }
    }

    @Test
    void largeMapsGetTheirFractionsRoundedAndSmallOnesKeepATrainingBlock() {
        // 8 x 8 blocks: round(64 x 0.15) = 10 each
        assertEquals(
                Map.of(Splits.TEST, 10, Splits.VALIDATION, 10, Splits.TRAIN, 44),
                count(spatial(0.15, 0.15).ofBlocks(3, "big", 8, 8)));
        // two blocks: validation gives way; one block: the map trains whole
        assertEquals(
                Map.of(Splits.TEST, 1, Splits.TRAIN, 1),
                count(spatial(0.15, 0.15).ofBlocks(3, "two", 2, 1)));
        assertEquals(Map.of(Splits.TRAIN, 1), count(spatial(0.15, 0.15).ofBlocks(3, "one", 1, 1)));
        // a fraction of 0 holds nothing out, however many blocks
        assertEquals(
                Map.of(Splits.TEST, 10, Splits.TRAIN, 54),
                count(spatial(0, 0.15).ofBlocks(3, "big", 8, 8)));
    }

    @Test
    void theLayoutIsFixedByTheSeedAndTheSimulationAndVariesWithThem() {
        Splits splits = spatial(0.15, 0.15);
        String[] layout = splits.ofBlocks(7, "b3-s5-seed1-snap0", 4, 4);
        assertArrayEquals(layout, splits.ofBlocks(7, "b3-s5-seed1-snap0", 4, 4));
        boolean anotherSeedDiffers = false;
        boolean anotherRunDiffers = false;
        for (int k = 0; k < 10; k++) {
            anotherSeedDiffers |= !Arrays.equals(layout, splits.ofBlocks(8 + k, "b3-s5-seed1-snap0", 4, 4));
            anotherRunDiffers |= !Arrays.equals(layout, splits.ofBlocks(7, "b5-s5-seed1-snap" + k, 4, 4));
        }
        assertTrue(anotherSeedDiffers && anotherRunDiffers);
        // which block of a map is held out is spread over the map: over many runs, each of 4 blocks is test 1/4 of
        // the time (binomial, 400 runs: 100 +- 8.7; 5 standard deviations)
        int[] testAt = new int[4];
        for (int i = 0; i < 400; i++) {
            String[] s = splits.ofBlocks(1, "run-" + i, 2, 2);
            for (int b = 0; b < 4; b++) {
                testAt[b] += s[b].equals(Splits.TEST) ? 1 : 0;
            }
        }
        for (int b = 0; b < 4; b++) {
            assertTrue(Math.abs(testAt[b] - 100) < 5 * 8.7, "block " + b + " was test in " + testAt[b] + " of 400");
        }
        assertFalse(Arrays.asList(layout).contains(null));
    }

    @Test
    void wholeSimulationsGoByTheirPatternsAndTheRestBySpatialBlocks() {
        Splits splits = spatial(0.15, 0.15);
        assertEquals(Splits.TEST, splits.ofSimulation("unseen-b4-s2.5-seed1-snap0"));
        assertEquals(Splits.VALIDATION, splits.ofSimulation("b1-s5-seed1-snap1"));
        assertNull(splits.ofSimulation("b1-s5-seed1-snap0"), "split by blocks");
        assertEquals(Splits.TRAIN, Splits.allTrain().ofSimulation("b1-s5-seed1-snap0"));
    }
}
