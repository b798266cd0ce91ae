package org.magmap.sky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.magmap.conf.RepoPaths;

/**
 * magmap's WCS against astropy's (wcslib): pixel to sky, position angles of drawn directions and channel
 * velocities, on the real files the tests use and on synthetic headers for the projections, frames and linear
 * forms they lack. The table was made once by {@code src/test/resources/sky/make-fixture.py} (astropy 8.0.1).
 */
class WcsAgainstAstropyTest {
    private static List<String> resource(String name) throws IOException {
        try (InputStream in = WcsAgainstAstropyTest.class.getResourceAsStream("/sky/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The synthetic headers of wcs-headers.txt, by case. */
    static Map<String, Header> syntheticHeaders() throws Exception {
        Map<String, Header> out = new LinkedHashMap<>();
        Header h = null;
        for (String line : resource("wcs-headers.txt")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("case ")) {
                h = new Header();
                h.addValue("NAXIS", 2, "");
                out.put(l.substring(5), h);
                continue;
            }
            String[] kv = l.split("=", 2);
            String key = kv[0].strip();
            String v = kv[1].strip();
            if (v.startsWith("'")) {
                h.addValue(key, v.substring(1, v.length() - 1), "");
            } else if (v.contains(".")) {
                h.addValue(key, Double.parseDouble(v), "");
            } else {
                h.addValue(key, Integer.parseInt(v), "");
            }
        }
        return out;
    }

    private static Header header(String name, Map<String, Header> synthetic) throws Exception {
        if (!name.startsWith("real/")) {
            return synthetic.get(name);
        }
        try (Fits f = new Fits(RepoPaths.realData().resolve(name.substring(5)).toFile())) {
            return f.readHDU().getHeader();
        }
    }

    @Test
    void pixelToSkySkyToPixelAndPositionAnglesMatchAstropy() throws Exception {
        Map<String, Header> synthetic = syntheticHeaders();
        Map<String, CelestialWcs> wcs = new LinkedHashMap<>();
        List<String> checked = new ArrayList<>();
        double worst = 0;
        double worstPa = 0;
        double worstBack = 0;
        for (String row : resource("wcs-fixture.tsv")) {
            String[] f = row.split("\t");
            if (!f[0].equals("sky")) {
                continue;
            }
            CelestialWcs w = wcs.computeIfAbsent(f[1], name -> {
                try {
                    return CelestialWcs.of(header(name, synthetic), name);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            double x = Double.parseDouble(f[2]);
            double y = Double.parseDouble(f[3]);
            double[] sky = w.pixelToWorld(x, y);
            double dLon = Math.abs(sky[0] - Double.parseDouble(f[4]));
            dLon = Math.min(dLon, 360 - dLon) * Math.cos(Math.toRadians(sky[1]));
            double dLat = Math.abs(sky[1] - Double.parseDouble(f[5]));
            worst = Math.max(worst, Math.max(dLon, dLat));
            assertTrue(dLon < 1e-7 && dLat < 1e-7, row + ": magmap gives " + sky[0] + ", " + sky[1]);
            // Sky to pixel, from astropy's sky position of the pixel: the inverse lands back on the pixel.
            double[] back = w.worldToPixel(Double.parseDouble(f[4]), Double.parseDouble(f[5]));
            // Within the sky tolerance above, in pixels; and magmap's own round trip lands on the pixel exactly.
            double tolPx = 1e-6 + 1e-7 / w.pixelScaleDeg();
            worstBack = Math.max(worstBack, Math.max(Math.abs(back[0] - x), Math.abs(back[1] - y)) / tolPx);
            assertTrue(
                    Math.abs(back[0] - x) < tolPx && Math.abs(back[1] - y) < tolPx,
                    row + ": magmap's pixel of astropy's sky position is " + back[0] + ", " + back[1]);
            double[] own = w.worldToPixel(sky[0], sky[1]);
            assertEquals(x, own[0], 1e-7, row + ": sky to pixel of magmap's own sky position, x");
            assertEquals(y, own[1], 1e-7, row + ": sky to pixel of magmap's own sky position, y");
            double pa = w.positionAngleDeg(x, y, Double.parseDouble(f[6]));
            double expected = Double.parseDouble(f[7]);
            double dPa = Math.abs(pa - expected);
            dPa = Math.min(dPa, 180 - dPa); // an orientation: 0 and 180 are one
            worstPa = Math.max(worstPa, dPa);
            assertTrue(dPa < 1e-3, row + ": magmap's position angle " + pa);
            if (!checked.contains(f[1])) {
                checked.add(f[1]);
            }
        }
        assertEquals(16, checked.size(), "every case was checked: " + checked);
        System.out.printf(
                "WCS vs astropy: %d cases, worst sky offset %.2e deg, worst position angle %.2e deg, worst sky to"
                        + " pixel %.2f of the tolerance%n",
                checked.size(), worst, worstPa, worstBack);
    }

    @Test
    void channelVelocitiesMatchAstropy() throws Exception {
        Map<String, Header> synthetic = syntheticHeaders();
        int rows = 0;
        for (String row : resource("wcs-fixture.tsv")) {
            String[] f = row.split("\t");
            if (!f[0].equals("velocity")) {
                continue;
            }
            SpectralAxis axis = SpectralAxis.of(header(f[1], synthetic), f[1]);
            double v = axis.velocity(Integer.parseInt(f[2]));
            assertEquals(Double.parseDouble(f[4]), v, 1e-6, row);
            rows++;
        }
        assertEquals(20, rows);
    }
}
