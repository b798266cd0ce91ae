package org.magmap.patch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nom.tam.fits.Header;
import org.magmap.baseline.Equipartition;
import org.magmap.baseline.SynchrotronCalibration;
import org.magmap.fits.FitsCards;
import org.magmap.fits.MapFiles;
import org.magmap.ops.BadInputException;

/**
 * One observe map file read into the {@link PatchSource} of one observable: the input map (or the stack of maps),
 * the truth maps patches are labelled from, the view and channel recorded in the header, and the equipartition
 * baseline of a synchrotron input from the calibration observe recorded.
 */
public final class MapFileSource {
    private MapFileSource() {}

    /**
     * Reads one map file into a patch source for one observable.
     *
     * @param protonElectronRatio K0 of the equipartition baseline
     */
    public static PatchSource read(
            Path local, String name, String simulation, String observable, double protonElectronRatio)
            throws IOException {
        Header h = MapFiles.primaryHeader(local);
        Map<String, MapFiles.Image> images = new LinkedHashMap<>();
        for (MapFiles.Image im : MapFiles.read(local)) {
            images.put(im.extname(), im);
        }
        List<String> inputs = StackedObservable.maps(observable);
        List<String> needed = new ArrayList<>(inputs);
        needed.addAll(List.of("PSI_DEG", "GAMMA_DEG", "B_UG", "M_A", "M_S", "SIGMA_GAS"));
        for (String map : needed) {
            if (!images.containsKey(map)) {
                throw new BadInputException(name, "has no '" + map + "' map");
            }
            refuseBlankPixels(images.get(map), name);
        }
        int nx = images.get(inputs.get(0)).shape()[0];
        int ny = images.get(inputs.get(0)).shape()[1];
        float[] input = new float[inputs.size() * nx * ny];
        for (int c = 0; c < inputs.size(); c++) {
            MapFiles.Image in = images.get(inputs.get(c));
            if (in.shape()[0] != nx || in.shape()[1] != ny) {
                throw new BadInputException(
                        name,
                        "its maps '" + inputs.get(0) + "' and '" + inputs.get(c)
                                + "' differ in size; a stack needs maps of one grid");
            }
            System.arraycopy(in.data(), 0, input, c * nx * ny, nx * ny);
        }
        // The conditioning channel width is the (first) H I channel's; a synchrotron map has none.
        double centre = Double.NaN;
        double width = Double.NaN;
        for (String map : inputs) {
            if (map.matches("HI_CH\\d+")) {
                String k = map.substring("HI_".length());
                centre = FitsCards.doubleValue(h, k + "V", Double.NaN);
                width = FitsCards.doubleValue(h, k + "DV", Double.NaN);
                break;
            }
        }
        String view = FitsCards.stringValue(h, "VIEW");
        return new PatchSource(
                simulation,
                (int) FitsCards.doubleValue(h, "SNAPSHOT", 0),
                view == null ? "" : view,
                FitsCards.doubleValue(h, "INCLDEG", Double.NaN),
                FitsCards.doubleValue(h, "POSANDEG", Double.NaN),
                observable,
                centre,
                width,
                nx,
                ny,
                input,
                images.get("PSI_DEG").data(),
                images.get("GAMMA_DEG").data(),
                images.get("B_UG").data(),
                images.get("M_A").data(),
                images.get("M_S").data(),
                images.get("SIGMA_GAS").data(),
                equipartition(h, name, observable, protonElectronRatio));
    }

    /**
     * A patch's pixels and labels must all be numbers: observe makes no blank pixels (it empties blank cells), so
     * a NaN here is a map that went wrong upstream, and it would reach training as zeros and NaN labels.
     */
    static void refuseBlankPixels(MapFiles.Image map, String name) {
        float[] d = map.data();
        long blank = 0;
        for (float v : d) {
            if (!Float.isFinite(v)) {
                blank++;
            }
        }
        if (blank > 0) {
            throw new BadInputException(
                    name,
                    String.format(
                            java.util.Locale.ROOT,
                            "map '%s' has %d blank (NaN or infinite) pixels of %d (%.4g %%); patches need finite"
                                    + " maps",
                            map.extname(),
                            blank,
                            d.length,
                            100.0 * blank / d.length));
        }
    }

    /**
     * The equipartition baseline of a synchrotron input (SYNC, or SYNC_OBS with beam and noise) from the
     * calibration observe records; null for other inputs and for maps written before observe recorded it
     * (their patches get a null {@code b_eq_ug}, nothing else changes).
     */
    static SynchrotronCalibration.Estimator equipartition(
            Header h, String name, String observable, double protonElectronRatio) {
        if (!observable.equals("SYNC") && !observable.equals("SYNC_OBS")) {
            return null;
        }
        double scale = FitsCards.doubleValue(h, "SYNCCAL", Double.NaN);
        double frequency = FitsCards.doubleValue(h, "SYNCFREQ", Double.NaN);
        double pathPc = FitsCards.doubleValue(h, "LOSPC", Double.NaN);
        double p = FitsCards.doubleValue(h, "ELECP", Double.NaN);
        if (Double.isNaN(scale)) {
            return null;
        }
        try {
            return new SynchrotronCalibration.Estimator(
                    scale,
                    Equipartition.isotropic(
                            Equipartition.spectralIndexFromElectronIndex(p),
                            protonElectronRatio,
                            Equipartition.parsecToCm(pathPc),
                            frequency));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(
                    name, "has a synchrotron calibration (SYNCCAL) but bad SYNCFREQ/LOSPC/ELECP: " + e.getMessage());
        }
    }
}
