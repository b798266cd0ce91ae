package org.magmap.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.magmap.conf.ConfigException;
import org.magmap.conf.MagmapConfig;
import org.magmap.model.Cnn;

class TrainSettingsTest {
    private static TrainSettings read(Map<String, String> overrides) {
        return TrainSettings.from(MagmapConfig.load(List.of(), overrides).section("magmap.train"), 32);
    }

    @Test
    void theDefaultsAreThePapersCnnWithDihedralAugmentation() {
        TrainSettings s = read(Map.of());
        assertEquals(Cnn.Config.paper(s.cnn().seed()), s.cnn());
        assertTrue(s.cnnDihedral());
        assertTrue(s.cresnetDihedral());
    }

    @Test
    void theResNetAugmentationIsReadOnItsOwn() {
        TrainSettings s =
                read(Map.of("magmap.train.model", "cresnet", "magmap.train.cresnet.dihedral-augmentation", "false"));
        assertEquals(false, s.cresnetDihedral());
        assertTrue(s.cnnDihedral(), "the cnn's switch is its own");
        assertTrue(!s.architecture().contains("dihedral"), s.architecture());
        assertTrue(read(Map.of("magmap.train.model", "cresnet")).architecture().contains("dihedral augmentation"));
    }

    @Test
    void thePsiLossWeightIsReadAndMustBePositive() {
        assertEquals(1.0, read(Map.of()).cresnet().psiLossWeight(), "the paper's plain MSE by default");
        TrainSettings s = read(Map.of("magmap.train.model", "cresnet", "magmap.train.cresnet.psi-loss-weight", "4"));
        assertEquals(4.0, s.cresnet().psiLossWeight());
        assertArrayEquals(new double[] {4, 4, 1, 1, 1, 1}, s.cresnet().lossWeights());
        assertTrue(s.architecture().contains("psi maps weigh 4.0"), s.architecture());
        ConfigException e =
                assertThrows(ConfigException.class, () -> read(Map.of("magmap.train.cresnet.psi-loss-weight", "0")));
        assertTrue(e.getMessage().contains("magmap.train") && e.getMessage().contains("psiLossWeight"), e.getMessage());
    }

    @Test
    void theHeadAndTheAugmentationAreRead() {
        TrainSettings s = read(
                Map.of("magmap.train.cnn.head", "global-average", "magmap.train.cnn.dihedral-augmentation", "false"));
        assertEquals(Cnn.Head.GLOBAL_AVERAGE, s.cnn().head());
        assertEquals(false, s.cnnDihedral());
        assertTrue(s.architecture().contains("global-average"), s.architecture());
    }

    @Test
    void anUnknownHeadIsRefusedNamingTheSection() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of("magmap.train.cnn.head", "average")));
        assertTrue(e.getMessage().contains("magmap.train") && e.getMessage().contains("average"), e.getMessage());
    }
}
