package org.magmap.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Writing a figure or a table into an output being staged (the job commits the whole directory at once). */
public final class ReportFiles {
    /** Sub-directory of PNG figures in an evaluate output. */
    public static final String FIGURES = "figures";

    private ReportFiles() {}

    /** Writes {@code png} as {@code name} under the figures directory of {@code dir}. */
    public static void figure(FileSystem fs, Path dir, String name, byte[] png) throws IOException {
        Path figures = new Path(dir, FIGURES);
        fs.mkdirs(figures);
        bytes(fs, new Path(figures, name), png);
    }

    /** Writes a text file (a CSV table) as UTF-8. */
    public static void text(FileSystem fs, Path file, String text) throws IOException {
        bytes(fs, file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(FileSystem fs, Path file, byte[] content) throws IOException {
        try (OutputStream o = fs.create(file, true)) {
            o.write(content);
        }
    }
}
