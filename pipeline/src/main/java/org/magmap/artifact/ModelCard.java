package org.magmap.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.magmap.ops.BadInputException;
import org.magmap.ops.Failures;
import org.magmap.ops.Json;
import org.magmap.patch.StackedObservable;
import org.magmap.predict.MapTargets;
import org.magmap.predict.SavedModels;

/**
 * What {@code train} hands to {@code evaluate} (and to a later {@code train} that starts from its weights): which
 * network it is, what it takes (observables, normalisation, patch size, conditioning), what it gives (a scalar
 * target with its unit and training mean, or target maps with their scaling), the architecture record, and the
 * hashes of the configuration and data it came from. Every check of a card against patches, another card or a
 * run's settings is here, each naming the card's file and the field that disagrees.
 */
public final class ModelCard {
    /** The card's file name in a train output. */
    public static final String FILE = "card.json";
    /** The saved network (DL4J zip, without updater state) beside the card. */
    public static final String MODEL = "model.zip";
    /**
     * The same network as an ONNX model ({@code onnx.OnnxExport}), this card in its metadata: for ONNX Runtime in
     * Python or any other language.
     */
    public static final String ONNX_MODEL = "model.onnx";

    /** The scalar-output network of the cluster paper. */
    public static final String CNN = "cnn";
    /** The conditional image-to-image ResNet of the H I paper. */
    public static final String CRESNET = "cresnet";

    public static final String KIND = "magmap model card";

    private final String file;
    private final JsonNode node;

    private ModelCard(String file, JsonNode node) {
        this.file = file;
        this.node = node;
    }

    /** Reads the card of the train output {@code dir}. */
    public static ModelCard read(String dir) {
        Path path = new Path(dir, FILE);
        return new ModelCard(path.toString(), ArtifactFiles.read(path, KIND, "run 'train' first"));
    }

    /** The card from its JSON (tests, and cards held in memory). */
    public static ModelCard of(String file, JsonNode node) {
        return new ModelCard(file, node);
    }

    /**
     * Writes a card into {@code dir}.
     *
     * @param entries the network's own entries (model, architecture, inputs, conditioning, target, ...) and the
     *     run's (epochs, metrics, data)
     */
    public static void write(FileSystem fs, Path dir, Map<String, Object> header, Map<String, Object> entries)
            throws IOException {
        ArtifactFiles.write(fs, new Path(dir, FILE), header, entries);
    }

    /**
     * The saved network beside this card, read and tried on the driver before any Spark work: restored, and run
     * once on an all-zero batch of the input the card describes, whose output must have the card's shape. A
     * truncated or foreign {@value #MODEL}, or a card edited to describe another network, fails here with one line
     * naming the file, not later inside a task as a zip or shape error.
     *
     * @return the saved network's bytes, which executors restore
     * @throws BadInputException naming the model file or the card
     */
    public byte[] readCheckedModel(FileSystem fs) {
        Path modelFile = new Path(new Path(file).getParent(), MODEL);
        byte[] bytes;
        try (var in = fs.open(modelFile)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new BadInputException(modelFile.toString(), "cannot be read (" + Failures.describe(e) + ")", e);
        }
        org.magmap.predict.ModelRunner runner;
        try {
            runner = isImageToImage()
                    ? new org.magmap.predict.GraphRunner(SavedModels.restoreGraph(bytes))
                    : new org.magmap.predict.NetworkRunner(SavedModels.restore(bytes));
        } catch (Exception e) {
            throw new BadInputException(
                    modelFile.toString(),
                    "is not a saved " + (isImageToImage() ? "ComputationGraph" : "MultiLayerNetwork") + " ("
                            + Failures.describe(e) + ")",
                    e);
        }
        int size = patchSize();
        int planes = StackedObservable.maps(observables().get(0)).size();
        int conditions = node.path("conditioning").size();
        long[] expected = isImageToImage() ? new long[] {1, targetMaps().channels(), size, size} : new long[] {1, 1};
        org.nd4j.linalg.api.ndarray.INDArray[] input = isImageToImage()
                ? new org.nd4j.linalg.api.ndarray.INDArray[] {
                    org.nd4j.linalg.factory.Nd4j.zeros(
                            org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, planes, size, size),
                    org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, conditions)
                }
                : new org.nd4j.linalg.api.ndarray.INDArray[] {
                    org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, planes, size, size)
                };
        long[] got;
        try {
            got = runner.output(input).shape();
        } catch (Exception e) {
            throw new BadInputException(
                    file,
                    String.format(
                            "does not describe %s: a %dx%dx%d patch (fields 'patch-size', 'inputs.image.observables')"
                                    + " does not go through it (%s)",
                            modelFile, planes, size, size, Failures.describe(e)),
                    e);
        }
        if (!java.util.Arrays.equals(got, expected)) {
            throw new BadInputException(
                    file,
                    "does not describe " + modelFile + ": the network gives " + java.util.Arrays.toString(got)
                            + " per patch, the card says " + java.util.Arrays.toString(expected) + " (field 'target')");
        }
        return bytes;
    }

    /**
     * The checked network ({@link #readCheckedModel}) as the bytes {@code engine} runs. An ONNX export carries this
     * card in its metadata ({@value #ONNX_CARD_KEY}), so a model loaded from Python's onnxruntime knows its
     * target scaling, conditions and inputs.
     */
    public org.magmap.predict.ModelBytes modelBytes(byte[] checkedModel, org.magmap.predict.Engine engine) {
        long size = patchSize();
        long planes = StackedObservable.maps(observables().get(0)).size();
        List<long[]> shapes = isImageToImage()
                ? List.of(
                        new long[] {planes, size, size},
                        new long[] {node.path("conditioning").size()})
                : List.of(new long[] {planes, size, size});
        try {
            return org.magmap.predict.ModelBytes.of(
                    checkedModel, isImageToImage(), engine, shapes, Map.of(ONNX_CARD_KEY, node.toString()));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file, "its network: " + e.getMessage(), e);
        }
    }

    /** The metadata key under which an exported ONNX model carries its card (JSON). */
    public static final String ONNX_CARD_KEY = "magmap.model-card";

    /** The card's file, for messages. */
    public String file() {
        return file;
    }

    /** The hash of the training configuration. */
    public String configHash() {
        return node.path("config-hash").asText("");
    }

    /** {@link #CNN} or {@link #CRESNET} (cards from before the field are CNNs). */
    public String model() {
        return node.path("model").asText(CNN);
    }

    public boolean isImageToImage() {
        return model().equals(CRESNET);
    }

    /** The card's field with the range of each conditioning column over the training patches. */
    public static final String CONDITION_RANGES = "condition-ranges";

    /**
     * Per conditioning column, the [min, max] the network was trained on; empty for an unconditioned network or a
     * card from before the field.
     */
    public Map<String, double[]> conditionRanges() {
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        node.path(CONDITION_RANGES)
                .fields()
                .forEachRemaining(e -> out.put(e.getKey(), new double[] {
                    e.getValue().path(0).asDouble(), e.getValue().path(1).asDouble()
                }));
        return out;
    }

    /** The card's field listing the simulations whose patches the network was fitted to. */
    public static final String TRAINED_ON = "trained-on-simulations";

    /** The make-patches configuration hash of the patches the network was trained on. */
    public String dataManifestConfigHash() {
        return node.path("data-manifest-config-hash").asText("");
    }

    /**
     * The simulations (maps' run ids) whose patches the network was fitted to, with those of the model it started
     * from: what "a map the model has seen" means, whatever patches it is evaluated on. A card from before the
     * field holds no list; then only its own training patches can say, and any other patch set is refused.
     *
     * @param patches the patches about to be evaluated
     * @throws BadInputException for an older card and patches other than its own
     */
    public java.util.Set<String> simulationsSeen(PatchManifest patches) {
        java.util.Optional<java.util.Set<String>> recorded = recordedSimulationsSeen();
        if (recorded.isPresent()) {
            return recorded.get();
        }
        if (!dataManifestConfigHash().isEmpty() && dataManifestConfigHash().equals(patches.configHash())) {
            return new java.util.TreeSet<>(patches.trainSimulations());
        }
        throw new BadInputException(
                file,
                "has no field '" + TRAINED_ON + "' (an older magmap) and was trained on other patches than "
                        + patches.file() + " (data-manifest-config-hash " + dataManifestConfigHash()
                        + ", these patches " + patches.configHash() + "), so which of their maps the model has"
                        + " seen is unknown; evaluate it on its own patches or retrain it");
    }

    /** The card's list of the simulations the network has seen; empty for a card from before the field. */
    public java.util.Optional<java.util.Set<String>> recordedSimulationsSeen() {
        if (!node.has(TRAINED_ON)) {
            return java.util.Optional.empty();
        }
        java.util.Set<String> seen = new java.util.TreeSet<>();
        node.path(TRAINED_ON).forEach(n -> seen.add(n.asText()));
        return java.util.Optional.of(java.util.Collections.unmodifiableSet(seen));
    }

    /** The observables the network was trained on. */
    public List<String> observables() {
        List<String> out = new ArrayList<>();
        node.path("inputs").path("image").path("observables").forEach(o -> out.add(o.asText()));
        return List.copyOf(out);
    }

    /** The image normalisation it expects. */
    public String normalization() {
        return node.path("inputs").path("image").path("normalization").asText();
    }

    public int patchSize() {
        return node.path("patch-size").asInt();
    }

    /** Whether training turned each patch by a random one of the eight dihedral symmetries. */
    public boolean dihedralAugmentation() {
        return node.path("dihedral-augmentation").asBoolean(false);
    }

    /** A scalar network's target column (e.g. {@code b_ug}). */
    public String targetColumn() {
        return node.path("target").path("column").asText();
    }

    /** A scalar network's target unit ("" for a dimensionless one). */
    public String targetUnit() {
        return node.path("target").path("unit").asText("");
    }

    /** A scalar network's training mean of its target: the trivial baseline's prediction. */
    public double targetTrainingMean() {
        return node.path("target").path("training-mean").asDouble();
    }

    /** What the network predicts, for logs. */
    public String describeTarget() {
        return node.path("target").has("maps")
                ? "target maps " + node.path("target").path("maps")
                : "target " + targetColumn();
    }

    /** An image-to-image network's target maps and their scaling (network output x scale + offset = physical). */
    public MapTargets targetMaps() {
        JsonNode t = node.path("target");
        List<String> maps = new ArrayList<>();
        List<String> units = new ArrayList<>();
        t.path("maps").forEach(m -> maps.add(m.asText()));
        t.path("units").forEach(u -> units.add(u.asText()));
        double[] offsets = new double[maps.size()];
        double[] scales = new double[maps.size()];
        for (int i = 0; i < maps.size(); i++) {
            offsets[i] = t.path("offsets").path(i).asDouble();
            scales[i] = t.path("scales").path(i).asDouble();
        }
        return new MapTargets(maps, units, offsets, scales);
    }

    /** A model only sees inputs like those it was trained on: same patch size, observables and normalisation. */
    public void checkMatchesPatches(PatchManifest data) {
        checkMatchesPatchForm(data);
        for (String o : observables()) {
            if (!data.observables().contains(o)) {
                throw new BadInputException(
                        file,
                        "field 'inputs.image.observables': the model was trained on " + observables() + ", "
                                + data.file() + " holds only " + data.observables());
            }
        }
    }

    /** The patch size, the normalisation and (cresnet) the target maps: what a model needs of any patches. */
    public void checkMatchesPatchForm(PatchManifest data) {
        if (patchSize() != data.patchSize()) {
            throw new BadInputException(
                    file,
                    "field 'patch-size': the model takes " + patchSize() + "-pixel patches, the data (" + data.file()
                            + ") has " + data.patchSize());
        }
        if (!normalization().equals(data.normalization())) {
            throw new BadInputException(
                    file,
                    "field 'inputs.image.normalization': the model expects '" + normalization()
                            + "' normalisation, the data uses '" + data.normalization() + "'");
        }
        if (isImageToImage() && !data.targetMaps()) {
            throw new BadInputException(
                    file,
                    "the cresnet is measured against target maps, which " + data.file() + " lacks: remake the"
                            + " patches with magmap.make-patches.target-maps = true");
        }
    }

    /**
     * The mean over the eight symmetries is for image-to-image models that saw patches at every angle:
     * make-patches' rotation (recorded in its manifest) or the training's dihedral augmentation (recorded on the
     * card). A model that saw only upright patches has no reason to answer a turned one well.
     */
    public void checkDihedralMeanApplies(PatchManifest data, String setting) {
        if (!isImageToImage()) {
            throw new BadInputException(
                    setting, "applies to image-to-image models (cresnet); " + file + " is a '" + model() + "'");
        }
        if (!data.rotate() && !dihedralAugmentation()) {
            throw new BadInputException(
                    setting,
                    "needs a model trained on turned patches, but " + file + " was trained without dihedral"
                            + " augmentation and the patches were made with magmap.make-patches.rotate = false");
        }
    }

    /**
     * A model whose maps are averaged with this one's must be a cresnet taking the same input (patch size,
     * observables, normalisation, conditioning) and giving the same target maps on the same scaling: the mean is
     * taken in training units, so the scaling (from each run's training data) must agree.
     */
    public void checkEnsembleMember(ModelCard member, String setting) {
        if (!isImageToImage() || !member.isImageToImage()) {
            throw new BadInputException(
                    setting,
                    "averages image-to-image models (cresnet); " + file + " is a '" + model() + "' and " + member.file
                            + " a '" + member.model() + "'");
        }
        for (String field : List.of("patch-size", "inputs", "target")) {
            if (!node.path(field).equals(member.node.path(field))) {
                throw new BadInputException(
                        member.file,
                        "its '" + field + "' differs from " + file + "'s (" + member.node.path(field) + " against "
                                + node.path(field) + "): an ensemble's members take the same input and give the"
                                + " same maps on the same scaling; train them on the same patches");
            }
        }
    }

    /**
     * A model to start a run from must take the same input and have the architecture the run describes: same
     * model type, patch size, normalisation, observables and (cnn) target, and the same architecture record except
     * the learning rate (the run's applies) and the initialisation seed (unused). One widening is allowed: a cresnet
     * trained on a map (or stack) may start a run on a stack that begins with its maps (HI_CH01 to HI_CH01+SYNC);
     * the added maps' first weights start at zero.
     *
     * @param model the run's network ({@code magmap.train.model})
     * @param target the run's scalar target ({@code magmap.train.target}; cnn only)
     * @param architecture the run's architecture record, as the card would write it
     * @param observables the run's observables
     * @param data the run's patches
     */
    public void checkCanStart(
            String model, String target, Object architecture, List<String> observables, PatchManifest data) {
        if (!model().equals(model)) {
            throw new BadInputException(
                    file, "field 'model' is '" + model() + "', this run trains a '" + model + "' (magmap.train.model)");
        }
        boolean widening = widens(model(), observables(), observables);
        if (widening) {
            checkMatchesPatchForm(data);
        } else {
            checkMatchesPatches(data);
        }
        if (!widening && !observables().equals(observables)) {
            throw new BadInputException(
                    file,
                    "was trained on " + observables() + ", this run trains on " + observables
                            + " (magmap.train.observables; a cresnet may also start a stack that begins with its"
                            + " maps)");
        }
        if (model.equals(CNN) && !targetColumn().equals(target)) {
            throw new BadInputException(
                    file, "predicts '" + targetColumn() + "', this run trains '" + target + "' (magmap.train.target)");
        }
        ObjectNode wanted = Json.mapper().valueToTree(architecture);
        ObjectNode found = node.path("architecture").deepCopy();
        List<String> free = new ArrayList<>(List.of("learningRate", "seed"));
        if (widening) {
            free.add("inputChannels");
        }
        for (String key : free) {
            wanted.remove(key);
            found.remove(key);
        }
        if (!wanted.equals(found)) {
            throw new BadInputException(
                    file,
                    "has the architecture " + found + ", this run's settings describe " + wanted + " (magmap.train."
                            + model + ".*)");
        }
    }

    /**
     * Whether a cresnet trained on {@code trainedOn} (one observable) may start a run on {@code observables} (one
     * stack) that begins with its maps and adds more.
     */
    public static boolean widens(String model, List<String> trainedOn, List<String> observables) {
        if (!model.equals(CRESNET) || trainedOn.size() != 1 || observables.size() != 1) {
            return false;
        }
        List<String> from = StackedObservable.maps(trainedOn.get(0));
        List<String> to = StackedObservable.maps(observables.get(0));
        return to.size() > from.size() && to.subList(0, from.size()).equals(from);
    }
}
