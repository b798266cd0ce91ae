package org.magmap.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.magmap.ops.BadInputException;

/** The FITS files a job's list of inputs names: files, directories (their .fits files) and globs, any Hadoop path. */
final class FitsInputs {
    private FitsInputs() {}

    /**
     * The listed inputs expanded, distinct, in a stable order.
     *
     * @param key the config key that lists them, for messages
     * @param subdirectory a directory that has this subdirectory is read through it (an infer output's "maps");
     *     null for none
     * @throws BadInputException for an entry that matches nothing
     */
    static List<String> expand(Configuration conf, List<String> entries, String key, String subdirectory)
            throws IOException {
        List<String> files = new ArrayList<>();
        for (String entry : entries) {
            Path p = new Path(entry);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) {
                throw new BadInputException(entry, "no such file (listed in " + key + ")");
            }
            for (FileStatus m : matches) {
                if (!m.isDirectory()) {
                    files.add(m.getPath().toString());
                    continue;
                }
                Path dir = m.getPath();
                if (subdirectory != null && fs.isDirectory(new Path(dir, subdirectory))) {
                    dir = new Path(dir, subdirectory);
                }
                for (FileStatus f : fs.listStatus(dir)) {
                    if (f.isFile()
                            && f.getPath().getName().toLowerCase(Locale.ROOT).matches(".*\\.fits?$")) {
                        files.add(f.getPath().toString());
                    }
                }
            }
        }
        return files.stream().distinct().sorted().toList();
    }
}
