package org.magmap.evaluate;

import java.util.ArrayList;
import java.util.List;
import org.magmap.conf.MagmapConfig;
import org.magmap.ops.BadInputException;

/**
 * The evaluate job's settings, read and checked once ({@code magmap.evaluate.*}; errors name the key).
 *
 * @param modelDir the train output measured
 * @param ensembleDirs further cresnet train outputs whose maps are averaged with modelDir's (none: one model)
 * @param input the make-patches output measured on
 * @param output where the evaluation is written
 * @param overwrite replace an output made from another configuration
 * @param splits the splits measured
 * @param maxPatchesPerSplit random patches per split, at most (0: all)
 * @param dihedralMean predict each patch as the mean over its eight symmetries (cresnet)
 * @param histogramMax upper end of the CNN's deviation histograms, in the target's unit
 * @param bins the CNN's deviation histogram bins
 * @param densityBins bins per axis of the CNN's predicted-versus-true grid
 * @param engine what runs the networks on the executors
 */
public record EvaluateSettings(
        String modelDir,
        List<String> ensembleDirs,
        String input,
        String output,
        boolean overwrite,
        List<String> splits,
        long maxPatchesPerSplit,
        boolean dihedralMean,
        double histogramMax,
        int bins,
        int densityBins,
        org.magmap.predict.Engine engine) {
    /** The key of the ensemble's further members. */
    public static final String ENSEMBLE = "magmap.evaluate.ensemble-model-dirs";
    /** The key of the dihedral mean. */
    public static final String DIHEDRAL_MEAN = "magmap.evaluate.dihedral-mean";

    /** Reads {@code magmap.evaluate.*}, with every directory under {@code magmap.output-root}. */
    public static EvaluateSettings from(MagmapConfig config) {
        String root = config.getString("magmap.output-root");
        String modelDir = root + "/" + config.getString("magmap.evaluate.model-dir");
        long maxPatchesPerSplit = config.getLong("magmap.evaluate.max-patches-per-split");
        if (maxPatchesPerSplit < 0) {
            throw new BadInputException(
                    "magmap.evaluate.max-patches-per-split", "must be >= 0 (0 = all), got " + maxPatchesPerSplit);
        }
        List<String> ensemble = new ArrayList<>();
        for (String dir : config.getStringList(ENSEMBLE)) {
            String member = root + "/" + dir;
            if (member.equals(modelDir) || ensemble.contains(member)) {
                throw new BadInputException(
                        ENSEMBLE, "names " + dir + " twice (model-dir counts): each member is a different model");
            }
            ensemble.add(member);
        }
        return new EvaluateSettings(
                modelDir,
                List.copyOf(ensemble),
                root + "/" + config.getString("magmap.evaluate.input-dir"),
                root + "/" + config.getString("magmap.evaluate.output-dir"),
                config.getBoolean("magmap.evaluate.overwrite"),
                List.copyOf(config.getStringList("magmap.evaluate.splits")),
                maxPatchesPerSplit,
                config.getBoolean(DIHEDRAL_MEAN),
                config.getPositiveDouble("magmap.evaluate.histogram-max"),
                config.getPositiveInt("magmap.evaluate.histogram-bins"),
                config.getPositiveInt("magmap.evaluate.density-bins"),
                engine(config));
    }

    private static org.magmap.predict.Engine engine(MagmapConfig config) {
        try {
            return org.magmap.predict.Engine.parse(config.getString("magmap.evaluate.engine"));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("magmap.evaluate.engine", e.getMessage(), e);
        }
    }

    /** modelDir, then the ensemble's further members. */
    public List<String> members() {
        List<String> all = new ArrayList<>(List.of(modelDir));
        all.addAll(ensembleDirs);
        return all;
    }
}
