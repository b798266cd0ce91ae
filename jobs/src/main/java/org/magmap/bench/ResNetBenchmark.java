package org.magmap.bench;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.magmap.model.CResNet;
import org.magmap.model.CResNetConfig;
import org.magmap.model.ContiguousIm2colConvolution;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training and inference throughput of the conditional ResNet in plain DL4J, as built ({@link
 * ContiguousIm2colConvolution} for every convolution) and with DL4J's own {@link ConvolutionLayer} in their place
 * (same network, same weights): the ratio is what the contiguous im2col buys on this machine.
 */
@Command(
        name = "cresnet",
        mixinStandardHelpOptions = true,
        description = "ResNet training and inference samples/s: magmap's convolutions against DL4J's own.",
        footer = {"", "Example:", "  bin/magmap-bench cresnet --base 8 --blocks 2 --batch 32 --threads 1"})
final class ResNetBenchmark implements Callable<Integer> {
    @Option(names = "--batches", description = "Mini-batches per timed pass, default ${DEFAULT-VALUE}.")
    int batches = 24;

    @Option(names = "--batch", description = "Mini-batch size, default ${DEFAULT-VALUE}.")
    int batch = 32;

    @Option(
            names = "--base",
            description = "Base channels, default ${DEFAULT-VALUE} (conf/experiments/cresnet-hi.conf).")
    int base = 8;

    @Option(names = "--blocks", description = "Residual blocks, default ${DEFAULT-VALUE}.")
    int blocks = 2;

    @Option(
            names = "--threads",
            description = "ND4J threads, default ${DEFAULT-VALUE} (what one Spark task gets from bin/magmap).")
    int threads = 1;

    @Override
    public Integer call() {
        System.out.println("magmap cresnet benchmark - " + Bench.machine() + ", base " + base + ", " + blocks
                + " blocks, 32x32, batch " + batch + ", " + threads + " ND4J thread(s)");
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        CResNetConfig cfg = new CResNetConfig(32, 1, 3, base, blocks, 6, 1e-3, 1, CResNetConfig.Norm.BATCH, 4);
        ComputationGraphConfiguration contiguous = CResNet.build(cfg);
        // The same graph with DL4J's ConvolutionLayer: ContiguousIm2colConvolution adds no settings of its own, so
        // its JSON read as the parent class is that layer exactly.
        ComputationGraphConfiguration stock = ComputationGraphConfiguration.fromJson(contiguous
                .toJson()
                .replace(ContiguousIm2colConvolution.class.getName(), ConvolutionLayer.class.getName()));
        MultiDataSet[] data = new MultiDataSet[batches];
        for (int i = 0; i < batches; i++) {
            data[i] = new MultiDataSet(
                    new INDArray[] {Nd4j.rand(new int[] {batch, 1, 32, 32}), Nd4j.rand(batch, 3)},
                    new INDArray[] {Nd4j.rand(new int[] {batch, 6, 32, 32})});
        }
        double[] dl4j = measure(stock, data);
        double[] magmap = measure(contiguous, data);
        System.out.printf(Locale.ROOT, "%-40s %12s %12s%n", "convolutions", "train /s", "predict /s");
        System.out.printf(Locale.ROOT, "%-40s %12.1f %12.1f%n", "DL4J ConvolutionLayer", dl4j[0], dl4j[1]);
        System.out.printf(Locale.ROOT, "%-40s %12.1f %12.1f%n", "ContiguousIm2colConvolution", magmap[0], magmap[1]);
        System.out.printf(
                Locale.ROOT, "speed-up: training %.2fx, inference %.2fx%n", magmap[0] / dl4j[0], magmap[1] / dl4j[1]);
        return 0;
    }

    /** Training and inference samples/s of a fresh network on {@code data}, each after one untimed pass. */
    private double[] measure(ComputationGraphConfiguration conf, MultiDataSet[] data) {
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        for (MultiDataSet d : data) {
            net.fit(d);
        }
        long t0 = System.nanoTime();
        for (MultiDataSet d : data) {
            net.fit(d);
        }
        double train = (double) data.length * batch / ((System.nanoTime() - t0) / 1e9);
        for (MultiDataSet d : data) {
            net.output(false, d.getFeatures());
        }
        t0 = System.nanoTime();
        for (MultiDataSet d : data) {
            net.output(false, d.getFeatures());
        }
        double predict = (double) data.length * batch / ((System.nanoTime() - t0) / 1e9);
        return new double[] {train, predict};
    }
}
