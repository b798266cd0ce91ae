package org.magmap.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/magmap-bench}: one subcommand per benchmark. */
@Command(
        name = "magmap-bench",
        mixinStandardHelpOptions = true,
        subcommands = {
            SimulateBenchmark.class,
            ObserveBenchmark.class,
            MakePatchesBenchmark.class,
            TrainBenchmark.class,
            ResNetBenchmark.class,
            InferBenchmark.class,
            MosaicBenchmark.class,
            PeersBenchmark.class
        },
        description = "Speed and memory benchmarks; each prints a table of figures for this machine.",
        footer = {"", "Example:", "  bin/magmap-bench simulate --sizes 128,256,512"})
public final class Bench implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** A benchmark's measurement in a working directory. */
    @FunctionalInterface
    interface Measurement {
        int measure(Path root) throws IOException;
    }

    /** Runs a measurement in {@code work}, or in a new temporary directory deleted after it when that is null. */
    static int inWorkDirectory(Path work, String prefix, Measurement m) throws IOException {
        Path root = work == null ? Files.createTempDirectory(prefix) : work;
        try {
            return m.measure(root);
        } finally {
            if (work == null) {
                org.magmap.ops.OutputFiles.deleteLocalTree(root);
            }
        }
    }

    /** Runs a magmap job in-process on {@code master} with its output root at {@code root}; its exit status. */
    static int runJob(String master, Path root, String job, String... confs) {
        return new org.magmap.jobs.Magmap()
                .execute(org.magmap.jobs.Magmap.jobArgs(job, master, root.toString(), java.util.List.of(confs)));
    }

    /** Peak resident set size of this process (Linux VmHWM), in MiB; -1 elsewhere. */
    static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Sum of the heap pools' peak usage since the last reset, in MiB. */
    static double peakHeapMib() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum / (1024.0 * 1024);
    }

    static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    /** The machine, for the header of every table. */
    static String machine() {
        return String.format(
                Locale.ROOT,
                "%s, %d cores, Java %s, max heap %.1f GiB",
                System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024));
    }
}
