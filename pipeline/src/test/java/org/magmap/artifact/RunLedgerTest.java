package org.magmap.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.ops.BadInputException;

class RunLedgerTest {
    @TempDir
    Path dir;

    private static RunLedger.Entry entry(String input, RunLedger.Status status) {
        return new RunLedger.Entry(
                input,
                2880,
                1_700_000_000_000L,
                "ab".repeat(32),
                "m",
                "c",
                "/o/" + input,
                status,
                "r1",
                "2026-12-04T00:00:00Z",
                1.5,
                status == RunLedger.Status.FAILED ? input + ": truncated" : "");
    }

    @Test
    void aLedgerReadsBackAsWrittenAndReplacesTheOldOneWhole() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.toString());
        assertTrue(RunLedger.read(fs, out).entries().isEmpty(), "no ledger yet: empty");
        RunLedger one = RunLedger.empty("x").with(entry("/s/b.fits", RunLedger.Status.OK));
        one.write(fs, out, "test");
        RunLedger two = RunLedger.read(fs, out)
                .with(entry("/s/a.fits", RunLedger.Status.FAILED))
                .with(entry("/s/b.fits", RunLedger.Status.PARTIAL));
        two.write(fs, out, "test");
        RunLedger back = RunLedger.read(fs, out);
        assertEquals(
                java.util.List.of("/s/a.fits", "/s/b.fits"),
                java.util.List.copyOf(back.entries().keySet()));
        assertEquals(entry("/s/a.fits", RunLedger.Status.FAILED), back.entry("/s/a.fits"));
        assertEquals(RunLedger.Status.PARTIAL, back.entry("/s/b.fits").status());
        try (var files = Files.list(dir)) {
            assertEquals(
                    java.util.List.of("ledger.json"),
                    files.map(p -> p.getFileName().toString())
                            .filter(n -> !n.endsWith(".crc"))
                            .toList(),
                    "no temporary file left");
        }
    }

    @Test
    void aLedgerOfANewerMagmapOrAnotherKindIsRefusedByName() throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Files.writeString(dir.resolve("ledger.json"), "{\"kind\": \"magmap-nightly-ledger\", \"schema-version\": 99}");
        BadInputException newer = assertThrows(
                BadInputException.class, () -> RunLedger.read(fs, new org.apache.hadoop.fs.Path(dir.toString())));
        assertTrue(
                newer.getMessage().contains("ledger.json") && newer.getMessage().contains("newer magmap"),
                newer.getMessage());
        Files.writeString(dir.resolve("ledger.json"), "{\"kind\": \"magmap-model-card\"}");
        BadInputException other = assertThrows(
                BadInputException.class, () -> RunLedger.read(fs, new org.apache.hadoop.fs.Path(dir.toString())));
        assertTrue(other.getMessage().contains("'kind'"), other.getMessage());
    }
}
