package org.magmap.patch;

import java.io.Serializable;
import java.util.List;

/**
 * How patches are divided into train / validation / test without leaking (SCIENCE.md section 3): whole
 * simulations named in the configuration go to validation or test; the rest go to train, or, with spatial
 * splitting on, are divided by square blocks of the map, each block wholly in one split, patches kept inside a
 * block's interior shrunk by a buffer so that no two splits ever share a pixel.
 *
 * @param testSimulations regular expressions; a simulation whose run id contains a match goes wholly to test
 *     (e.g. "^unseen-" for the unseen run)
 * @param validationSimulations likewise for validation (e.g. "-snap1$": every parameter set's second snapshot)
 * @param spatial whether the remaining simulations are divided by spatial blocks
 * @param blockPixels side of a spatial block
 * @param bufferPixels margin inside each block that patches must not touch
 * @param validationFraction share of blocks in validation (spatial splitting)
 * @param testFraction share of blocks in test (spatial splitting)
 */
public record Splits(
        List<String> testSimulations,
        List<String> validationSimulations,
        boolean spatial,
        int blockPixels,
        int bufferPixels,
        double validationFraction,
        double testFraction)
        implements Serializable {
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";

    public Splits {
        testSimulations = List.copyOf(testSimulations);
        validationSimulations = List.copyOf(validationSimulations);
        for (String p : testSimulations) {
            checkPattern(p);
        }
        for (String p : validationSimulations) {
            checkPattern(p);
        }
        if (spatial) {
            if (blockPixels < 1 || bufferPixels < 0) {
                throw new IllegalArgumentException("spatial blocks need a positive size and a non-negative buffer");
            }
            if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1) {
                throw new IllegalArgumentException("validation and test fractions must be >= 0 and sum to less than 1");
            }
        }
    }

    private static void checkPattern(String p) {
        try {
            java.util.regex.Pattern.compile(p);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "'" + p + "' is not a valid regular expression: " + e.getDescription(), e);
        }
    }

    /** No held-out simulations and no spatial split: everything is train. */
    public static Splits allTrain() {
        return new Splits(List.of(), List.of(), false, 128, 0, 0, 0);
    }

    /** The split of a whole simulation, or null when its patches are split by spatial block. */
    public String ofSimulation(String runId) {
        for (String p : testSimulations) {
            if (java.util.regex.Pattern.compile(p).matcher(runId).find()) {
                return TEST;
            }
        }
        for (String p : validationSimulations) {
            if (java.util.regex.Pattern.compile(p).matcher(runId).find()) {
                return VALIDATION;
            }
        }
        return spatial ? null : TRAIN;
    }

    /** The split of spatial block (bx, by), fixed by a hash of the block and the seed. */
    public String ofBlock(long seed, String simulation, int bx, int by) {
        long h = Hashing.mix(Hashing.fnv1a64(simulation) ^ Hashing.mix(seed + 31L * bx + 1_000_003L * by));
        double u = (h >>> 11) * 0x1.0p-53;
        if (u < testFraction) {
            return TEST;
        }
        if (u < testFraction + validationFraction) {
            return VALIDATION;
        }
        return TRAIN;
    }
}
