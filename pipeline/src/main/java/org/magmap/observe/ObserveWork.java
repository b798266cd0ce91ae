package org.magmap.observe;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** The observe job's work units and results: small records that cross between driver and executors. */
public final class ObserveWork {
    /** The sub-directory of an observe output holding the map files (the manifest lists them under it). */
    public static final String MAPS = "maps";

    private ObserveWork() {}

    /**
     * One cube to observe in every view.
     *
     * @param file the cube's FITS file (any Hadoop path)
     * @param runId its run id
     */
    public record CubeTask(String file, String runId) implements Serializable {}

    /**
     * What one cube x view produced.
     *
     * @param runId the run
     * @param view the view's name
     * @param file the map file, relative to the output directory
     * @param maps the map names (FITS EXTNAMEs) in the file
     * @param means the mean of each map, for the manifest
     * @param seconds time to project and write
     */
    public record ViewResult(
            String runId, String view, String file, List<String> maps, Map<String, Double> means, double seconds)
            implements Serializable {}
}
