package org.magmap.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.magmap.artifact.RunLedger;
import org.magmap.conf.RepoPaths;
import org.magmap.ops.FileLock;

/**
 * magmap on YARN and HDFS: a MiniDFSCluster and a MiniYARNCluster (Hadoop's own, in this JVM), the suite
 * simulated, observed and the model trained onto {@code hdfs://}; {@code make-patches} (client deploy mode) and
 * {@code infer} (cluster deploy mode) submitted through {@code bin/magmap-submit --master yarn}, reading from and
 * committing to HDFS, give a {@code local[2]} run's outputs; {@code nightly}'s ledger, lock and per-input
 * commits work on HDFS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnClusterIT {
    private Path local;
    private MiniDFSCluster dfs;
    private MiniYARNCluster yarn;
    private Path hadoopConfDir;
    private FileSystem fs;
    private String hdfsRoot;
    private int applications;

    @BeforeAll
    void hdfsAndYarnWithASuiteOnHdfs() throws Exception {
        local = Files.createTempDirectory("magmap-yarn-");
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, local.resolve("dfs").toString());
        dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        dfs.waitActive();
        fs = dfs.getFileSystem();

        // A fresh configuration: the MiniDFSCluster's carries test-only settings (a topology mapping class of
        // Hadoop's test jars) that the submitted applications could not load.
        YarnConfiguration yarnConf = new YarnConfiguration();
        yarnConf.set("fs.defaultFS", fs.getUri().toString());
        yarnConf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
        yarnConf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        yarnConf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        yarnConf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
        yarnConf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
        // One queue with all the capacity: the shaded minicluster carries no capacity-scheduler.xml.
        yarnConf.set("yarn.scheduler.capacity.root.queues", "default");
        yarnConf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        yarnConf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        yarnConf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        yarnConf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        yarnConf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        yarnConf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        yarnConf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);
        yarn = new MiniYARNCluster("magmap-yarn-it", 1, 1, 1);
        yarn.init(yarnConf);
        yarn.start();
        // The RM's address carries its real port only once it is up.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0"), "the RM did not start");
        hadoopConfDir = local.resolve("hadoop-conf");
        Files.createDirectories(hadoopConfDir);
        try (OutputStream out = Files.newOutputStream(hadoopConfDir.resolve("yarn-site.xml"))) {
            yarn.getConfig().writeXml(out);
        }
        Files.writeString(
                hadoopConfDir.resolve("core-site.xml"),
                "<configuration><property><name>fs.defaultFS</name><value>" + fs.getUri()
                        + "</value></property></configuration>\n");

        hdfsRoot = fs.getUri() + "/magmap";
        assertEquals(
                0,
                JobRuns.runAt(
                        hdfsRoot,
                        "simulate",
                        "magmap.simulate.grid-size=64",
                        "magmap.simulate.snapshots=2",
                        "magmap.simulate.b0-microgauss=[1, 5]",
                        "magmap.simulate.sigma-v-km-per-s=[2.5]"));
        assertEquals(0, JobRuns.runAt(hdfsRoot, "observe", "magmap.observe.inclinations-deg=[90]"));
        JobRuns.trainSmallSyncCnn(hdfsRoot);
        fs.mkdirs(new org.apache.hadoop.fs.Path("/survey"));
        for (String name : List.of("1904-66_SIN.fits", "galactic_2d.fits")) {
            fs.copyFromLocalFile(
                    new org.apache.hadoop.fs.Path(
                            RepoPaths.realData().resolve(name).toString()),
                    new org.apache.hadoop.fs.Path("/survey/" + name));
        }
    }

    @AfterAll
    void stopTheClusters() throws IOException {
        if (yarn != null) {
            yarn.stop();
        }
        if (dfs != null) {
            dfs.shutdown();
        }
        JobRuns.deleteTree(local);
    }

    /** {@code bin/magmap-submit --master yarn} of one job with its output root on HDFS; asserts it succeeded. */
    private void submit(String deployMode, String job, String... confs) throws Exception {
        String javaHome = System.getProperty("java.home");
        List<String> command = JobRuns.submitCommand(
                List.of(
                        "--master",
                        "yarn",
                        "--deploy-mode",
                        deployMode,
                        "--driver-memory",
                        "1g",
                        "--executor-memory",
                        "1g",
                        "--executor-cores",
                        "1",
                        "--num-executors",
                        "2",
                        "--conf",
                        "spark.ui.enabled=false",
                        "--conf",
                        "spark.driver.host=127.0.0.1",
                        // Spark's jars are on this one node already: no upload of them per application.
                        "--conf",
                        "spark.yarn.jars=local:" + RepoPaths.root().resolve("jobs/target/spark-home/jars") + "/*",
                        "--conf",
                        "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
                        "--conf",
                        "spark.executorEnv.JAVA_HOME=" + javaHome),
                hdfsRoot,
                job,
                confs);
        Path log = Files.createTempFile("magmap-yarn-" + job + "-" + deployMode, ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(RepoPaths.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("HADOOP_CONF_DIR", hadoopConfDir.toString());
        pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().put("MAGMAP_DRIVER_MEMORY", "2g");
        Process p = pb.start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, job + " on YARN hangs:\n" + out);
        assertEquals(0, p.exitValue(), job + " on YARN (" + deployMode + "):\n" + out);
        if (deployMode.equals("client")) {
            assertTrue(out.contains("master yarn"), "the driver ran here against YARN:\n" + out);
        }
        // The ResourceManager saw it through to a successful end.
        long succeeded = yarn.getResourceManager().getRMContext().getRMApps().values().stream()
                .filter(app -> app.getFinalApplicationStatus()
                        == org.apache.hadoop.yarn.api.records.FinalApplicationStatus.SUCCEEDED)
                .count();
        assertEquals(++applications, succeeded, "YARN applications that succeeded:\n" + out);
    }

    @Test
    @Order(1)
    void makePatchesOnYarnReadsAndCommitsOnHdfsTheLocalRows() throws Exception {
        String[] settings = {"magmap.make-patches.patches-per-map=60", "magmap.make-patches.patches-per-task=20"};
        assertEquals(
                0,
                JobRuns.runAt(
                        hdfsRoot, "make-patches", JobRuns.with(settings, "magmap.make-patches.output-dir=p-local")));
        submit("client", "make-patches", JobRuns.with(settings, "magmap.make-patches.output-dir=p-yarn"));
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/magmap/p-yarn/" + org.magmap.ops.AtomicOutput.MARKER)));
        JobRuns.assertSameParquetRows(hdfsRoot + "/p-local/patches", hdfsRoot + "/p-yarn/patches");
    }

    @Test
    @Order(2)
    void inferOnYarnInClusterModeWritesTheLocalMapsToHdfs() throws Exception {
        String[] settings = {"magmap.infer.inputs=[\"" + fs.getUri() + "/survey/1904-66_SIN.fits\"]"};
        assertEquals(0, JobRuns.runAt(hdfsRoot, "infer", JobRuns.with(settings, "magmap.infer.output-dir=i-local")));
        submit("cluster", "infer", JobRuns.with(settings, "magmap.infer.output-dir=i-yarn"));
        JobRuns.assertSameMaps(
                fromHdfs("/magmap/i-local/maps/1904-66_SIN__image.fits"),
                fromHdfs("/magmap/i-yarn/maps/1904-66_SIN__image.fits"));
    }

    @Test
    @Order(3)
    void nightlyKeepsItsLedgerLockAndCommitsOnHdfs() throws Exception {
        String inputs = "magmap.nightly.inputs=[\"" + fs.getUri() + "/survey\"]";
        assertEquals(0, JobRuns.runAt(hdfsRoot, "nightly", inputs));
        RunLedger ledger = RunLedger.read(fs, new org.apache.hadoop.fs.Path("/magmap/nightly"));
        assertEquals(2, ledger.entries().size());
        for (RunLedger.Entry e : ledger.entries().values()) {
            assertEquals(RunLedger.Status.OK, e.status(), e.error());
            assertTrue(e.output().startsWith("hdfs://"), e.output());
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(e.output(), org.magmap.ops.AtomicOutput.MARKER)));
        }
        assertEquals(0, JobRuns.runAt(hdfsRoot, "nightly", inputs));
        assertEquals(ledger, RunLedger.read(fs, new org.apache.hadoop.fs.Path("/magmap/nightly")), "nothing redone");

        // The lock on HDFS: the NameNode lets one create win; a live holder keeps it.
        org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path("/magmap/nightly/.nightly.lock");
        try (FileLock held =
                FileLock.tryAcquire(fs, lock, Duration.ofMinutes(2)).orElseThrow()) {
            assertFalse(FileLock.tryAcquire(fs, lock, Duration.ofMinutes(2)).isPresent(), "a second holder");
            String err =
                    JobRuns.expectExit(Magmap.EXIT_LOCKED, local, "nightly", inputs, "magmap.output-root=" + hdfsRoot);
            assertTrue(err.contains("hdfs://") && err.contains(".nightly.lock"), err);
        }
        assertFalse(fs.exists(lock), "released");
    }

    private Path fromHdfs(String file) throws IOException {
        Path out = local.resolve("copies").resolve(file.substring(1));
        Files.createDirectories(out.getParent());
        fs.copyToLocalFile(new org.apache.hadoop.fs.Path(file), new org.apache.hadoop.fs.Path(out.toString()));
        return out;
    }
}
