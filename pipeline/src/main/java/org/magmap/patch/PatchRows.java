package org.magmap.patch;

import java.io.IOException;
import java.util.Iterator;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.magmap.ops.OutputFiles;

/**
 * Executor side of make-patches: the Parquet rows of one work unit, made lazily (one patch in memory at a time)
 * from its map file, copied to local scratch first. Each patch depends only on its identity and the seed, so the
 * rows are the same on any number of executors.
 */
public final class PatchRows implements Iterator<Row> {
    private final PatchUnit unit;
    private final PatchSampler sampler;
    private final PatchSource source;
    private final LongAccumulator made;
    private final int size;
    private long next;

    /** @param made counts the patches made, for the progress line */
    public PatchRows(PatchUnit unit, PatchSettings s, OutputFiles.HadoopSettings hadoop, LongAccumulator made)
            throws IOException {
        this.unit = unit;
        this.made = made;
        this.size = s.size();
        source = OutputFiles.withScratch(
                "magmap-patches-",
                scratch -> MapFileSource.read(
                        OutputFiles.localCopy(unit.mapFile(), scratch, hadoop),
                        unit.mapFile(),
                        unit.simulation(),
                        unit.observable(),
                        s.protonElectronRatio()));
        sampler = new PatchSampler(source, s.augmentation(unit.noiseRatio(), unit.beamFwhmPixels()), s.splits());
        next = unit.firstIndex();
    }

    @Override
    public boolean hasNext() {
        return next < unit.firstIndex() + unit.count();
    }

    @Override
    public Row next() {
        made.add(1);
        return PatchSchema.row(source, unit, sampler.patch(next++), size);
    }
}
