package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.magmap.observe.Maps;
import org.magmap.patch.PatchSchema;

/** The real make-patches entry point on local Spark, on maps the real simulate and observe jobs wrote. */
class MakePatchesIT {
    @TempDir
    Path dir;

    private int run(Path root, String job, String... confs) {
        return JobRuns.run(root, job, confs);
    }

    @BeforeEach
    void simulateAndObserve() {
        // Two parameter sets with two snapshots each, plus the unseen run: 6 cubes of 64^3, seen face-on.
        JobRuns.smallObservedSuite(dir, "[90]");
    }

    private static SparkSession reader() {
        return SparkSession.builder()
                .master("local[1]")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @Test
    void writesPartitionedParquetWithoutLeaksAndTheSameRowsOnOneOrFourPartitions() throws Exception {
        Path one = dir.resolve("one");
        Path four = dir.resolve("four");
        for (Path p : List.of(one, four)) {
            Files.createDirectories(p);
            Files.createSymbolicLink(p.resolve("observe"), dir.resolve("observe"));
        }
        String[] common = {
            "magmap.make-patches.patches-per-map=60",
            "magmap.make-patches.patches-per-task=25",
            "magmap.make-patches.noise-ratios=[0, 0.2]"
        };
        assertEquals(0, run(one, "make-patches", concat(common, "magmap.make-patches.partitions=1")));
        assertEquals(0, run(four, "make-patches", concat(common, "magmap.make-patches.partitions=4")));

        SparkSession spark = reader();
        try {
            Dataset<Row> a = spark.read().parquet(one.resolve("patches/patches").toString());
            Dataset<Row> b =
                    spark.read().parquet(four.resolve("patches/patches").toString());
            // 6 map files x 1 observable x 2 noise levels x 60 patches
            assertEquals(6 * 2 * 60, a.count());
            // Held-out simulations never reach train: the unseen run is test, snapshot 1 is validation.
            assertEquals(
                    0,
                    a.filter("split = 'train' and (simulation like 'unseen-%' or simulation like '%-snap1')")
                            .count());
            assertEquals(2 * 2 * 60, a.filter("split = 'test'").count(), "both snapshots of the unseen run");
            assertEquals(2 * 2 * 60, a.filter("split = 'validation'").count(), "snapshot 1 of the two other runs");
            assertEquals(2 * 2 * 60, a.filter("split = 'train'").count(), "snapshot 0 of the two other runs");
            // Identical row contents whatever the partitioning.
            List<Row> ra = a.orderBy("simulation", "noise_ratio", "patch_index").collectAsList();
            List<Row> rb = b.orderBy("simulation", "noise_ratio", "patch_index").collectAsList();
            assertEquals(ra.size(), rb.size());
            for (int i = 0; i < ra.size(); i++) {
                for (int f = 0; f < ra.get(i).size(); f++) {
                    Object x = ra.get(i).get(f);
                    Object y = rb.get(i).get(f);
                    if (x instanceof byte[] bx) {
                        assertTrue(Arrays.equals(bx, (byte[]) y), "row " + i + " column " + a.columns()[f]);
                    } else {
                        assertEquals(x, y, "row " + i + " column " + a.columns()[f]);
                    }
                }
            }
            // A decoded image is a normalised 32x32 patch; its psi target is the patch's mean angle.
            Row r = ra.get(7);
            float[] image = PatchSchema.floats(r.getAs("image"));
            assertEquals(32 * 32, image.length);
            assertEquals(0, Maps.mean(image), 1e-5);
            assertEquals(1, Maps.std(image), 1e-4);
            assertEquals(32 * 32, PatchSchema.floats(r.getAs("t_cos2psi")).length);
            assertNotEquals(0.0, (double) r.getAs("rotation_deg"));
            // Every synchrotron patch carries its equipartition baseline (the map headers hold the calibration);
            // with the default CRE density it is a microgauss-scale field like the truth's 1-5 uG.
            assertEquals(0, a.filter("b_eq_ug is null").count());
            double beq = r.getAs("b_eq_ug");
            assertTrue(beq > 0.1 && beq < 100, "b_eq_ug = " + beq);
            assertTrue(Files.isRegularFile(one.resolve("patches/manifest.json")));
        } finally {
            spark.stop();
        }
    }

    @Test
    void anInterruptedRunLeavesNoCommittedOutputAndARerunCompletes() throws Exception {
        String[] confs = {"magmap.make-patches.patches-per-map=3000", "magmap.make-patches.patches-per-task=100"};
        AtomicInteger code = new AtomicInteger(-1);
        Thread job = new Thread(() -> code.set(run(dir, "make-patches", confs)));
        job.start();
        // Cancel once the job has started writing into its staging directory.
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && !stagingHasParquet()) {
            Thread.sleep(50);
        }
        assertTrue(stagingHasParquet(), "the job started writing");
        SparkContext.getOrCreate().cancelAllJobs();
        job.join(120_000);
        assertNotEquals(0, code.get(), "a cancelled run fails");
        assertFalse(Files.exists(dir.resolve("patches")), "nothing is committed under the final name");

        assertEquals(0, run(dir, "make-patches", confs), "a rerun completes");
        assertTrue(Files.isRegularFile(dir.resolve("patches/manifest.json")));
    }

    private boolean stagingHasParquet() throws Exception {
        try (var s = Files.walk(dir)) {
            return s.anyMatch(p ->
                    p.toString().contains(".patches.staging-") && p.toString().endsWith(".parquet"));
        }
    }

    @Test
    void anUnknownObservableAPatchTooLargeOrAMissingMapFailsBeforeAnyWork() throws Exception {
        String err = JobRuns.refused(dir, "make-patches", "magmap.make-patches.observables=[SYNCH]");
        assertTrue(err.contains("has no map 'SYNCH'"), err);

        err = JobRuns.refused(dir, "make-patches", "magmap.make-patches.patch-size=64");
        assertTrue(err.contains("does not fit"), err);
        assertFalse(Files.exists(dir.resolve("patches")));

        // A map file the observe manifest lists has gone missing.
        Path victim;
        try (var maps = Files.list(dir.resolve("observe/maps"))) {
            victim = maps.sorted().findFirst().orElseThrow();
        }
        Files.delete(victim);
        err = JobRuns.refused(dir, "make-patches");
        assertTrue(err.contains(victim.getFileName().toString()) && err.contains("missing"), err);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
