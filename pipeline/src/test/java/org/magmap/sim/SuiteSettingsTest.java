package org.magmap.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.magmap.conf.ConfigException;
import org.magmap.conf.MagmapConfig;

class SuiteSettingsTest {
    private static SuiteSettings suite(Map<String, String> overrides) {
        return SuiteSettings.from(MagmapConfig.load(List.of(), overrides).section("magmap.simulate"));
    }

    @Test
    void theDefaultSuiteIsTheHiPaperGridWithTwoSnapshotsAndTheUnseenRun() {
        List<TurbulenceSpec> specs = suite(Map.of()).specs();
        // 3 field strengths x 3 dispersions x 2 snapshots + the unseen run x 2 snapshots
        assertEquals(3 * 3 * 2 + 2, specs.size());
        assertEquals("b1-s1.25-seed1-snap0", specs.get(0).runId());
        assertEquals("b1-s1.25-seed1-snap1", specs.get(1).runId());
        TurbulenceSpec unseen = specs.get(specs.size() - 2);
        assertEquals("unseen-b4-s2.5-seed1-snap0", unseen.runId());
        assertEquals(4.0, unseen.b0Microgauss());
        assertEquals(2.5, unseen.sigmaVKmPerS());
        assertEquals(64, unseen.gridSize(), "extra runs inherit the section's scalars");
    }

    @Test
    void fieldLineSmoothingIsOffByDefaultAndAnExtraRunMaySetItsOwn() {
        assertEquals(0.0, suite(Map.of()).specs().get(0).fieldLineSmoothingCells());
        assertTrue(!suite(Map.of()).specs().get(0).asProvenance().containsKey("field-line-smoothing-cells"));
        SuiteSettings s = suite(Map.of(
                "magmap.simulate.field-line-smoothing-cells", "3",
                "magmap.simulate.extra-runs",
                        "[{name = plain, b0-microgauss = 2, sigma-v-km-per-s = 2.5, field-line-smoothing-cells = 0}]"));
        assertEquals(3.0, s.specs().get(0).fieldLineSmoothingCells());
        assertEquals("3.00000", s.specs().get(0).asProvenance().get("field-line-smoothing-cells"));
        assertEquals(0.0, s.specs().get(s.specs().size() - 1).fieldLineSmoothingCells());
        assertThrows(ConfigException.class, () -> suite(Map.of("magmap.simulate.field-line-smoothing-cells", "-1")));
    }

    @Test
    void plasmaBetaSetsTheFieldFromThePressureBalance() {
        SuiteSettings s = suite(Map.of(
                "magmap.simulate.plasma-beta", "[100]",
                "magmap.simulate.sigma-v-km-per-s", "[300]",
                "magmap.simulate.sound-speed-km-per-s", "1000",
                "magmap.simulate.mean-density-per-cm3", "0.001",
                "magmap.simulate.extra-runs", "[]",
                "magmap.simulate.snapshots", "1"));
        assertEquals(1, s.specs().size());
        // beta = 8 pi rho c_s^2 / B^2 -> B = sqrt(8 pi * 1.4 * 1.6735575e-24 * 1e-3 * (1e8)^2 / 100) G
        double rho = 1.4 * 1.6735575e-24 * 1e-3;
        double expectedMicrogauss = Math.sqrt(8 * Math.PI * rho * 1e16 / 100) * 1e6; // about 2.42 uG
        assertEquals(expectedMicrogauss, s.specs().get(0).b0Microgauss(), 1e-9 * expectedMicrogauss);
        assertEquals("beta100-s300-seed1-snap0", s.specs().get(0).runId());
    }

    @Test
    void anUnknownKeyInAnExtraRunIsNamed() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> suite(Map.of("magmap.simulate.extra-runs", "[{name = x, b0-microgaus = 4}]")));
        assertTrue(e.getMessage().contains("b0-microgaus"), e.getMessage());
    }

    @Test
    void impossibleParametersFailBeforeAnyWork() {
        ConfigException e = assertThrows(ConfigException.class, () -> suite(Map.of("magmap.simulate.grid-size", "63")));
        assertTrue(e.getMessage().contains("grid size must be even"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> suite(Map.of("magmap.simulate.sigma-v-km-per-s", "[-1]")));
        assertTrue(e.getMessage().contains("sigma_v"), e.getMessage());
    }

    @Test
    void theCanonicalTextChangesWithAnyParameter() {
        String a = suite(Map.of()).canonical();
        String b = suite(Map.of("magmap.simulate.seed", "2")).canonical();
        String c = suite(Map.of("magmap.simulate.dissipation-cells", "5")).canonical();
        assertTrue(!a.equals(b) && !a.equals(c) && !b.equals(c));
        assertEquals(a, suite(Map.of()).canonical());
    }
}
