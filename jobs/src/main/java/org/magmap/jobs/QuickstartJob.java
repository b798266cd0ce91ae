package org.magmap.jobs;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.magmap.conf.MagmapConfig;
import picocli.CommandLine.Command;

/**
 * The README's first command: runs every stage that exists, on local Spark and bundled or generated sample
 * data, in one session, and prints where each output went. Each stage is the real job with small settings.
 *
 * <p>Reads nothing but its configuration; writes under {@code magmap.quickstart.output-root}. Example:
 * {@code bin/magmap quickstart}.
 */
@Command(
        name = "quickstart",
        description = "Run every pipeline stage end to end on small built-in data (a few minutes on 2 cores).",
        footer = {"", "Example:", "  bin/magmap quickstart --conf magmap.quickstart.output-root=/tmp/magmap-demo"})
public final class QuickstartJob extends SparkJob {
    private final List<Stage> stages = new ArrayList<>();
    private String outputRoot;
    private MagmapConfig staged;

    /** One stage: a real job, configured with the quickstart's small settings. */
    private record Stage(String name, SparkJob job) {}

    @Override
    protected void configure(MagmapConfig config) {
        outputRoot = config.getString("magmap.quickstart.output-root");
        staged = config.with("magmap.output-root", outputRoot)
                .with("magmap.simulate.grid-size", config.getInt("magmap.quickstart.grid-size"))
                .with("magmap.simulate.snapshots", config.getInt("magmap.quickstart.snapshots"))
                .with("magmap.make-patches.patches-per-map", config.getInt("magmap.quickstart.patches-per-map"))
                .with("magmap.make-patches.target-maps", false)
                .with("magmap.train.max-train-patches", config.getInt("magmap.quickstart.train-patches"))
                .with("magmap.train.epochs", config.getInt("magmap.quickstart.train-epochs"))
                .with("magmap.train.cnn.block-channels", List.of(8, 16, 32))
                .with("magmap.train.cnn.dense-units", 32);
        stages.clear();
        stages.add(new Stage("doctor", new DoctorJob()));
        stages.add(new Stage("simulate", new SimulateJob()));
        stages.add(new Stage("observe", new ObserveJob()));
        stages.add(new Stage("make-patches", new MakePatchesJob()));
        stages.add(new Stage("train", new TrainJob()));
        stages.add(new Stage("evaluate", new EvaluateJob()));
        stages.add(new Stage("infer", new InferJob()));
        stages.add(new Stage("mosaic", new MosaicJob()));
        // Each stage is configured just before it runs: a later stage reads what an earlier one wrote.
    }

    @Override
    protected JobOutcome run(SparkSession spark) {
        JobOutcome outcome = new JobOutcome();
        int i = 0;
        for (Stage s : stages) {
            i++;
            org.slf4j.LoggerFactory.getLogger(QuickstartJob.class)
                    .info("quickstart: stage {}/{} - {}", i, stages.size(), s.name());
            if (s.job() instanceof InferJob) {
                outcome.include("survey sample", surveySample());
            }
            if (s.job() instanceof MosaicJob) {
                // infer's map of the survey sample, turned onto a galactic grid.
                staged = staged.with(
                                "magmap.mosaic.inputs",
                                List.of(outputRoot + "/" + staged.getString("magmap.infer.output-dir")))
                        .with("magmap.mosaic.grid.frame", "galactic");
            }
            s.job().configure(staged);
            outcome.include(s.name(), s.job().run(spark));
            if (outcome.failed()) {
                break;
            }
        }
        return outcome;
    }

    /**
     * Before infer: one map of the test split's unseen run put on the sky as a survey-like image (with its truth
     * beside it), for infer to map as it would a real survey image.
     */
    private JobOutcome surveySample() {
        org.magmap.artifact.ObserveManifest observed = org.magmap.artifact.ObserveManifest.read(
                outputRoot + "/" + staged.getString("magmap.observe.output-dir"));
        org.magmap.artifact.ObserveManifest.MapFile map = observed.maps().stream()
                .filter(m -> m.runId().startsWith("unseen-") && m.view().startsWith("i90"))
                .findFirst()
                .orElse(observed.maps().get(0));
        java.nio.file.Path out =
                java.nio.file.Path.of(outputRoot, "survey-sample", map.runId() + "__" + map.view() + ".fits");
        JobOutcome outcome = new JobOutcome();
        try {
            java.nio.file.Files.createDirectories(out.getParent());
            java.util.Map<String, Double> truth = org.magmap.infer.SurveySample.write(
                    org.magmap.ops.OutputFiles.localPath(map.path()), "SYNC", out, 150.0, 2.2, 1.0 / 60);
            outcome.line(String.format(
                    java.util.Locale.ROOT,
                    "%s on the sky at RA 150, Dec 2.2 (1 arcmin pixels); true mean B %.3g uG",
                    map.runId(),
                    truth.get("B_UG")));
            outcome.output("image", out.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        staged = staged.with("magmap.infer.inputs", List.of(out.toString()));
        return outcome;
    }

    @Override
    protected List<String> settingsSummary() {
        return List.of(
                "output root = " + outputRoot,
                "stages = "
                        + String.join(" -> ", stages.stream().map(Stage::name).toList()));
    }
}
