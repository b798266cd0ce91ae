package org.magmap.observe;

import java.io.Serializable;
import java.util.List;

/**
 * What to observe of each cube: the views, the observables and their parameters, the truth maps' dispersion box,
 * and the observational effects. Small and serializable: it travels to executors with the work.
 *
 * @param views the views (each cube is observed in every view)
 * @param synchrotron whether to make the synchrotron map
 * @param electronIndexP electron spectral index p (cluster paper: 3, exponent 2)
 * @param electronsFollowGas n_e proportional to gas density (true) or uniform (false)
 * @param synchrotronFrequencyHz observing frequency the synchrotron map is calibrated for (cluster paper: 1.4 GHz);
 *     recorded for the equipartition baseline, see {@link org.magmap.baseline.SynchrotronCalibration}
 * @param creFraction cosmic-ray electrons above E_p = 938 MeV per thermal electron: the calibration's one
 *     assumption (see {@link org.magmap.baseline.SynchrotronCalibration})
 * @param channelWindows thin H I channel maps to make (empty: none)
 * @param ppvChannels channels of the H I PPV cube (0: no PPV cube)
 * @param ppvFirstEdgeKmPerS left edge of the first PPV channel
 * @param ppvChannelWidthKmPerS PPV channel width
 * @param dispersionBoxCells side of the box for the local velocity dispersion of the truth maps (default 16)
 * @param noiseRatio Gaussian noise sigma as a fraction of the map mean (0: none); applied to input maps, written
 *     beside the clean ones with suffix "_OBS"
 * @param beamFwhmPixels Gaussian beam FWHM in pixels for the "_OBS" maps (0: none)
 * @param noiseSeed base seed; each map's noise seed derives from it and the map's identity
 * @param vgtBlockSize block size in pixels of the VGT baseline on the channel maps (0: no VGT)
 */
public record ObserveSettings(
        List<View> views,
        boolean synchrotron,
        double electronIndexP,
        boolean electronsFollowGas,
        double synchrotronFrequencyHz,
        double creFraction,
        List<ChannelMaps.Window> channelWindows,
        int ppvChannels,
        double ppvFirstEdgeKmPerS,
        double ppvChannelWidthKmPerS,
        int dispersionBoxCells,
        double noiseRatio,
        double beamFwhmPixels,
        long noiseSeed,
        int vgtBlockSize)
        implements Serializable {
    public ObserveSettings {
        views = List.copyOf(views);
        channelWindows = List.copyOf(channelWindows);
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no views to observe");
        }
        if (!synchrotron && channelWindows.isEmpty() && ppvChannels == 0) {
            throw new IllegalArgumentException(
                    "no observable chosen: enable synchrotron, channel maps or the PPV cube");
        }
        if (!(synchrotronFrequencyHz > 0) || !(creFraction > 0)) {
            throw new IllegalArgumentException("synchrotron frequency and CRE fraction must be positive, got "
                    + synchrotronFrequencyHz + " Hz and " + creFraction);
        }
        if (dispersionBoxCells < 2) {
            throw new IllegalArgumentException("the dispersion box needs at least 2 cells, got " + dispersionBoxCells);
        }
        if (noiseRatio < 0 || beamFwhmPixels < 0 || ppvChannels < 0 || vgtBlockSize < 0) {
            throw new IllegalArgumentException(
                    "noise ratio, beam, PPV channels and VGT block size must not be negative");
        }
        if (ppvChannels > 0 && !(ppvChannelWidthKmPerS > 0)) {
            throw new IllegalArgumentException("PPV channel width must be positive, got " + ppvChannelWidthKmPerS);
        }
        long names = views.stream().map(View::name).distinct().count();
        if (names != views.size()) {
            throw new IllegalArgumentException("two views share a name");
        }
    }

    /**
     * Reads the {@code magmap.observe} section: every inclination x every position angle is a view.
     *
     * @throws org.magmap.conf.ConfigException naming the key at fault
     */
    public static ObserveSettings from(com.typesafe.config.Config c) {
        try {
            List<View> views = new java.util.ArrayList<>();
            for (double i : c.getDoubleList("inclinations-deg")) {
                for (double pa : c.getDoubleList("position-angles-deg")) {
                    views.add(View.of(i, pa));
                }
            }
            double width = c.getDouble("hi.channel-width-km-per-s");
            List<ChannelMaps.Window> windows = new java.util.ArrayList<>();
            for (double centre : c.getDoubleList("hi.channel-centres-km-per-s")) {
                windows.add(new ChannelMaps.Window(centre, width));
            }
            return new ObserveSettings(
                    views,
                    c.getBoolean("synchrotron.enabled"),
                    c.getDouble("synchrotron.electron-index-p"),
                    c.getBoolean("synchrotron.electrons-follow-gas"),
                    c.getDouble("synchrotron.frequency-hz"),
                    c.getDouble("synchrotron.cre-fraction"),
                    windows,
                    c.getInt("hi.ppv-channels"),
                    c.getDouble("hi.ppv-first-edge-km-per-s"),
                    c.getDouble("hi.ppv-channel-width-km-per-s"),
                    c.getInt("truth.dispersion-box-cells"),
                    c.getDouble("effects.noise-ratio"),
                    c.getDouble("effects.beam-fwhm-pixels"),
                    c.getLong("effects.noise-seed"),
                    c.getInt("vgt.block-size"));
        } catch (com.typesafe.config.ConfigException | IllegalArgumentException e) {
            throw new org.magmap.conf.ConfigException("magmap.observe: " + e.getMessage(), e);
        }
    }

    /** Whether any map gets noise or a beam. */
    public boolean hasEffects() {
        return noiseRatio > 0 || beamFwhmPixels > 0;
    }
}
