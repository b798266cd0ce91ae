package org.magmap.predict;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The mean and the spread of a model's outputs over the eight symmetries of a square input: the first output's
 * channels are the means ({@link DihedralMeanRunner}'s maps), the next as many the standard deviations over
 * the eight turns. A turn the model answers differently is a turn it is unsure of, so the spread is a cheap
 * uncertainty (test-time augmentation). Output [n, 2 maps, size, size] for maps, [n, 2 k] for k values per patch.
 */
public final class DihedralSpreadRunner implements ModelRunner {
    private final ModelRunner inner;

    public DihedralSpreadRunner(ModelRunner inner) {
        this.inner = inner;
    }

    @Override
    public INDArray output(INDArray[] features) {
        DihedralMeanRunner.Restored r = DihedralMeanRunner.restored(inner, features);
        long[] shape = r.shape();
        int n = (int) shape[0];
        int channels = (int) shape[1];
        int per = r.outputs()[0].length / (n * channels); // pixels per map, 1 for values
        float[] out = new float[2 * r.outputs()[0].length];
        for (int t = 0; t < n; t++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < per; p++) {
                    int at = (t * channels + c) * per + p;
                    double sum = 0;
                    double sumSq = 0;
                    for (float[] one : r.outputs()) {
                        sum += one[at];
                        sumSq += (double) one[at] * one[at];
                    }
                    double mean = sum / r.outputs().length;
                    double var = Math.max(0, sumSq / r.outputs().length - mean * mean);
                    out[(t * 2 * channels + c) * per + p] = (float) mean;
                    out[(t * 2 * channels + channels + c) * per + p] = (float) Math.sqrt(var);
                }
            }
        }
        long[] outShape = shape.clone();
        outShape[1] = 2L * channels;
        return Nd4j.create(out, outShape, 'c');
    }
}
