package org.magmap.train;

import com.typesafe.config.Config;
import java.io.Serializable;
import org.magmap.conf.ConfigException;
import org.magmap.model.Cnn;

/**
 * The {@code magmap.train} settings, read once.
 *
 * @param model network name ("cnn")
 * @param target scalar target column
 * @param epochs maximum epochs
 * @param patience epochs without validation improvement before stopping
 * @param batchSizePerWorker mini-batch per worker
 * @param averagingFrequency mini-batches between parameter averages
 * @param maxTrainPatches cap on training patches per epoch (0: all)
 * @param cnn the CNN's architecture and optimiser
 */
public record TrainSettings(
        String model,
        String target,
        int epochs,
        int patience,
        int batchSizePerWorker,
        int averagingFrequency,
        long maxTrainPatches,
        Cnn.Config cnn)
        implements Serializable {
    public TrainSettings {
        if (!model.equals("cnn")) {
            throw new IllegalArgumentException("unknown model '" + model + "' (this version trains: cnn)");
        }
        if (!java.util.Set.of("b_ug", "m_a", "m_s", "gamma_deg").contains(target)) {
            throw new IllegalArgumentException("unknown scalar target '" + target + "' (b_ug, m_a, m_s, gamma_deg)");
        }
        if (epochs < 1 || patience < 1 || batchSizePerWorker < 1 || averagingFrequency < 1 || maxTrainPatches < 0) {
            throw new IllegalArgumentException("epochs, patience, batch size and averaging frequency must be positive");
        }
    }

    /** Reads the section, naming the key at fault. */
    public static TrainSettings from(Config c, int patchSize) {
        try {
            Cnn.Config cnn = new Cnn.Config(
                    patchSize,
                    c.getIntList("cnn.block-channels"),
                    c.getInt("cnn.dense-units"),
                    c.getDouble("learning-rate"),
                    c.getDouble("beta1"),
                    c.getDouble("beta2"),
                    c.getLong("seed"));
            return new TrainSettings(
                    c.getString("model"),
                    c.getString("target"),
                    c.getInt("epochs"),
                    c.getInt("patience"),
                    c.getInt("batch-size-per-worker"),
                    c.getInt("averaging-frequency"),
                    c.getLong("max-train-patches"),
                    cnn);
        } catch (com.typesafe.config.ConfigException | IllegalArgumentException e) {
            throw new ConfigException("magmap.train: " + e.getMessage(), e);
        }
    }
}
