package org.magmap.predict;

import org.magmap.patch.Dihedral;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-time averaging of an image-to-image model over the eight symmetries of a square patch: the model predicts
 * each patch turned and mirrored every way ({@link Dihedral}), each prediction is moved back to the patch's own
 * frame, and the eight are averaged. Moving back undoes the symmetry on every map and, on the two double-angle
 * channels, applies its sign ({@link Dihedral#cos2PsiSign}, {@link Dihedral#sin2PsiSign}): a quarter turn adds 90
 * deg to psi (docs/science.md section 3). psi is then read from the mean (cos 2psi, sin 2psi) vector, the average of
 * orientations that does not wrap at 0/180 deg.
 *
 * <p>Why: a network trained on patches at every angle (make-patches' rotation) learns the symmetry only
 * approximately; its errors under the eight views are partly independent and the mean cancels part of them, at
 * eight times the prediction cost. The averaged predictor is exactly equivariant: predicting a turned patch gives
 * the turned prediction. A model that never saw turned patches (rotation and dihedral augmentation both off) has
 * no reason to answer a turned patch well, so the mean would mix in guesses; evaluate refuses that case.
 */
public final class DihedralMeanRunner implements ModelRunner {
    private final ModelRunner inner;

    /** The mean of {@code inner}'s outputs over the eight symmetries of the input image. */
    public DihedralMeanRunner(ModelRunner inner) {
        this.inner = inner;
    }

    /**
     * The model's first output, averaged over the eight symmetries of the input image.
     *
     * <p>The inner model takes (image [n, channels, size, size], condition) and gives maps [n, maps, size, size]
     * whose channels {@link MapTargets#COS2PSI} and {@link MapTargets#SIN2PSI} are cos 2psi and sin 2psi (in
     * training units: those two are not rescaled).
     *
     * @param features the image, then the conditioning vector (isotropic quantities, so it does not move)
     */
    @Override
    public INDArray output(INDArray[] features) {
        Restored r = restored(inner, features);
        float[] sum = new float[r.outputs()[0].length];
        for (float[] one : r.outputs()) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += one[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= Dihedral.ORDER;
        }
        return Nd4j.create(sum, r.shape(), 'c');
    }

    /**
     * The inner model's outputs for the eight symmetries of the input, each turned back to the input's frame
     * (maps restored, cos 2psi and sin 2psi signs undone); a scalar output ([n, k]) needs no turning back.
     */
    record Restored(float[][] outputs, long[] shape) {}

    static Restored restored(ModelRunner inner, INDArray[] features) {
        INDArray image = features[0];
        long[] shape = image.shape();
        int size = (int) shape[2];
        if (shape.length != 4 || shape[3] != size) {
            throw new IllegalArgumentException(
                    "expected square images [n, channels, size, size], got " + java.util.Arrays.toString(shape));
        }
        int pixels = size * size;
        int images = (int) (shape[0] * shape[1]);
        float[] input = image.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[][] outputs = new float[Dihedral.ORDER][];
        long[] outShape = null;
        INDArray[] moved = features.clone();
        for (int element = 0; element < Dihedral.ORDER; element++) {
            moved[0] = Nd4j.create(move(input, images, size, element), shape, 'c');
            INDArray out = inner.output(moved);
            float[] predicted = out.castTo(DataType.FLOAT).dup('c').data().asFloat();
            outShape = out.shape();
            if (outShape.length != 4) {
                outputs[element] = predicted; // one value per patch: isotropic, nothing to turn back
                continue;
            }
            int maps = (int) outShape[1];
            int back = Dihedral.inverse(element);
            float[] restoredAll = new float[predicted.length];
            float[] one = new float[pixels];
            for (int m = 0; m < predicted.length / pixels; m++) {
                System.arraycopy(predicted, m * pixels, one, 0, pixels);
                float[] restored = Dihedral.apply(one, size, back);
                int channel = m % maps;
                int sign = channel == MapTargets.COS2PSI
                        ? Dihedral.cos2PsiSign(element)
                        : channel == MapTargets.SIN2PSI ? Dihedral.sin2PsiSign(element) : 1;
                for (int p = 0; p < pixels; p++) {
                    restoredAll[m * pixels + p] = sign * restored[p];
                }
            }
            outputs[element] = restoredAll;
        }
        return new Restored(outputs, outShape);
    }

    /**
     * Every size x size image of {@code flat} (images of them, back to back) under {@code element}; the identity
     * returns {@code flat} itself.
     */
    private static float[] move(float[] flat, int images, int size, int element) {
        if (element == 0) {
            return flat;
        }
        int pixels = size * size;
        float[] out = new float[flat.length];
        float[] one = new float[pixels];
        for (int i = 0; i < images; i++) {
            System.arraycopy(flat, i * pixels, one, 0, pixels);
            System.arraycopy(Dihedral.apply(one, size, element), 0, out, i * pixels, pixels);
        }
        return out;
    }
}
