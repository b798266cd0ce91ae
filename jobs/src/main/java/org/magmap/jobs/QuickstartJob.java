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
            s.job().configure(staged);
            outcome.include(s.name(), s.job().run(spark));
            if (outcome.failed()) {
                break;
            }
        }
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
