package org.magmap.train;

import org.deeplearning4j.nn.api.Model;

/**
 * Fine-tuning's start: a network built from this run's settings (its learning rate, betas and loss, fresh
 * optimiser state) takes every parameter of a saved model of the same architecture, batch-normalisation running
 * statistics included (DL4J keeps them among the parameters). Building afresh rather than restoring the saved
 * network and changing its learning rate matters: DL4J 1.0.0-M2.1's {@code setLearningRate} does not reach the
 * updater of SameDiff layers (the ResNet's instance norm kept its old rate in {@code InitialWeightsTest}).
 */
public final class InitialWeights {
    private InitialWeights() {}

    /**
     * Copies {@code saved}'s parameters into {@code fresh} (initialised).
     *
     * @throws IllegalArgumentException when the two hold different numbers of parameters
     */
    public static void copy(Model saved, Model fresh) {
        if (saved.numParams() != fresh.numParams()) {
            throw new IllegalArgumentException("the model to start from has " + saved.numParams()
                    + " parameters, the configured architecture " + fresh.numParams());
        }
        fresh.setParams(saved.params().dup());
    }
}
