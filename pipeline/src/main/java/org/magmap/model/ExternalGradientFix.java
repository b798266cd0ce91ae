package org.magmap.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;

/**
 * Works around a Deeplearning4j 1.0.0-M2.1 bug: a {@code SameDiffLayer} or {@code SameDiffVertex} receives the
 * gradient of its output (the "external errors" from the layers above) twice, so every gradient it produces, for
 * its own parameters and for its inputs, is exactly 2x too large. Found by {@code ModelGradientCheckTest}: even a
 * SameDiff layer computing {@code x * 1} fails DL4J's gradient check with analytic = 2 x numerical, while a stock
 * {@code ActivationLayer} passes. Adam's per-parameter scaling hides a uniform factor, but in a residual block the
 * branch through SameDiff layers would be amplified relative to the skip path, so the direction would be wrong.
 *
 * <p>The fix returns {@code 0.5 y + stopGradient(0.5 y)}: the forward value is exactly y (halving and summing two
 * equal halves are exact in binary floating point) and the gradient reaching y is halved, cancelling the double
 * count. The gradient checks fail if a DL4J upgrade fixes the bug, which is the signal to delete this class.
 */
final class ExternalGradientFix {
    private ExternalGradientFix() {}

    /** The value to return from {@code defineLayer}/{@code defineVertex} in place of {@code output}. */
    static SDVariable layerOutput(SameDiff sd, SDVariable output) {
        SDVariable half = output.mul(0.5);
        SDVariable detached = new StopGradient(sd, output.mul(0.5)).outputVariable();
        return half.add(detached);
    }
}
