package org.magmap.predict;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The mean of several models' outputs: an ensemble's prediction, in training units. Averaging is the right
 * combination for every map: the targets are scaled linearly (the same scaling for every member, which the model
 * cards' check ensures), and psi is read from the mean (cos 2psi, sin 2psi) vector as in {@link
 * DihedralMeanRunner}. Members trained apart make partly independent errors, which the mean partly cancels.
 */
public final class EnsembleRunner implements ModelRunner {
    private final List<ModelRunner> members;

    public EnsembleRunner(List<ModelRunner> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one model");
        }
        this.members = List.copyOf(members);
    }

    @Override
    public INDArray output(INDArray[] features) {
        INDArray sum = null;
        for (ModelRunner member : members) {
            INDArray out = member.output(features);
            sum = sum == null ? out : sum.addi(out); // each output is a fresh array: no copy needed
        }
        return sum.divi(members.size());
    }
}
