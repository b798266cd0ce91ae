package org.magmap.nightly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.magmap.artifact.RunLedger;

class NightlyPlanTest {
    private static final String MODEL = "m1";
    private static final String CONFIG = "c1";

    private static InputFile now(String fingerprint, long size, long modified) {
        return new InputFile("/survey/a.fits", size, modified, fingerprint, "");
    }

    private static RunLedger.Entry before(String fingerprint, long size, long modified, RunLedger.Status status) {
        return new RunLedger.Entry(
                "/survey/a.fits", size, modified, fingerprint, MODEL, CONFIG, "/out/a", status, "r1", "", 1.0, "");
    }

    @Test
    void onlyWhatIsNewChangedOrDueIsProcessed() {
        RunLedger.Entry ok = before("f1", 10, 100, RunLedger.Status.OK);
        assertEquals(
                new NightlyPlan.Decision(true, "new"),
                NightlyPlan.decide(now("f1", 10, 100), null, MODEL, CONFIG, false));
        assertFalse(
                NightlyPlan.decide(now("f1", 10, 100), ok, MODEL, CONFIG, true).process(), "unchanged");
        // A touched file with the same bytes is the same input; a rewritten one of the same size is not.
        assertFalse(
                NightlyPlan.decide(now("f1", 10, 999), ok, MODEL, CONFIG, true).process());
        assertEquals(
                "changed",
                NightlyPlan.decide(now("f2", 10, 100), ok, MODEL, CONFIG, true).reason());
        assertEquals(
                "the model changed",
                NightlyPlan.decide(now("f1", 10, 100), ok, "m2", CONFIG, true).reason());
        assertEquals(
                "the settings changed",
                NightlyPlan.decide(now("f1", 10, 100), ok, MODEL, "c2", true).reason());
        NightlyPlan.Decision gone = NightlyPlan.decide(now("f1", 10, 100), ok, MODEL, CONFIG, false);
        assertTrue(gone.process() && gone.reason().contains("/out/a is missing"), gone.reason());
    }

    @Test
    void aFailedInputIsRetriedOnlyOnceSomethingChanged() {
        RunLedger.Entry failed = before("f1", 10, 100, RunLedger.Status.FAILED);
        NightlyPlan.Decision same = NightlyPlan.decide(now("f1", 10, 200), failed, MODEL, CONFIG, false);
        assertFalse(same.process());
        assertTrue(same.reason().contains("failed in run r1"), same.reason());
        assertTrue(NightlyPlan.decide(now("f2", 10, 200), failed, MODEL, CONFIG, false)
                .process());
        assertTrue(NightlyPlan.decide(now("f1", 10, 100), failed, "m2", CONFIG, false)
                .process());
        // Unreadable then and now: the same bad file only while its size and time stay.
        RunLedger.Entry unreadable = before("", 10, 100, RunLedger.Status.FAILED);
        assertFalse(NightlyPlan.decide(now("", 10, 100), unreadable, MODEL, CONFIG, false)
                .process());
        assertTrue(NightlyPlan.decide(now("", 10, 101), unreadable, MODEL, CONFIG, false)
                .process());
    }

    @Test
    void aRecordedFingerprintStandsOnlyForTheSameSizeAndTime() {
        RunLedger.Entry ok = before("f1", 10, 100, RunLedger.Status.OK);
        assertTrue(NightlyPlan.fingerprintStillValid(now("", 10, 100), ok));
        assertFalse(NightlyPlan.fingerprintStillValid(now("", 11, 100), ok));
        assertFalse(NightlyPlan.fingerprintStillValid(now("", 10, 101), ok));
        assertFalse(NightlyPlan.fingerprintStillValid(now("", 10, 100), null));
        assertFalse(NightlyPlan.fingerprintStillValid(now("", 10, 100), before("", 10, 100, RunLedger.Status.FAILED)));
    }

    @Test
    void outputNamesAreReadableAndDistinctForOneNameInTwoFolders() {
        String a = NightlyPlan.outputName("hdfs://nn:8020/survey/2026-12-01/cube 7.fits");
        String b = NightlyPlan.outputName("hdfs://nn:8020/survey/2026-12-02/cube 7.fits");
        assertTrue(a.matches("cube_7-[0-9a-f]{8}"), a);
        assertNotEquals(a, b);
        assertEquals(a, NightlyPlan.outputName("hdfs://nn:8020/survey/2026-12-01/cube 7.fits"), "stable");
    }

    @Test
    void fingerprintsAreSha256OfTheBytes() throws Exception {
        // FIPS 180-2, appendix B.1: SHA-256("abc").
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                Fingerprints.sha256(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                NightlyPlan.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
    }
}
