package org.magmap.mapping;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.magmap.baseline.ObservationBaselines;
import org.magmap.baseline.SynchrotronCalibration;
import org.magmap.fits.FitsCards;
import org.magmap.fits.MapFiles;
import org.magmap.observe.CubeFields;
import org.magmap.observe.LocalDispersion;
import org.magmap.observe.MapProduct;
import org.magmap.observe.ObserveSettings;
import org.magmap.observe.ObserveWork;
import org.magmap.observe.ObserveWork.CubeTask;
import org.magmap.observe.ObserveWork.ViewResult;
import org.magmap.observe.Observer;
import org.magmap.observe.View;
import org.magmap.ops.OutputFiles;
import org.magmap.sim.CubeMeta;
import org.magmap.sim.CubeReader;
import org.magmap.sim.FitsCubeStore;

/**
 * One simulation cube turned into observed map files, the executor side of {@code observe}: the cube copied to
 * local scratch, every view observed, the baselines that need whole maps added (the VGT angle map), each view
 * written as one FITS file with its provenance (the view, the settings, the synchrotron calibration the
 * equipartition baseline reads back) and published to the output.
 */
public final class CubeObservation {
    private CubeObservation() {}

    /** The setting that bounds the blank cells of a cube. */
    public static final String MAX_BLANK_FRACTION = "magmap.observe.max-blank-fraction";

    /**
     * Executor side: one cube, every view.
     *
     * @param maxBlankFraction the largest fraction of blank (NaN) cells a field may have; see
     *     {@link CubeFields#fillBlankCells}
     */
    public static List<ViewResult> observe(
            CubeTask task,
            ObserveSettings s,
            double maxBlankFraction,
            String mapsDir,
            OutputFiles.HadoopSettings hadoop)
            throws IOException {
        return OutputFiles.withScratch("magmap-observe-", scratch -> {
            Path local = OutputFiles.localCopy(task.file(), scratch, hadoop);
            CubeFields fields;
            try (CubeReader r = FitsCubeStore.open(local)) {
                fields = CubeFields.read(r);
            }
            long filled = fields.fillBlankCells(maxBlankFraction, task.file(), MAX_BLANK_FRACTION);
            if (filled > 0) {
                org.slf4j.LoggerFactory.getLogger(CubeObservation.class)
                        .warn(
                                "observe: {}: {} blank values filled with their field's mean ({})",
                                task.file(),
                                filled,
                                MAX_BLANK_FRACTION);
            }
            CubeMeta meta = fields.meta();
            float[] sigma =
                    LocalDispersion.compute(velocity(fields), meta.shape(), s.dispersionBoxCells(), meta.periodic());
            List<ViewResult> results = new ArrayList<>();
            for (View view : s.views()) {
                long t0 = System.nanoTime();
                Map<String, MapProduct> maps = new LinkedHashMap<>(Observer.observe(fields, sigma, view, s));
                ObservationBaselines.vgt(maps, s.vgtBlockSize()).ifPresent(m -> maps.put(m.name(), m));
                String name = meta.runId() + "__" + view.name() + ".fits";
                Path file = scratch.resolve(name);
                MapFiles.write(file, provenance(meta, view, s), images(maps), meta.cellSizePc());
                OutputFiles.publish(file, mapsDir, hadoop);
                Map<String, Double> means = new LinkedHashMap<>();
                maps.values().forEach(m -> means.put(m.name(), org.magmap.observe.Maps.mean(m.data())));
                results.add(new ViewResult(
                        meta.runId(),
                        view.name(),
                        ObserveWork.MAPS + "/" + name,
                        List.copyOf(maps.keySet()),
                        means,
                        (System.nanoTime() - t0) / 1e9));
            }
            return results;
        });
    }

    private static float[][] velocity(CubeFields f) {
        return org.magmap.observe.CubeFieldsAccess.velocity(f);
    }

    private static List<MapFiles.Image> images(Map<String, MapProduct> maps) {
        return maps.values().stream()
                .map(m -> new MapFiles.Image(m.name(), m.unit(), m.description(), m.shape(), m.data()))
                .toList();
    }

    /**
     * The calibration recorded with a synchrotron map for the equipartition baseline; empty without a synchrotron
     * map or for p &lt;= 2, where Beck &amp; Krause's formula has no finite field. The path length is the box depth:
     * every line of sight takes nz steps of one cell ({@link org.magmap.observe.LineOfSight}).
     */
    static Optional<SynchrotronCalibration> synchrotronCalibration(CubeMeta meta, ObserveSettings s) {
        if (!s.synchrotron() || !(s.electronIndexP() > 2)) {
            return Optional.empty();
        }
        return Optional.of(new SynchrotronCalibration(
                s.synchrotronFrequencyHz(),
                s.electronIndexP(),
                s.creFraction(),
                meta.shape().nz() * meta.cellSizePc()));
    }

    private static FitsCards provenance(CubeMeta meta, View view, ObserveSettings s) {
        FitsCards c = new FitsCards()
                .add("RUNID", meta.runId(), "simulation run")
                .add("SNAPSHOT", (long) meta.snapshot(), "snapshot number")
                .add("SIMCODE", meta.sourceCode(), "code that made the cube")
                .add("VIEW", view.name(), "view name")
                .add("INCLDEG", view.inclinationDeg(), "angle of the mean field to the LOS, deg")
                .add("POSANDEG", view.positionAngleDeg(), "POS angle of the mean field from +x towards +y, deg")
                .add("CELLPC", meta.cellSizePc(), "pixel size, pc")
                .add("PSICONV", org.magmap.observe.Angles.PSI_CONVENTION, "angle convention")
                .add("ELECP", s.electronIndexP(), "synchrotron electron spectral index p")
                .add("NOISERAT", s.noiseRatio(), "noise sigma / map mean in the _OBS maps")
                .add("BEAMFWHM", s.beamFwhmPixels(), "beam FWHM in pixels in the _OBS maps")
                .add("DISPBOX", (long) s.dispersionBoxCells(), "local dispersion box, cells");
        synchrotronCalibration(meta, s).ifPresent(cal -> c.add("SYNCFREQ", cal.frequencyHz(), "SYNC calibrated for, Hz")
                .add("CREFRAC", cal.creFraction(), "CRE above 938 MeV per thermal electron")
                .add("LOSPC", cal.pathLengthPc(), "LOS path length through the box, pc")
                .add("SYNCCAL", cal.intensityCgsPerMapUnit(), "erg/s/cm2/Hz/sr per SYNC unit"));
        for (int w = 0; w < s.channelWindows().size(); w++) {
            c.add(
                    String.format(Locale.ROOT, "CH%02dV", w),
                    s.channelWindows().get(w).centreKmPerS(),
                    "HI_CH" + String.format(Locale.ROOT, "%02d", w) + " window centre, km/s");
            c.add(
                    String.format(Locale.ROOT, "CH%02dDV", w),
                    s.channelWindows().get(w).widthKmPerS(),
                    "HI_CH" + String.format(Locale.ROOT, "%02d", w) + " window width, km/s");
        }
        c.history("magmap observe: " + s);
        meta.provenance().forEach((k, v) -> c.history("cube " + k + " = " + v));
        return c;
    }
}
