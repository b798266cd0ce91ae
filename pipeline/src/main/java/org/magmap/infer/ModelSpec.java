package org.magmap.infer;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.magmap.artifact.ModelCard;
import org.magmap.ops.BadInputException;
import org.magmap.patch.Normalization;
import org.magmap.patch.StackedObservable;
import org.magmap.predict.MapTargets;

/**
 * What executors need to know of the model beside its bytes, taken from its card: what it reads (an H I channel
 * map or a synchrotron image, normalised how, in tiles of what size, conditioned or not) and what it gives.
 *
 * @param imageToImage the cresnet (maps out) rather than the cnn (one B per tile)
 * @param readsChannelMaps whether its input is an H I channel map (cubes) rather than a 2D image
 * @param normalization the per-tile input normalisation of its training patches
 * @param tileSize its input size, pixels
 * @param conditions the length of its conditioning vector (0: none)
 * @param targets the cresnet's target scaling; null for the cnn
 * @param cardHash the card's configuration hash, recorded in every output
 * @param conditionRanges per conditioning column, the [min, max] of the training patches (empty: unknown)
 */
public record ModelSpec(
        boolean imageToImage,
        boolean readsChannelMaps,
        String normalization,
        int tileSize,
        int conditions,
        MapTargets targets,
        String cardHash,
        Map<String, double[]> conditionRanges)
        implements Serializable {

    /**
     * The spec of a card, refusing models infer cannot run.
     *
     * @throws BadInputException naming the card
     */
    public static ModelSpec of(ModelCard card) {
        List<String> observables = card.observables();
        String observable = observables.get(0);
        if (StackedObservable.maps(observable).size() != 1) {
            throw new BadInputException(
                    card.file(),
                    "the model reads a stack of maps (" + observable
                            + "); infer maps one window of one cube at a time, so it needs a single-map model");
        }
        boolean channelMaps = observable.matches("HI_CH\\d+(_OBS)?");
        if (!channelMaps && !observable.startsWith("SYNC")) {
            throw new BadInputException(
                    card.file(),
                    "the model reads '" + observable
                            + "'; infer runs models of an H I channel map (HI_CHnn) or a synchrotron image (SYNC)");
        }
        return new ModelSpec(
                card.isImageToImage(),
                channelMaps,
                card.normalization(),
                card.patchSize(),
                card.isImageToImage() ? org.magmap.batch.Conditions.COLUMNS.size() : 0,
                card.isImageToImage() ? card.targetMaps() : null,
                card.configHash(),
                new java.util.LinkedHashMap<>(card.conditionRanges()));
    }

    Normalization tileNormalization() {
        return Normalization.parse(normalization);
    }

    /** Output channels of the network. */
    int channels() {
        return imageToImage ? targets.channels() : 1;
    }
}
