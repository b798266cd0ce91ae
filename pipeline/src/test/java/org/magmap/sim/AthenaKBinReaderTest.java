package org.magmap.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.ops.BadInputException;

/**
 * Writes AthenaK {@code .bin} files byte by byte after AthenaK's own writer ({@code src/outputs/binary.cpp}:
 * ASCII preheader, {@code header offset=N}, N bytes of input dump, then per mesh block the block header and
 * every variable's cells x fastest), little-endian as x86 writes them, and reads them back.
 *
 * <p>The mesh: 8x6x4 cells in mesh blocks of 4x3x2, i.e. 2x2x2 blocks, written in reverse logical order so
 * that only the logical locations can put them in place. Domain x1 in [-0.5, 0.5], x2 in [-0.375, 0.375],
 * x3 in [0, 0.5], so cells are 0.125 code units on every axis. Values are analytic in the global cell
 * indices (see {@link #value}).
 */
class AthenaKBinReaderTest {
    static final int NX = 8;
    static final int NY = 6;
    static final int NZ = 4;
    static final int BX = 4;
    static final int BY = 3;
    static final int BZ = 2;
    static final int NGHOST = 2;
    static final String[] VARS = {"dens", "velx", "vely", "velz", "eint", "bcc1", "bcc2", "bcc3"};

    /** 1e-24 g cm^-3, 2 pc and 1 km/s per code unit. */
    static final CodeUnits UNITS = new CodeUnits(1e-24, 2.0, 1.0);

    /**
     * One code unit of B under {@link #UNITS}, worked by hand: sqrt(4 pi * 1e-24 g cm^-3) = 3.5449077e-12
     * (sqrt(4 pi) = 3.5449077), times v_unit = 1e5 cm/s gives 3.5449077e-7 G = 0.35449077 uG.
     */
    static final double B_UNIT_MICROGAUSS = 0.35449077;

    @TempDir
    Path dir;

    enum Header {
        /** binary.cpp since November 2022: 6 index bounds, 4 logical-location ints, 6 bounds. */
        CURRENT,
        /** binary.cpp August to November 2022: 4 logical-location ints, 6 bounds. */
        EARLY
    }

    /** Variable {@code var} at global cell (x, y, z), in code units. */
    static double value(String var, int x, int y, int z) {
        return switch (var) {
            case "dens" -> 1 + x + 10 * y + 100 * z;
            case "velx" -> x - y;
            case "vely" -> 2 * z;
            case "velz" -> -0.5 * x;
            case "eint" -> 7;
            case "bcc1" -> 2 + x;
            case "bcc2" -> -y;
            case "bcc3" -> 0.25 * z;
            default -> throw new IllegalArgumentException(var);
        };
    }

    /** Options of a hand-written file; the defaults describe a correct one. */
    static final class Spec {
        Header header = Header.CURRENT;
        int locationBytes = 8;
        int valueBytes = 4;
        /** This block's index bounds claim {@link #bumpOke} more z-planes than it holds, or -1. */
        int badBoundsBlock = -1;

        int bumpOke = 0;
        /** This block is written on refinement level 1, or -1. */
        int otherLevelBlock = -1;
    }

    static byte[] write(Spec s) {
        String dump = String.join(
                "\n",
                "#------------------------- PAR_DUMP -------------------------",
                "<job>",
                "basename   = turb      # problem ID",
                "<mesh>",
                "nghost     = " + NGHOST,
                "nx1        = " + NX + "         # cells in x1",
                "x1min      = -0.5",
                "x1max      = 0.5",
                "ix1_bc     = periodic",
                "ox1_bc     = periodic",
                "nx2        = " + NY,
                "x2min      = -0.375",
                "x2max      = 0.375",
                "ix2_bc     = periodic",
                "ox2_bc     = periodic",
                "nx3        = " + NZ,
                "x3min      = 0.0",
                "x3max      = 0.5",
                "ix3_bc     = periodic",
                "ox3_bc     = periodic",
                "<meshblock>",
                "nx1        = " + BX,
                "nx2        = " + BY,
                "nx3        = " + BZ,
                "<mhd>",
                "eos        = ideal",
                "#------------------------- PAR_DUMP -------------------------",
                "<par_end>",
                "");
        StringBuilder pre = new StringBuilder();
        pre.append("Athena binary output version=1.1\n")
                .append("  size of preheader=5\n")
                .append("  time=1.5\n")
                .append("  cycle=100\n")
                .append("  size of location=")
                .append(s.locationBytes)
                .append('\n')
                .append("  size of variable=")
                .append(s.valueBytes)
                .append('\n')
                .append("  number of variables=")
                .append(VARS.length)
                .append('\n')
                .append("  variables:  ");
        for (String v : VARS) {
            pre.append(v).append("  ");
        }
        pre.append('\n').append("  header offset=").append(dump.length()).append('\n');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(pre.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(dump.getBytes(StandardCharsets.US_ASCII));

        List<int[]> blocks = new ArrayList<>();
        for (int lz = 0; lz < NZ / BZ; lz++) {
            for (int ly = 0; ly < NY / BY; ly++) {
                for (int lx = 0; lx < NX / BX; lx++) {
                    blocks.add(new int[] {lx, ly, lz});
                }
            }
        }
        Collections.reverse(blocks);
        double dx = 0.125;
        for (int b = 0; b < blocks.size(); b++) {
            int[] l = blocks.get(b);
            int cells = BX * BY * BZ;
            ByteBuffer bb = ByteBuffer.allocate(40 + 6 * s.locationBytes + VARS.length * cells * s.valueBytes)
                    .order(ByteOrder.LITTLE_ENDIAN);
            if (s.header == Header.CURRENT) {
                // output index bounds are MeshBlock indices, which start after the ghost cells
                bb.putInt(NGHOST).putInt(NGHOST + BX - 1);
                bb.putInt(NGHOST).putInt(NGHOST + BY - 1);
                bb.putInt(NGHOST).putInt(NGHOST + BZ - 1 + (b == s.badBoundsBlock ? s.bumpOke : 0));
            }
            bb.putInt(l[0]).putInt(l[1]).putInt(l[2]).putInt(b == s.otherLevelBlock ? 1 : 0);
            double[] lo = {-0.5 + l[0] * BX * dx, -0.375 + l[1] * BY * dx, l[2] * BZ * dx};
            int[] n = {BX, BY, BZ};
            for (int a = 0; a < 3; a++) {
                putReal(bb, s.locationBytes, lo[a]);
                putReal(bb, s.locationBytes, lo[a] + n[a] * dx);
            }
            for (String v : VARS) {
                for (int k = 0; k < BZ; k++) {
                    for (int j = 0; j < BY; j++) {
                        for (int i = 0; i < BX; i++) {
                            putReal(bb, s.valueBytes, value(v, l[0] * BX + i, l[1] * BY + j, l[2] * BZ + k));
                        }
                    }
                }
            }
            out.write(bb.array(), 0, bb.position());
        }
        return out.toByteArray();
    }

    private static void putReal(ByteBuffer bb, int bytes, double v) {
        if (bytes == 8) {
            bb.putDouble(v);
        } else {
            bb.putFloat((float) v);
        }
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void currentLayoutAssemblesEveryCellInMagmapUnits() throws IOException {
        Path p = file("turb.mhd_w_bcc.00042.bin", write(new Spec()));
        try (AthenaKBinReader r = AthenaKBinReader.open(p, UNITS)) {
            assertEquals(AthenaKBinReader.BlockLayout.INDEX_BOUNDS, r.layout());
            assertEquals(List.of(VARS), r.variables());
            CubeMeta m = r.meta();
            assertEquals(new GridShape(NX, NY, NZ), m.shape());
            assertEquals("turb.mhd_w_bcc.00042", m.runId());
            assertEquals(42, m.snapshot());
            assertEquals("athenak", m.sourceCode());
            assertTrue(m.periodic());
            assertEquals(EnumSet.range(Field.DENSITY, Field.B_Z), m.fields(), "eint is not a magmap field");
            // 0.125 code lengths of 2 pc
            assertEquals(0.25, m.cellSizePc(), 1e-12);
            // t_unit = 2 pc / (1 km/s); 1 pc / (1 km/s) = 0.97779 Myr (1 km/s = 1.02271 pc/Myr), so 1.5 code
            // times are 1.5 * 2 * 0.97779 Myr
            assertEquals(1.5 * 2 * 0.97779, m.timeMyr(), 1e-4);

            assertField(r, Field.DENSITY, "dens", 1e-24);
            assertField(r, Field.VELOCITY_X, "velx", 1.0);
            assertField(r, Field.VELOCITY_Y, "vely", 1.0);
            assertField(r, Field.VELOCITY_Z, "velz", 1.0);
            assertField(r, Field.B_X, "bcc1", B_UNIT_MICROGAUSS);
            assertField(r, Field.B_Y, "bcc2", B_UNIT_MICROGAUSS);
            assertField(r, Field.B_Z, "bcc3", B_UNIT_MICROGAUSS);

            // the hand-worked number: bcc1 = 2 code units at x = 0 is 2 * 0.35449077 uG
            assertEquals(0.70898154, r.readField(Field.B_X)[0], 1e-6);
            assertThrows(IllegalArgumentException.class, () -> r.readSlab(Field.TEMPERATURE, 0, 1));
        }
    }

    private static void assertField(AthenaKBinReader r, Field f, String var, double factor) throws IOException {
        float[] a = r.readField(f);
        assertEquals(NX * NY * NZ, a.length);
        for (int z = 0; z < NZ; z++) {
            for (int y = 0; y < NY; y++) {
                for (int x = 0; x < NX; x++) {
                    double want = value(var, x, y, z) * factor;
                    float got = a[(int) r.meta().shape().index(x, y, z)];
                    assertEquals(want, got, 1e-6 * Math.abs(want) + 1e-30, var + " at " + x + "," + y + "," + z);
                }
            }
        }
    }

    @Test
    void slabsAcrossBlockBoundariesMatchTheWholeField() throws IOException {
        Path p = file("turb.bin", write(new Spec()));
        try (AthenaKBinReader r = AthenaKBinReader.open(p, UNITS, "slab-run")) {
            assertEquals("slab-run", r.meta().runId());
            float[] all = r.readField(Field.DENSITY);
            int plane = NX * NY;
            // planes 1..2 straddle the blocks' z boundary at 2
            assertArrayEquals(Arrays.copyOfRange(all, plane, 3 * plane), r.readSlab(Field.DENSITY, 1, 2));
            assertArrayEquals(Arrays.copyOfRange(all, 3 * plane, 4 * plane), r.readSlab(Field.DENSITY, 3, 1));
        }
    }

    @Test
    void earlyLayoutGivesTheSameCube() throws IOException {
        Spec early = new Spec();
        early.header = Header.EARLY;
        Path pe = file("early.bin", write(early));
        Path pc = file("current.bin", write(new Spec()));
        try (AthenaKBinReader e = AthenaKBinReader.open(pe, UNITS);
                AthenaKBinReader c = AthenaKBinReader.open(pc, UNITS)) {
            assertEquals(AthenaKBinReader.BlockLayout.LOGICAL_ONLY, e.layout());
            assertEquals(c.meta().shape(), e.meta().shape());
            assertEquals(c.meta().cellSizePc(), e.meta().cellSizePc(), 1e-12);
            for (Field f : c.meta().fields()) {
                assertArrayEquals(c.readField(f), e.readField(f), f.key());
            }
        }
    }

    @Test
    void floatLocationsAndDoubleValuesAreRead() throws IOException {
        Spec s = new Spec();
        s.locationBytes = 4;
        s.valueBytes = 8;
        Path p = file("mixed.bin", write(s));
        try (AthenaKBinReader r = AthenaKBinReader.open(p, UNITS)) {
            assertEquals(0.25, r.meta().cellSizePc(), 1e-6);
            assertField(r, Field.DENSITY, "dens", 1e-24);
            assertField(r, Field.B_Z, "bcc3", B_UNIT_MICROGAUSS);
        }
    }

    @Test
    void truncatedFileIsRefusedWithTheSizes() throws IOException {
        byte[] whole = write(new Spec());
        Path p = file("cut.bin", Arrays.copyOf(whole, whole.length - 10));
        BadInputException e = assertThrows(BadInputException.class, () -> AthenaKBinReader.open(p, UNITS));
        // one block: 10 int32 + 6 doubles + 8 variables x 24 cells x 4 bytes = 40 + 48 + 768 = 856 bytes;
        // 8 blocks make 6848 bytes, 10 fewer are 6838
        assertEquals(p.toString(), e.source());
        assertTrue(e.getMessage().contains("6838 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("blocks of 856 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("does not divide"), e.getMessage());
    }

    @Test
    void blockClaimingAnotherSizeIsRefused() throws IOException {
        // block 0 claims 3 z-planes in its index bounds: its size would be 40 + 48 + 8 * 36 * 4 = 1240 bytes,
        // which does not divide the 6848 bytes the 8 blocks of 2 planes fill
        Spec first = new Spec();
        first.badBoundsBlock = 0;
        first.bumpOke = 1;
        Path p0 = file("bad0.bin", write(first));
        BadInputException e0 = assertThrows(BadInputException.class, () -> AthenaKBinReader.open(p0, UNITS));
        assertTrue(e0.getMessage().startsWith(p0.toString()), e0.getMessage());
        assertTrue(e0.getMessage().contains("blocks of 1240 bytes"), e0.getMessage());

        // a later block claiming another size, though the file's length fits the first block's size
        Spec later = new Spec();
        later.badBoundsBlock = 3;
        later.bumpOke = 1;
        Path p3 = file("bad3.bin", write(later));
        BadInputException e3 = assertThrows(BadInputException.class, () -> AthenaKBinReader.open(p3, UNITS));
        assertTrue(e3.getMessage().startsWith(p3.toString()), e3.getMessage());
        assertTrue(e3.getMessage().contains("mesh block 3"), e3.getMessage());
        assertTrue(e3.getMessage().contains("k=2..4"), e3.getMessage());
    }

    @Test
    void mixedRefinementLevelsAreRefused() throws IOException {
        Spec s = new Spec();
        s.otherLevelBlock = 5;
        Path p = file("amr.bin", write(s));
        BadInputException e = assertThrows(BadInputException.class, () -> AthenaKBinReader.open(p, UNITS));
        assertTrue(e.getMessage().contains("several refinement levels"), e.getMessage());
        assertTrue(e.getMessage().contains("{0=7, 1=1}"), e.getMessage());
    }

    @Test
    void otherFilesAreRefusedByName() throws IOException {
        Path p = file("notes.bin", "SIMPLE  =                    T\n".getBytes(StandardCharsets.US_ASCII));
        BadInputException e = assertThrows(BadInputException.class, () -> AthenaKBinReader.open(p, UNITS));
        assertTrue(e.getMessage().contains("not an AthenaK binary output"), e.getMessage());
        assertEquals(p.toString(), e.source());

        Path missing = dir.resolve("absent.bin");
        BadInputException m = assertThrows(BadInputException.class, () -> AthenaKBinReader.open(missing, UNITS));
        assertEquals(missing.toString(), m.source());
    }

    @Test
    void codeUnitsConvertAsDocumented() {
        CodeUnits u = new CodeUnits(1e-24, 2.0, 1.0);
        assertEquals(B_UNIT_MICROGAUSS, u.magneticFieldMicrogauss(), 1e-7);
        assertEquals(1e-24, u.toMagmap(Field.DENSITY));
        assertEquals(1.0, u.toMagmap(Field.VELOCITY_Y));
        assertThrows(IllegalArgumentException.class, () -> new CodeUnits(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> u.toMagmap(Field.TEMPERATURE));
    }
}
