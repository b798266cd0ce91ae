package org.magmap.patch;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * How patches are divided into train / validation / test without leaking (docs/science.md section 3): whole
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
 * @param validationFraction share of each map's blocks in validation (spatial splitting; see {@link #ofBlocks})
 * @param testFraction share of each map's blocks in test (spatial splitting)
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
    /**
     * The rule that deals blocks to splits, part of make-patches' config hash so that an output cut under an
     * older rule is not taken as complete: 2 deals each map a fixed share ({@link #ofBlocks}); 1 drew every block
     * on its own.
     */
    public static final int BLOCK_RULE = 2;

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

    /**
     * The split of every spatial block of one simulation's map, indexed {@code by * nbx + bx}. Every map gets its
     * share, so every simulation that trains also has test blocks (drawing each block on its own left about half
     * of the maps of four blocks without one, and a few without a training block). The blocks are ranked by a hash
     * of the seed, the simulation and the block; the first {@code round(n * testFraction)} go to test, the next
     * {@code round(n * validationFraction)} to validation and the rest to train. A held-out split whose fraction
     * is above 0 gets at least one block, and train always keeps one: where blocks run short, validation gives
     * way first, then test (a map of one block trains whole).
     */
    public String[] ofBlocks(long seed, String simulation, int nbx, int nby) {
        int n = nbx * nby;
        int test = Math.min(share(n, testFraction), n - 1);
        int validation = Math.min(share(n, validationFraction), n - 1 - test);
        long simulationHash = Hashing.fnv1a64(simulation);
        Integer[] order = new Integer[n];
        long[] key = new long[n];
        for (int b = 0; b < n; b++) {
            order[b] = b;
            int bx = b % nbx;
            int by = b / nbx;
            key[b] = Hashing.mix(simulationHash ^ Hashing.mix(seed + 31L * bx + 1_000_003L * by));
        }
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(key[a], key[b]));
        String[] split = new String[n];
        for (int rank = 0; rank < n; rank++) {
            split[order[rank]] = rank < test ? TEST : rank < test + validation ? VALIDATION : TRAIN;
        }
        return split;
    }

    private static int share(int blocks, double fraction) {
        return fraction > 0 ? Math.max(1, (int) Math.round(blocks * fraction)) : 0;
    }
}
