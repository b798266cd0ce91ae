package org.magmap.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.magmap.artifact.ArtifactFiles;
import org.magmap.artifact.EvaluationSummary;
import org.magmap.artifact.ModelCard;
import org.magmap.artifact.PatchManifest;
import org.magmap.artifact.TrainingHistory;
import org.magmap.conf.MagmapConfig;
import org.magmap.evaluate.CnnTables;
import org.magmap.evaluate.EvaluateSettings;
import org.magmap.evaluate.ResNetTables;
import org.magmap.ops.ConfigHash;
import org.magmap.report.CnnFigures;
import org.magmap.report.ReportFiles;
import org.magmap.report.ResNetFigures;
import org.magmap.report.TrainingCurves;
import org.magmap.spark.SparkSessions;
import picocli.CommandLine.Command;

/**
 * Measures a trained CNN the way the cluster paper does: MSE per simulation (Table 2, in the target's unit
 * squared) beside the MSE of predicting the training mean, and the deviation sigma = |prediction - truth| per
 * view angle and per noise level (median, 90th percentile and the histogram: the papers' robustness tests). For
 * the field strength B it reports the equipartition baseline (make-patches' {@code b_eq_ug}, Beck &amp; Krause
 * 2005; docs/science.md section 5) the same way beside the CNN. Writes {@code evaluation.json}, the CSV tables
 * {@code mse-per-simulation.csv} and {@code metrics-per-view.csv}, and PNG figures: training curves from the
 * train settings.output()'s history, deviation histograms per view and noise level, and predicted versus true as a 2-D
 * histogram, all committed together. Refuses a model whose card does not match the patches (patch size,
 * observables, normalisation). Each patch is predicted once, on the executors; only per-group sums and
 * histograms come back.
 *
 * <p>Reads a {@code train} settings.output() and a {@code make-patches} settings.output(). Example:
 * {@code bin/magmap evaluate --conf magmap.evaluate.splits=[test]}.
 */
@Command(
        name = "evaluate",
        description = "A trained model measured as its paper does: the CNN's MSE per simulation beside the"
                + " equipartition baseline, the ResNet's psi errors beside the VGT; per view and noise level; figures.",
        footer = {"", "Example:", "  bin/magmap evaluate -c conf/evaluate.conf"})
public final class EvaluateJob extends SparkJob {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EvaluateJob.class);
    private EvaluateSettings settings;
    /** The ensemble's further members' cards, in the order of settings.ensembleDirs. */
    private final List<ModelCard> ensembleCards = new ArrayList<>();

    private ModelCard card;
    private PatchManifest data;
    private TrainingHistory history;
    private java.util.Set<String> seen;
    private List<org.magmap.predict.ModelBytes> models; // the model's, then each ensemble member's network

    @Override
    protected void configure(MagmapConfig config) {
        settings = EvaluateSettings.from(config);
        card = ModelCard.read(settings.modelDir());
        ensembleCards.clear();
        for (String member : settings.ensembleDirs()) {
            ModelCard memberCard = ModelCard.read(member);
            card.checkEnsembleMember(memberCard, EvaluateSettings.ENSEMBLE);
            ensembleCards.add(memberCard);
        }
        history = TrainingHistory.read(settings.modelDir());
        data = PatchManifest.read(settings.input());
        card.checkMatchesPatches(data);
        seen = card.simulationsSeen(data);
        if (!data.configHash().equals(card.dataManifestConfigHash())) {
            LOG.info(
                    "evaluate: {} are not the patches the model trained on; a map counts as seen if the card lists"
                            + " it ({})",
                    settings.input(),
                    seen);
        }
        if (settings.dihedralMean()) {
            card.checkDihedralMeanApplies(data, EvaluateSettings.DIHEDRAL_MEAN);
            ensembleCards.forEach(member -> member.checkDihedralMeanApplies(data, EvaluateSettings.DIHEDRAL_MEAN));
        }
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of(
                "model = " + settings.modelDir() + " (" + card.model() + ", " + card.describeTarget() + ")"
                        + (settings.ensembleDirs().isEmpty() ? "" : ", maps averaged with " + settings.ensembleDirs()),
                "data = " + settings.input(),
                "splits = " + settings.splits()
                        + (settings.dihedralMean() ? ", each patch predicted as its mean over 8 symmetries" : ""),
                "output = " + settings.output());
    }

    /** This evaluation's hash: the model's and the data's, and every setting that changes a number. */
    private String configHash() {
        StringBuilder ensemble = new StringBuilder();
        ensembleCards.forEach(m -> ensemble.append("\nensemble ").append(m.configHash()));
        return ConfigHash.of(
                "magmap-evaluate-v2\n" + card.configHash() + "\n" + data.configHash() + "\n" + settings.splits()
                        + "\n" + settings.histogramMax() + "\n" + settings.bins() + "\n" + settings.densityBins() + "\n"
                        + settings.maxPatchesPerSplit()
                        + (settings.dihedralMean() ? "\ndihedral-mean" : "") + ensemble);
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        // Every model read and tried on the driver first: a bad model.zip fails here, naming it.
        models = new ArrayList<>();
        try {
            FileSystem modelFs = new Path(settings.modelDir())
                    .getFileSystem(spark.sparkContext().hadoopConfiguration());
            models.add(card.modelBytes(card.readCheckedModel(modelFs), settings.engine()));
            for (ModelCard member : ensembleCards) {
                models.add(member.modelBytes(member.readCheckedModel(modelFs), settings.engine()));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String hash = configHash();
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("tables", EvaluationSummary.FILE);
        if (card.isImageToImage()) {
            outputs.put("per simulation", ResNetTables.TABLE);
        } else {
            outputs.put("table 2 (MSE per simulation)", CnnTables.PER_SIMULATION);
            outputs.put("per view", CnnTables.PER_VIEW);
        }
        outputs.put("figures", ReportFiles.FIGURES);
        return writeCommitted(
                spark,
                settings.output(),
                hash,
                settings.overwrite(),
                "magmap.evaluate.overwrite",
                outputs,
                (out, outcome) -> {
                    FileSystem fs = out.fileSystem();
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("model-card-config-hash", card.configHash());
                    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                    Dataset<Row> patches = CnnTables.withTrainedMap(
                            spark.read()
                                    .parquet(PatchManifest.parquet(settings.input()))
                                    .filter(functions
                                            .col("observable")
                                            .isin(card.observables().toArray())),
                            seen);
                    List<String> summary = card.isImageToImage()
                            ? evaluateResNet(spark, jsc, fs, out.staging(), patches, result)
                            : evaluateCnn(jsc, fs, out.staging(), patches, result);
                    EvaluationSummary.write(
                            fs,
                            out.staging(),
                            ArtifactFiles.header(
                                    EvaluationSummary.KIND,
                                    hash,
                                    BuildInfo.current().describe()),
                            result);
                    summary.forEach(outcome::line);
                });
    }

    /** The conditional ResNet: pixel metrics of the six maps, psi deviations and AM beside the VGT baseline. */
    private List<String> evaluateResNet(
            SparkSession spark,
            JavaSparkContext jsc,
            FileSystem fs,
            Path staging,
            Dataset<Row> patches,
            Map<String, Object> result)
            throws IOException {
        List<String> members = settings.members();
        result.put("model", ModelCard.CRESNET);
        if (!settings.ensembleDirs().isEmpty()) {
            result.put("ensemble", members);
        }
        result.put(
                "baseline",
                "VGT (velocity gradients) vs true psi: on the model's own patches, and over whole observed maps");
        result.put("max-patches-per-split", settings.maxPatchesPerSplit()); // 0: every patch
        result.put(
                "prediction",
                settings.dihedralMean()
                        ? "mean over the patch's eight rotations and mirrors (magmap.evaluate.dihedral-mean)"
                        : "one pass per patch");
        ResNetTables.Result r = ResNetTables.evaluate(
                jsc,
                models,
                card.targetMaps(),
                patches,
                settings.splits(),
                settings.maxPatchesPerSplit(),
                data.observeDir(),
                SparkSessions.hadoopSettings(spark),
                settings.dihedralMean());
        result.putAll(r.perSplit());
        ReportFiles.text(fs, new Path(staging, ResNetTables.TABLE), r.table());
        byte[] psi = ResNetFigures.psiDeviations(r.byView());
        if (psi != null) {
            ReportFiles.figure(fs, staging, ResNetFigures.PSI_DEVIATIONS, psi);
        }
        ReportFiles.figure(fs, staging, TrainingCurves.FILE, TrainingCurves.png(history, ""));
        return r.summary();
    }

    /** The scalar CNN: the cluster paper's Table 2 and robustness figures, beside the equipartition baseline. */
    private List<String> evaluateCnn(
            JavaSparkContext jsc, FileSystem fs, Path staging, Dataset<Row> patches, Map<String, Object> result)
            throws IOException {
        String target = card.targetColumn();
        String unit = card.targetUnit();
        result.put("target", target);
        result.put("unit", unit);
        result.put("baseline", CnnTables.describeBaseline(target, CnnTables.baselineFor(target, patches)));
        ReportFiles.figure(fs, staging, TrainingCurves.FILE, TrainingCurves.png(history, unit));
        CnnTables.Result r = CnnTables.evaluate(
                jsc,
                models.get(0),
                patches,
                new CnnTables.Settings(
                        target,
                        card.targetTrainingMean(),
                        settings.splits(),
                        settings.maxPatchesPerSplit(),
                        settings.histogramMax(),
                        settings.bins(),
                        settings.densityBins()),
                unit);
        result.putAll(r.perSplit());
        for (Map.Entry<String, Map<String, org.magmap.evaluate.Comparison>> e :
                r.groups().entrySet()) {
            String split = e.getKey();
            ReportFiles.figure(
                    fs, staging, "deviations-" + split + ".png", CnnFigures.deviations(split, e.getValue(), unit));
            ReportFiles.figure(
                    fs,
                    staging,
                    "predicted-vs-true-" + split + ".png",
                    CnnFigures.predictedVersusTrue(split, e.getValue(), target, unit));
        }
        ReportFiles.text(fs, new Path(staging, CnnTables.PER_SIMULATION), r.perSimulation());
        ReportFiles.text(fs, new Path(staging, CnnTables.PER_VIEW), r.perView());
        return r.summary();
    }
}
