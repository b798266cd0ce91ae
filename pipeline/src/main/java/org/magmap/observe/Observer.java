package org.magmap.observe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.magmap.sim.CubeMeta;
import org.magmap.sim.Mhd;

/**
 * Observes a cube in one view: one projection pass builds every requested observable and the truth maps.
 * Returns the maps in a stable order: inputs first (SYNC, HI_CHnn, NHI, PPV), their "_OBS" variants with noise
 * and beam, then the truth maps (B_UG, M_A, M_S, GAMMA_DEG, PSI_DEG) and their weight SIGMA_GAS.
 */
public final class Observer {
    private Observer() {}

    /**
     * @param fields the cube
     * @param localSigmaV the local velocity dispersion of the cube ({@link LocalDispersion}); computed once per
     *     cube and shared by its views
     * @param view the view
     * @param settings what to make
     */
    public static Map<String, MapProduct> observe(
            CubeFields fields, float[] localSigmaV, View view, ObserveSettings settings) {
        CubeMeta meta = fields.meta();
        int nx = fields.shape().nx();
        int ny = fields.shape().ny();
        int pixels = nx * ny;
        double massPerH = massPerHydrogen(meta);
        double step = meta.cellSizePc();
        double cs = meta.soundSpeedKmPerS();
        if (!(cs > 0) && fields.temperature == null) {
            throw new IllegalArgumentException(meta.runId() + " has neither a sound speed nor a temperature field:"
                    + " thermal widths and M_s cannot be computed");
        }

        List<LineOfSight.Accumulator> accs = new ArrayList<>();
        SynchrotronMap sync = null;
        if (settings.synchrotron()) {
            sync = new SynchrotronMap(pixels, settings.electronIndexP(), settings.electronsFollowGas(), massPerH, step);
            accs.add(sync);
        }
        ChannelMaps channels = null;
        if (!settings.channelWindows().isEmpty()) {
            channels = new ChannelMaps(pixels, settings.channelWindows(), massPerH, step, cs);
            accs.add(channels);
        }
        PpvCube ppv = null;
        if (settings.ppvChannels() > 0 || channels != null) {
            // The PPV accumulator also yields the column density map, wanted whenever H I is observed.
            ppv = new PpvCube(
                    pixels,
                    Math.max(1, settings.ppvChannels()),
                    settings.ppvFirstEdgeKmPerS(),
                    settings.ppvChannels() > 0 ? settings.ppvChannelWidthKmPerS() : 1,
                    massPerH,
                    step,
                    cs);
            accs.add(ppv);
        }
        TruthMaps truth = new TruthMaps(pixels, cs);
        accs.add(truth);

        LineOfSight.project(fields, view.rotationFor(meanFieldDirection(meta)), localSigmaV, accs);

        Map<String, MapProduct> out = new LinkedHashMap<>();
        int[] mapShape = {nx, ny};
        if (sync != null) {
            double exponent = (settings.electronIndexP() + 1) / 2;
            String unit = exponent == Math.rint(exponent)
                    ? "cm-3 uG" + (long) exponent + " pc"
                    : String.format(Locale.ROOT, "cm-3 uG(%.3g) pc", exponent);
            out.put(
                    "SYNC",
                    new MapProduct(
                            "SYNC",
                            unit,
                            "synchrotron intensity, sum n_e |B_perp|^((p+1)/2) dz (cluster paper eq. 8)",
                            mapShape,
                            sync.map(),
                            false));
        }
        if (channels != null) {
            for (int w = 0; w < channels.windows().size(); w++) {
                ChannelMaps.Window win = channels.windows().get(w);
                String name = String.format(Locale.ROOT, "HI_CH%02d", w);
                out.put(
                        name,
                        new MapProduct(
                                name,
                                "K km s-1",
                                String.format(
                                        Locale.ROOT,
                                        "H I thin channel map, v = %.3f km/s, dv = %.3f km/s",
                                        win.centreKmPerS(),
                                        win.widthKmPerS()),
                                mapShape,
                                channels.map(w),
                                false));
            }
        }
        if (ppv != null) {
            out.put("NHI", new MapProduct("NHI", "cm-2", "H I column density", mapShape, ppv.columnDensity(), false));
            if (settings.ppvChannels() > 0) {
                out.put(
                        "PPV",
                        new MapProduct(
                                "PPV",
                                "K",
                                "H I brightness temperature cube (optically thin)",
                                new int[] {nx, ny, settings.ppvChannels()},
                                ppv.cube(),
                                false));
            }
        }
        if (settings.hasEffects()) {
            for (MapProduct clean : new ArrayList<>(out.values())) {
                if (clean.shape().length != 2 || clean.name().equals("NHI")) {
                    continue;
                }
                float[] d = clean.data();
                if (settings.beamFwhmPixels() > 0) {
                    d = ObservationalEffects.smooth(d, nx, ny, settings.beamFwhmPixels(), meta.periodic());
                }
                if (settings.noiseRatio() > 0) {
                    d = ObservationalEffects.addNoiseByRatio(
                            d, settings.noiseRatio(), noiseSeed(settings, meta, view, clean.name()));
                }
                String name = clean.name() + "_OBS";
                out.put(
                        name,
                        new MapProduct(
                                name,
                                clean.unit(),
                                clean.description()
                                        + String.format(
                                                Locale.ROOT,
                                                " + beam FWHM %.3g px + noise %.3g x mean",
                                                settings.beamFwhmPixels(),
                                                settings.noiseRatio()),
                                mapShape,
                                d,
                                false));
            }
        }
        out.put(
                "B_UG",
                new MapProduct(
                        "B_UG",
                        "uG",
                        "density-weighted total field strength",
                        mapShape,
                        truth.fieldMicrogauss(),
                        true));
        out.put(
                "M_A",
                new MapProduct(
                        "M_A",
                        "",
                        "density-weighted local Alfven Mach number (box " + settings.dispersionBoxCells() + " cells)",
                        mapShape,
                        truth.alfvenMach(),
                        true));
        out.put(
                "M_S",
                new MapProduct(
                        "M_S",
                        "",
                        "density-weighted local sonic Mach number (box " + settings.dispersionBoxCells() + " cells)",
                        mapShape,
                        truth.sonicMach(),
                        true));
        out.put(
                "GAMMA_DEG",
                new MapProduct(
                        "GAMMA_DEG",
                        "deg",
                        "density-weighted inclination of B to the LOS, 0..90",
                        mapShape,
                        truth.inclinationDeg(),
                        true));
        out.put(
                "PSI_DEG",
                new MapProduct(
                        "PSI_DEG",
                        "deg",
                        "POS field angle from pseudo-Stokes sums; " + Angles.PSI_CONVENTION,
                        mapShape,
                        truth.psiDeg(),
                        true));
        float[] column = truth.columnWeight();
        float stepCm = (float) (step * Mhd.PARSEC_CM);
        for (int i = 0; i < column.length; i++) {
            column[i] *= stepCm;
        }
        out.put(
                "SIGMA_GAS",
                new MapProduct(
                        "SIGMA_GAS",
                        "g cm-2",
                        "gas surface density sum rho dz: the weight for averaging truth maps over an area",
                        mapShape,
                        column,
                        true));
        return out;
    }

    /** Deterministic per map: the same run, view and map always get the same noise, on any executor. */
    static long noiseSeed(ObserveSettings settings, CubeMeta meta, View view, String map) {
        long h = settings.noiseSeed();
        for (char c : (meta.runId() + "/" + view.name() + "/" + map).toCharArray()) {
            h = h * 1_000_003L + c;
        }
        return h;
    }

    private static double[] meanFieldDirection(CubeMeta meta) {
        double[] d = meta.meanFieldDirection();
        if (d == null) {
            throw new IllegalArgumentException(meta.runId() + " has no mean-field direction in its metadata; views are"
                    + " defined relative to it");
        }
        return d;
    }

    private static double massPerHydrogen(CubeMeta meta) {
        String v = meta.provenance().get("mass-per-hydrogen-amu");
        return v == null ? Mhd.MASS_PER_HYDROGEN_DEFAULT : Double.parseDouble(v);
    }
}
