package org.magmap.train;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.Set;
import org.magmap.batch.Conditions;
import org.magmap.conf.ConfigException;
import org.magmap.conf.ConfigNames;
import org.magmap.model.CResNetConfig;
import org.magmap.model.Cnn;
import org.magmap.predict.MapTargets;

/**
 * The {@code magmap.train} settings, read once.
 *
 * @param model network name: "cnn" (scalar target) or "cresnet" (target maps)
 * @param target scalar target column (cnn)
 * @param epochs maximum epochs
 * @param patience epochs without validation improvement before stopping
 * @param distribution how training is spread over the executors
 * @param maxTrainPatches cap on training patches per epoch (0: all)
 * @param psnrEvery cresnet: epochs between PSNR evaluations (which select the checkpoint)
 * @param cnn the CNN's architecture and optimiser
 * @param cnnDihedral cnn: show each training patch under a random one of its 8 rotations and mirrors, drawn anew
 *     every epoch ({@link org.magmap.patch.Dihedral}; exact, and a scalar label does not change)
 * @param cresnet the conditional ResNet's architecture and optimiser
 * @param cresnetDihedral cresnet: the same augmentation for the image-to-image model, with every target map moved
 *     along and psi turned with the image
 */
public record TrainSettings(
        String model,
        String target,
        int epochs,
        int patience,
        Distribution distribution,
        long maxTrainPatches,
        int psnrEvery,
        Cnn.Config cnn,
        boolean cnnDihedral,
        CResNetConfig cresnet,
        boolean cresnetDihedral)
        implements Serializable {
    /** The networks this version trains. */
    public static final Set<String> MODELS = Set.of("cnn", "cresnet");

    public TrainSettings {
        if (!MODELS.contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "' (cnn or cresnet)");
        }
        if (!Set.of("b_ug", "m_a", "m_s", "gamma_deg").contains(target)) {
            throw new IllegalArgumentException("unknown scalar target '" + target + "' (b_ug, m_a, m_s, gamma_deg)");
        }
        if (epochs < 1 || patience < 1 || psnrEvery < 1 || maxTrainPatches < 0) {
            throw new IllegalArgumentException("epochs, patience and psnr-every must be positive");
        }
    }

    /** Reads the section, naming the key at fault. */
    public static TrainSettings from(Config c, int patchSize) {
        try {
            Cnn.Config cnn = new Cnn.Config(
                    patchSize,
                    c.getIntList("cnn.block-channels"),
                    c.getInt("cnn.dense-units"),
                    Cnn.Head.parse(c.getString("cnn.head")),
                    c.getDouble("learning-rate"),
                    c.getDouble("beta1"),
                    c.getDouble("beta2"),
                    c.getLong("seed"));
            CResNetConfig cresnet = new CResNetConfig(
                    patchSize,
                    1,
                    Conditions.COLUMNS.size(),
                    c.getInt("cresnet.base-channels"),
                    c.getInt("cresnet.residual-blocks"),
                    MapTargets.COLUMNS.size(),
                    c.getDouble("learning-rate"),
                    c.getLong("seed"),
                    CResNetConfig.Norm.parse(c.getString("cresnet.normalization")),
                    c.getDouble("cresnet.psi-loss-weight"));
            Distribution distribution = new Distribution(
                    c.getString("distribution"),
                    c.getInt("batch-size-per-worker"),
                    c.getInt("averaging-frequency"),
                    c.getInt("gradient-sharing.port"),
                    c.getString("gradient-sharing.network-mask"),
                    c.getDouble("gradient-sharing.threshold"));
            if (c.getString("model").equals("cresnet")
                    && (c.getDouble("beta1") != 0.5 || c.getDouble("beta2") != 0.999)) {
                // CResNet builds its Adam with the paper's betas; a silently ignored setting would mislead
                throw new IllegalArgumentException("beta1/beta2: the cresnet uses the H I paper's 0.5 and 0.999");
            }
            return new TrainSettings(
                    c.getString("model"),
                    c.getString("target"),
                    c.getInt("epochs"),
                    c.getInt("patience"),
                    distribution,
                    c.getLong("max-train-patches"),
                    c.getInt("cresnet.psnr-every"),
                    cnn,
                    c.getBoolean("cnn.dihedral-augmentation"),
                    cresnet,
                    c.getBoolean("cresnet.dihedral-augmentation"));
        } catch (com.typesafe.config.ConfigException | IllegalArgumentException e) {
            throw new ConfigException("magmap.train: " + e.getMessage(), e);
        }
    }

    /**
     * These settings for input images of {@code channels} maps (a stacked observable, {@link
     * org.magmap.patch.StackedObservable}); the cresnet takes any number, the CNN one.
     *
     * @throws IllegalArgumentException for more than one channel on the CNN
     */
    public TrainSettings withInputChannels(int channels) {
        if (channels != 1 && model.equals("cnn")) {
            throw new IllegalArgumentException(
                    "the cnn reads one map per patch, not a stack of " + channels + " (train the cresnet on stacks)");
        }
        return new TrainSettings(
                model,
                target,
                epochs,
                patience,
                distribution,
                maxTrainPatches,
                psnrEvery,
                cnn,
                cnnDihedral,
                cresnet.withInputChannels(channels),
                cresnetDihedral);
    }

    /** The architecture of the chosen model, for logs. */
    public String architecture() {
        return model.equals("cnn")
                ? "cnn " + cnn.blockChannels() + " " + ConfigNames.of(cnn.head())
                        + " dense " + cnn.denseUnits() + (cnnDihedral ? ", dihedral augmentation" : "")
                        + ", target " + target
                : "cresnet" + (cresnet.inputChannels() > 1 ? " on " + cresnet.inputChannels() + " input maps" : "")
                        + " base " + cresnet.baseChannels() + " x " + cresnet.residualBlocks() + " residual blocks -> "
                        + MapTargets.COLUMNS
                        + (cresnet.psiLossWeight() != 1
                                ? ", psi maps weigh " + cresnet.psiLossWeight() + " in the loss"
                                : "")
                        + (cresnetDihedral ? ", dihedral augmentation" : "");
    }
}
