package org.magmap.baseline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.magmap.observe.ChannelMaps;
import org.magmap.observe.CubeFields;
import org.magmap.observe.LocalDispersion;
import org.magmap.observe.MapProduct;
import org.magmap.observe.ObserveSettings;
import org.magmap.observe.Observer;
import org.magmap.observe.View;
import org.magmap.sim.SyntheticTurbulence;
import org.magmap.sim.TurbulenceSpec;

/** The baselines applied to generated turbulence whose field direction is known. */
class BaselinesOnTurbulenceTest {
    private static Map<String, MapProduct> observe(TurbulenceSpec spec, View view) throws Exception {
        CubeFields fields = CubeFields.read(new SyntheticTurbulence(spec));
        float[] sigma =
                LocalDispersion.compute(org.magmap.observe.CubeFieldsAccess.velocity(fields), fields.shape(), 16, true);
        List<ChannelMaps.Window> windows = new ArrayList<>();
        for (double v = -3; v <= 3; v += 1.5) {
            windows.add(new ChannelMaps.Window(v, 2)); // thin channels (H I paper: 2 km/s)
        }
        ObserveSettings s =
                new ObserveSettings(List.of(view), true, 3, true, 1.4e9, 2.6e-13, windows, 0, 0, 1, 16, 0, 0, 1, 16);
        Map<String, MapProduct> maps = new java.util.LinkedHashMap<>(Observer.observe(fields, sigma, view, s));
        ObservationBaselines.vgt(maps, 16).ifPresent(m -> maps.put(m.name(), m));
        return maps;
    }

    /**
     * H I paper / Lazarian & Yuen 2018: in sub-Alfvenic turbulence, velocity gradients in thin channels run
     * perpendicular to the field, so VGT + 90 deg traces the POS field: AM >= 0.8 against the truth psi map.
     */
    @Test
    void vgtTracesTheFieldInSubAlfvenicTurbulence() throws Exception {
        // B0 = 5 uG, sigma_v = 2.5 km/s, n = 3 cm^-3: M_A ~ 0.5; mean field in the plane of the sky at 30 deg.
        TurbulenceSpec spec = new TurbulenceSpec("vgt", 64, 100, 5, 2.5, 5, 3, 1.4, 90, 30, 2, 4, 0.5, 17, 0, 0);
        Map<String, MapProduct> maps = observe(spec, View.of(90, 30));
        double am = AlignmentMeasure.of(
                maps.get("VGT_PSI_DEG").data(), maps.get("PSI_DEG").data());
        assertTrue(am >= 0.8, "AM(VGT, truth) = " + am);
        // ... and the truth psi itself follows the mean field's position angle.
        float[] uniform = new float[maps.get("PSI_DEG").data().length];
        java.util.Arrays.fill(uniform, 30f);
        double amMean = AlignmentMeasure.of(maps.get("PSI_DEG").data(), uniform);
        assertTrue(amMean > 0.8, "AM(truth psi, mean-field PA) = " + amMean);
    }

    /**
     * MM2 (H I paper eq. 1): B = c_s sqrt(4 pi rho) M_s / M_A holds per cell by construction; the
     * density-weighted maps should follow it to within the scatter that averaging along the LOS introduces.
     */
    @Test
    void truthMapsFollowTheMm2Relation() throws Exception {
        TurbulenceSpec spec = new TurbulenceSpec("mm2", 32, 100, 3, 2.5, 5, 3, 1.4, 90, 0, 2, 4, 0.5, 5, 0, 0);
        Map<String, MapProduct> maps = observe(spec, View.of(60, 0));
        float[] b = maps.get("B_UG").data();
        float[] ma = maps.get("M_A").data();
        float[] ms = maps.get("M_S").data();
        double rho = spec.meanMassDensity();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            double mm2 = 5e5 * Math.sqrt(4 * Math.PI * rho) * ms[i] / ma[i] * 1e6; // c_s in cm/s, G -> uG
            ratios.add(mm2 / b[i]);
        }
        ratios.sort(null);
        double median = ratios.get(ratios.size() / 2);
        assertTrue(Math.abs(median - 1) < 0.1, "median MM2 / B = " + median);
        assertTrue(
                ratios.get(ratios.size() / 10) > 0.8 && ratios.get(ratios.size() * 9 / 10) < 1.2,
                "80% of pixels within 20%: p10 " + ratios.get(ratios.size() / 10) + ", p90 "
                        + ratios.get(ratios.size() * 9 / 10));
    }
}
