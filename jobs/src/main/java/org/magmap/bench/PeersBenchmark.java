package org.magmap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.magmap.model.CResNet;
import org.magmap.model.CResNetConfig;
import org.magmap.model.Cnn;
import org.magmap.onnx.OnnxExport;
import org.magmap.predict.GraphRunner;
import org.magmap.predict.ModelRunner;
import org.magmap.predict.NetworkRunner;
import org.magmap.predict.OnnxRunner;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * magmap's networks beside their PyTorch peers ({@code bin/peers/torch_peers.py}), in one run, alternating: for
 * each round and network, PyTorch's training and inference, then magmap's training (DL4J in this JVM) and
 * inference through DL4J and through ONNX Runtime. Prints each figure and, at the end, the medians over the
 * rounds with the ratio to PyTorch.
 */
@Command(
        name = "peers",
        mixinStandardHelpOptions = true,
        description = "cnn and cresnet samples/s: magmap (DL4J training, DL4J and ONNX Runtime inference) beside"
                + " PyTorch, alternating in one run.",
        footer = {"", "Example:", "  OMP_NUM_THREADS=2 bin/magmap-bench peers --threads 2 --rounds 3"})
final class PeersBenchmark implements Callable<Integer> {
    @Option(names = "--threads", description = "Threads for every engine, default ${DEFAULT-VALUE}.")
    int threads = 2;

    @Option(names = "--rounds", description = "Alternating rounds, default ${DEFAULT-VALUE}.")
    int rounds = 2;

    @Option(names = "--nets", split = ",", description = "cnn and/or cresnet, default ${DEFAULT-VALUE}.")
    List<String> nets = List.of("cnn", "cresnet");

    @Option(names = "--python", description = "Python with PyTorch (Debian's python3-torch), default ${DEFAULT-VALUE}.")
    String python = "/usr/bin/python3";

    @Option(names = "--peer", description = "The PyTorch peer script, default ${DEFAULT-VALUE}.")
    Path peer = Path.of("bin/peers/torch_peers.py");

    @Option(names = "--seconds", description = "Least seconds per timed figure, default ${DEFAULT-VALUE}.")
    double seconds = 4;

    private static final int CNN_BATCH = 64;
    private static final int RESNET_BATCH = 32;
    private static final int INFER_BATCH = 256;

    @Override
    public Integer call() throws Exception {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        System.out.println("magmap peers benchmark - " + Bench.machine());
        System.out.printf(
                Locale.ROOT,
                "threads: PyTorch %d, ONNX Runtime %d, ND4J %d (OMP_NUM_THREADS=%s, OMP_WAIT_POLICY=%s); natives %s%n",
                threads,
                threads,
                Nd4j.getEnvironment().maxThreads(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset"),
                System.getProperty("org.bytedeco.javacpp.platform.extension", "(no extension: plain)"));
        Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String net : nets) {
                Map<String, List<Double>> f = figures.computeIfAbsent(net, k -> new LinkedHashMap<>());
                JsonNode torch = torch(net);
                add(f, "PyTorch training", torch.get("train_samples_per_s").asDouble());
                add(f, "PyTorch inference", torch.get("infer_samples_per_s").asDouble());
                Map<String, Double> ours = magmap(net);
                ours.forEach((k, v) -> add(f, k, v));
                System.out.printf(
                        Locale.ROOT,
                        "round %d %-8s PyTorch (%s, %,d parameters) train %.0f infer %.0f | magmap (%,d trainable)"
                                + " %s%n",
                        round,
                        net,
                        torch.get("torch").asText(),
                        torch.get("parameters").asLong(),
                        torch.get("train_samples_per_s").asDouble(),
                        torch.get("infer_samples_per_s").asDouble(),
                        ours.get("parameters").longValue(),
                        describe(ours));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "medians over %d rounds, samples/s (ratio to PyTorch's same work)%n", rounds);
        for (var e : figures.entrySet()) {
            double torchTrain = median(e.getValue().get("PyTorch training"));
            double torchInfer = median(e.getValue().get("PyTorch inference"));
            for (var f : e.getValue().entrySet()) {
                if (f.getKey().equals("parameters")) {
                    continue;
                }
                double m = median(f.getValue());
                double ratio = m / (f.getKey().contains("training") ? torchTrain : torchInfer);
                System.out.printf(Locale.ROOT, "  %-8s %-32s %9.0f  %5.2fx%n", e.getKey(), f.getKey(), m, ratio);
            }
        }
        return 0;
    }

    private JsonNode torch(String net) throws IOException, InterruptedException {
        if (!Files.isRegularFile(peer)) {
            throw new IllegalArgumentException(peer + ": no such peer script (run from the repository root)");
        }
        Process p = new ProcessBuilder(
                        python,
                        peer.toString(),
                        "--net",
                        net,
                        "--threads",
                        String.valueOf(threads),
                        "--infer-batch",
                        String.valueOf(INFER_BATCH),
                        "--json")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("the PyTorch peer failed (is python3-torch installed?): " + out);
        }
        String[] lines = out.split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    /** Training (DL4J, this JVM) and inference (DL4J, ONNX Runtime) of one network, samples/s. */
    private Map<String, Double> magmap(String net) {
        Nd4j.getRandom().setSeed(1);
        Map<String, Double> out = new LinkedHashMap<>();
        Model model;
        Runnable step;
        INDArray[] inferInput;
        List<long[]> shapes;
        int batch;
        if (net.equals("cnn")) {
            MultiLayerNetwork cnn = new MultiLayerNetwork(Cnn.build(Cnn.Config.paper(1)));
            cnn.init();
            DataSet d = new DataSet(
                    Nd4j.randn(DataType.FLOAT, CNN_BATCH, 1, 32, 32), Nd4j.randn(DataType.FLOAT, CNN_BATCH, 1));
            step = () -> cnn.fit(d);
            model = cnn;
            batch = CNN_BATCH;
            inferInput = new INDArray[] {Nd4j.randn(DataType.FLOAT, INFER_BATCH, 1, 32, 32)};
            shapes = List.of(new long[] {1, 32, 32});
        } else if (net.equals("cresnet")) {
            CResNetConfig cfg = new CResNetConfig(32, 1, 3, 8, 2, 6, 1e-3, 1, CResNetConfig.Norm.BATCH, 1);
            ComputationGraph g = new ComputationGraph(CResNet.build(cfg));
            g.init();
            MultiDataSet d = new MultiDataSet(
                    new INDArray[] {
                        Nd4j.randn(DataType.FLOAT, RESNET_BATCH, 1, 32, 32), Nd4j.rand(DataType.FLOAT, RESNET_BATCH, 3)
                    },
                    new INDArray[] {Nd4j.randn(DataType.FLOAT, RESNET_BATCH, 6, 32, 32)});
            step = () -> g.fit(d);
            model = g;
            batch = RESNET_BATCH;
            inferInput = new INDArray[] {
                Nd4j.randn(DataType.FLOAT, INFER_BATCH, 1, 32, 32), Nd4j.rand(DataType.FLOAT, INFER_BATCH, 3)
            };
            shapes = List.of(new long[] {1, 32, 32}, new long[] {3});
        } else {
            throw new IllegalArgumentException("--nets: unknown network '" + net + "' (cnn, cresnet)");
        }
        out.put("parameters", (double) trainable(model));
        out.put("DL4J training", rate(step, batch));
        ModelRunner dl4j =
                model instanceof MultiLayerNetwork m ? new NetworkRunner(m) : new GraphRunner((ComputationGraph) model);
        out.put("DL4J inference", rate(() -> dl4j.output(inferInput), INFER_BATCH));
        ModelRunner onnx = OnnxRunner.open(OnnxExport.export(model, shapes, Map.of()), threads);
        out.put("ONNX Runtime inference", rate(() -> onnx.output(inferInput), INFER_BATCH));
        return out;
    }

    /** Parameters a gradient step changes: all but batch normalisation's running mean and variance. */
    private static long trainable(Model model) {
        long n = 0;
        for (var e : model.paramTable().entrySet()) {
            String key = e.getKey();
            if (!key.endsWith("_mean") && !key.endsWith("_var") && !key.endsWith("_log10stdev")) {
                n += e.getValue().length();
            }
        }
        return n;
    }

    /** Samples per second of {@code work} over at least {@link #seconds}, after two warm-up calls. */
    private double rate(Runnable work, int samplesPerCall) {
        work.run();
        work.run();
        long t0 = System.nanoTime();
        long calls = 0;
        while (System.nanoTime() - t0 < seconds * 1e9) {
            work.run();
            calls++;
        }
        return calls * samplesPerCall / ((System.nanoTime() - t0) / 1e9);
    }

    private static String describe(Map<String, Double> ours) {
        List<String> parts = new ArrayList<>();
        ours.forEach((k, v) -> {
            if (!k.equals("parameters")) {
                parts.add(String.format(Locale.ROOT, "%s %.0f", k, v));
            }
        });
        return String.join(", ", parts);
    }

    private static void add(Map<String, List<Double>> f, String key, double value) {
        f.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
