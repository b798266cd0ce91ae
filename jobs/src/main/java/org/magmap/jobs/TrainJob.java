package org.magmap.jobs;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;
import org.magmap.artifact.ModelCard;
import org.magmap.artifact.PatchManifest;
import org.magmap.conf.MagmapConfig;
import org.magmap.ops.BadInputException;
import org.magmap.patch.StackedObservable;
import org.magmap.train.TrainSettings;
import org.magmap.train.TrainingRun;
import picocli.CommandLine.Command;

/**
 * Trains one of the papers' networks on Spark (parameter averaging by default, gradient sharing as an option)
 * from the make-patches Parquet, read on the executors: the cluster paper's CNN ({@code cnn}, a scalar target
 * such as B in uG) or the H I paper's conditional ResNet ({@code cresnet}, six target maps conditioned on the
 * observational conditions). Per epoch a pass over the train split, the validation loss computed on the
 * executors, early stopping; the best checkpoint kept (lowest validation MSE for the CNN, highest PSNR for the
 * ResNet). Checkpoints after every epoch; a killed run resumes from the last one with the same configuration.
 * Writes {@code model.zip}, the same network as {@code model.onnx} (the card in its metadata), {@code card.json}
 * (inputs, conditioning, targets and units, normalisation, data
 * manifest id, config hash, metrics per split and per simulation) and {@code history.json}, committed
 * atomically.
 *
 * <p>Reads a {@code make-patches} output ({@code magmap.train.input-dir}). Example:
 * {@code bin/magmap train -c conf/train.conf}.
 */
@Command(
        name = "train",
        description =
                "Train the cluster CNN or the H I conditional ResNet on Spark from Parquet patches; keep the best.",
        footer = {
            "",
            "Example:",
            "  bin/magmap train -c conf/train.conf --conf magmap.train.epochs=20",
            "  bin/magmap train -c conf/train.conf --conf magmap.train.model=cresnet",
            "  bin/magmap-submit --master yarn --num-executors 8 -- train -c cluster.conf -c train.conf"
        })
public final class TrainJob extends SparkJob {
    private TrainingRun run;
    private String output;
    private boolean overwrite;

    @Override
    protected void configure(MagmapConfig config) {
        String root = config.getString("magmap.output-root");
        String input = root + "/" + config.getString("magmap.train.input-dir");
        output = root + "/" + config.getString("magmap.train.output-dir");
        overwrite = config.getBoolean("magmap.train.overwrite");
        PatchManifest data = PatchManifest.read(input);
        TrainSettings settings = TrainSettings.from(config.section("magmap.train"), data.patchSize());
        long maxValidationPatches = config.getLong("magmap.train.max-validation-patches");
        long maxMetricsPatches = config.getLong("magmap.train.max-metrics-patches");
        if (maxValidationPatches < 0 || maxMetricsPatches < 0) {
            throw new BadInputException(
                    "magmap.train.max-validation-patches / max-metrics-patches",
                    "must be >= 0 (0 = all), got " + maxValidationPatches + " / " + maxMetricsPatches);
        }
        if (settings.model().equals(ModelCard.CRESNET) && !data.targetMaps()) {
            throw new BadInputException(
                    data.file(),
                    "holds no target maps, which the cresnet learns: remake the patches with"
                            + " magmap.make-patches.target-maps = true");
        }
        List<String> observables = config.getStringList("magmap.train.observables");
        if (observables.isEmpty()) {
            observables = data.observables();
        }
        for (String o : observables) {
            if (!data.observables().contains(o)) {
                throw new BadInputException(
                        data.file(),
                        "has no '" + o + "' patches (magmap.train.observables); it holds " + data.observables());
            }
        }
        // One network reads one kind of image: a stacked observable (HI_CH01+SYNC) is an image of several maps.
        Set<Integer> channels = new TreeSet<>();
        observables.forEach(o -> channels.add(StackedObservable.channels(o)));
        if (channels.size() > 1) {
            throw new BadInputException(
                    "magmap.train.observables",
                    "mixes single maps and stacks of maps " + observables + ": one model reads images of one kind");
        }
        try {
            settings = settings.withInputChannels(channels.iterator().next());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("magmap.train.observables " + observables, e.getMessage(), e);
        }
        if (data.inSplit("train") == 0) {
            throw new BadInputException(input, "has no training patches");
        }
        if (data.inSplit("validation") == 0) {
            throw new BadInputException(
                    input,
                    "has no validation patches: set magmap.make-patches.splits so that some"
                            + " simulations or spatial blocks validate");
        }
        String init = config.getString("magmap.train.init-model");
        String initialModel = null;
        ModelCard initialCard = null;
        if (!init.isBlank()) {
            initialModel = root + "/" + init;
            initialCard = ModelCard.read(initialModel);
            initialCard.checkCanStart(
                    settings.model(),
                    settings.target(),
                    settings.model().equals(ModelCard.CNN) ? settings.cnn() : settings.cresnet(),
                    observables,
                    data);
        }
        run = new TrainingRun(
                settings,
                input,
                data,
                List.copyOf(observables),
                maxValidationPatches,
                maxMetricsPatches,
                initialModel,
                initialCard,
                root + "/" + config.getString("magmap.train.checkpoint-dir"),
                BuildInfo.current().describe());
    }

    @Override
    protected List<String> settingsSummary() {
        TrainSettings settings = run.settings();
        return List.of(
                "input = " + run.input() + " (" + run.data().patches() + " patches, per split "
                        + run.data().perSplit() + ")",
                "output = " + output + ", checkpoints = " + run.checkpoints(),
                "model = " + settings.architecture() + ", epochs <= " + settings.epochs() + ", patience "
                        + settings.patience(),
                "observables = " + run.observables() + ", distribution = "
                        + settings.distribution().describe(),
                "initial weights = " + (run.initialModel() == null ? "fresh" : run.initialModel()));
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        return writeCommitted(
                spark, output, run.configHash(), overwrite, "magmap.train.overwrite", outputs(), (out, outcome) -> {
                    TrainingRun.Summary summary = run.run(spark, out.fileSystem(), out.staging());
                    outcome.line(String.format(
                            java.util.Locale.ROOT,
                            "best epoch %d of %d (%s)",
                            summary.bestEpoch(),
                            summary.epochs(),
                            summary.bestLine()));
                    if (!summary.testMetrics().isEmpty()) {
                        outcome.line("test metrics: " + summary.testMetrics());
                    }
                });
    }

    private static java.util.Map<String, String> outputs() {
        java.util.Map<String, String> outputs = new java.util.LinkedHashMap<>();
        outputs.put("model", ModelCard.MODEL);
        outputs.put("model (ONNX)", ModelCard.ONNX_MODEL);
        outputs.put("card", ModelCard.FILE);
        outputs.put("history", org.magmap.artifact.TrainingHistory.FILE);
        return outputs;
    }
}
