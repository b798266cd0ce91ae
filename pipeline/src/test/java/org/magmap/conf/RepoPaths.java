package org.magmap.conf;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, for tests that read conf/ or data-samples/ (only files inside the repository: a clone elsewhere has nothing beside it). */
public final class RepoPaths {
    private RepoPaths() {}

    /** The repository root (set by the build as magmap.repo.root; else found by walking up to conf/). */
    public static Path root() {
        String prop = System.getProperty("magmap.repo.root");
        if (prop != null && Files.isDirectory(Path.of(prop, "conf"))) {
            return Path.of(prop).toAbsolutePath();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("conf"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "Cannot find the repository root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** {@code data-samples/real}: real instrument files for tests (sources and licences in its README). */
    public static Path realData() {
        return root().resolve("data-samples/real");
    }
}
