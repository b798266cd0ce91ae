package org.magmap.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.fits.FitsCards;

/** Write/open round trips of the cube store, checked with our reader and with plain nom-tam. */
class FitsCubeStoreTest {
    /** Non-cubic on purpose: any mix-up of x, y and z changes the shape or the values. */
    static final GridShape GRID = new GridShape(24, 20, 12);

    @TempDir
    Path dir;

    /** A cube holding every field, with values that exercise the float format: NaN, -0, subnormal, extremes. */
    static Cube cube(Map<String, String> provenance) {
        SplittableRandom random = new SplittableRandom(7);
        Map<Field, float[]> data = new EnumMap<>(Field.class);
        for (Field f : Field.values()) {
            float[] v = new float[(int) GRID.cells()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextGaussian() * Math.pow(10, f.ordinal() - 4));
            }
            v[0] = Float.NaN;
            v[1] = -0.0f;
            v[2] = Float.MIN_VALUE;
            v[3] = Float.MAX_VALUE;
            v[4] = -Float.MAX_VALUE;
            data.put(f, v);
        }
        CubeMeta meta = new CubeMeta(
                "b3-s2.5-i90-seed1",
                "magmap-synthetic",
                GRID,
                100.0 / 512,
                true,
                2,
                12.345678901234567,
                data.keySet(),
                3.0,
                new double[] {0.0, -0.0, 1.0},
                0.1 + 0.2,
                2.5,
                2.0e-24 / 3,
                provenance);
        return new Cube(meta, data);
    }

    /** Provenance a naive header writer would mangle: '=', '%', quotes, non-ASCII, blanks, long values. */
    static Map<String, String> awkwardProvenance() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("seed", "42");
        p.put("generator.spectrum", "kolmogorov, k_min=2, k_max=128, compressive fraction 0.3 ".repeat(5));
        p.put("key = with equals", "value with trailing blanks   ");
        p.put("  leading", "  leading blanks");
        p.put("unicode", "B in \u00b5G, \u2192 \u03a9 caf\u00e9");
        p.put("percent", "100% sure %41");
        p.put("amp", "a & b &");
        p.put("quote", "it's 'quoted'");
        p.put("newline", "line 1\nline 2\ttab");
        p.put("empty", "");
        return p;
    }

    @Test
    void roundTripGivesEqualMetadataAndBitIdenticalData() throws IOException {
        Cube cube = cube(awkwardProvenance());
        Path file = dir.resolve("cube.fits");
        FitsCubeStore.write(file, cube);
        try (CubeReader back = FitsCubeStore.open(file)) {
            assertEquals(cube.meta(), back.meta());
            assertEquals(awkwardProvenance(), back.meta().provenance());
            assertArrayEquals(new double[] {0.0, -0.0, 1.0}, back.meta().meanFieldDirection());
            for (Field f : Field.values()) {
                assertArrayEquals(bits(cube.field(f)), bits(back.readField(f)), f.key());
            }
            for (int[] range : new int[][] {{0, 1}, {3, 5}, {11, 1}, {0, 12}, {7, 4}}) {
                for (Field f : List.of(Field.DENSITY, Field.B_Z)) {
                    assertArrayEquals(
                            bits(cube.readSlab(f, range[0], range[1])),
                            bits(back.readSlab(f, range[0], range[1])),
                            f.key() + " z=" + range[0] + "+" + range[1]);
                }
            }
        }
    }

    @Test
    void unknownValuesAndAFieldSubsetRoundTrip() throws IOException {
        Cube full = cube(Map.of());
        CubeMeta sparse = new CubeMeta(
                "foreign.run_2",
                null,
                GRID,
                0.5,
                false,
                0,
                Double.NaN,
                Field.REQUIRED,
                Double.NaN,
                null,
                Double.NaN,
                Double.NaN,
                Double.NaN,
                Map.of());
        Map<Field, float[]> data = new EnumMap<>(Field.class);
        Field.REQUIRED.forEach(f -> data.put(f, full.field(f)));
        Path file = dir.resolve("sparse.fits");
        FitsCubeStore.write(file, new Cube(sparse, data));
        try (CubeReader back = FitsCubeStore.open(file)) {
            assertEquals(sparse, back.meta());
            assertNull(back.meta().meanFieldDirection());
            assertFalse(back.meta().fields().contains(Field.TEMPERATURE));
        }
    }

    @Test
    void theWrittenFileReadsWithPlainNomTam() throws Exception {
        Cube cube = cube(awkwardProvenance());
        Path file = dir.resolve("cube.fits");
        FitsCubeStore.write(file, cube);
        try (Fits fits = new Fits(file.toFile())) {
            BasicHDU<?>[] hdus = fits.read();
            assertEquals(1 + Field.values().length, hdus.length, "empty primary + one HDU per field");
            Header primary = hdus[0].getHeader();
            assertEquals(0, primary.getIntValue("NAXIS"));
            assertEquals("b3-s2.5-i90-seed1", primary.getStringValue("RUNID"));
            assertEquals("magmap", primary.getStringValue("ORIGIN"));
            assertTrue(primary.containsKey("DATE"));
            assertEquals(100.0 / 512, primary.getDoubleValue("CELLPC"));
            assertEquals(24, primary.getIntValue("GRIDNX"));
            assertTrue(primary.getBooleanValue("PERIODIC"));
            assertEquals(awkwardProvenance().size(), primary.getIntValue("NPROV"));
            List<String> history = FitsCards.history(primary);
            assertTrue(history.contains("provenance: seed = 42"), history.toString());

            for (int i = 1; i < hdus.length; i++) {
                Field f = Field.values()[i - 1];
                Header h = hdus[i].getHeader();
                assertEquals(f.key(), h.getStringValue("EXTNAME"));
                assertEquals(f.unit(), h.getStringValue("BUNIT"));
                assertEquals(-32, h.getIntValue("BITPIX"));
                assertEquals(24, h.getIntValue("NAXIS1"), "x");
                assertEquals(20, h.getIntValue("NAXIS2"), "y");
                assertEquals(12, h.getIntValue("NAXIS3"), "z");
                float[][][] zyx = (float[][][]) hdus[i].getKernel();
                float[] mem = cube.field(f);
                for (int[] p : new int[][] {{5, 0, 0}, {23, 19, 11}, {1, 2, 3}, {17, 4, 9}, {0, 19, 6}}) {
                    assertEquals(
                            mem[(int) GRID.index(p[0], p[1], p[2])],
                            zyx[p[2]][p[1]][p[0]],
                            f.key() + " at " + p[0] + "," + p[1] + "," + p[2]);
                }
            }
        }
    }

    @Test
    void aSlabIsAtMost64MiB() {
        // 512^2 floats are 1 MiB a plane: 64 planes make 64 MiB
        assertEquals(64, FitsCubeStore.slabPlanes(GridShape.cube(512)));
        // 1024^2 floats are 4 MiB a plane: 16 planes
        assertEquals(16, FitsCubeStore.slabPlanes(GridShape.cube(1024)));
        // small cubes go in one slab
        assertEquals(12, FitsCubeStore.slabPlanes(GRID));
        // a plane larger than the limit still makes progress, one plane at a time
        assertEquals(1, FitsCubeStore.slabPlanes(new GridShape(8192, 4096, 3)));
    }

    @Test
    void aFailingSourceLeavesNeitherACubeNorATemporaryFile() throws IOException {
        Cube cube = cube(Map.of());
        CubeReader failing = new CubeReader() {
            @Override
            public CubeMeta meta() {
                return cube.meta();
            }

            @Override
            public float[] readSlab(Field field, int z0, int planes) throws IOException {
                if (field == Field.B_X) {
                    throw new IOException("disk on fire");
                }
                return cube.readSlab(field, z0, planes);
            }
        };
        Path file = dir.resolve("never.fits");
        IOException e = assertThrows(IOException.class, () -> FitsCubeStore.write(file, failing));
        assertEquals("disk on fire", e.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "nothing under the final name, no temporary file");
        }
        // and a successful write replaces an older cube in one step
        FitsCubeStore.write(file, cube);
        FitsCubeStore.write(file, cube);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList());
        }
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }
}
