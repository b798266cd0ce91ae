package org.magmap.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** What was built: project version, git commit, and the ND4J backend the build selected. */
public record BuildInfo(String version, String gitCommit, boolean dirty, String nd4jBackend, String dl4jVersion) {
    private static final String RESOURCE = "/magmap-build.properties";

    /** Reads the properties the build wrote; placeholders left by a build without git read as "unknown". */
    public static BuildInfo current() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        return new BuildInfo(
                value(p, "version"),
                value(p, "git.commit"),
                "true".equals(p.getProperty("git.dirty")),
                value(p, "nd4j.backend"),
                value(p, "dl4j.version"));
    }

    private static String value(Properties p, String key) {
        String v = p.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }

    /** Whether this build was made with {@code -Pcuda}. */
    public boolean cudaProfile() {
        return nd4jBackend.startsWith("nd4j-cuda");
    }

    /** "0.1.0 (commit abc1234, modified)". */
    public String describe() {
        return version + " (commit " + gitCommit + (dirty ? ", with uncommitted changes" : "") + ")";
    }
}
