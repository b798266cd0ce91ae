#!/usr/bin/env python3
"""Reference values for magmap's WCS (sky.CelestialWcs, sky.SpectralAxis), computed with astropy.

Run once from this directory with an astropy install (Debian's python3-astropy, or pip):
    python3 make-fixture.py ../../../../../data-samples/real > wcs-fixture.tsv
The Java tests read the committed table; they never run Python.

Rows: kind, case, x, y (0-based pixel indices along NAXIS1/NAXIS2), then for "sky" the longitude and latitude
(deg) and, for a direction drawn at pixel angle a (deg from +x towards +y), its position angle east of north
(deg, in [0, 180)); for "velocity" rows, the channel index (in x) and the velocity in km/s.
"""
import sys, os, warnings, zlib
import numpy as np
from astropy.io import fits
from astropy.wcs import WCS, FITSFixedWarning
from astropy.coordinates import SkyCoord
import astropy.units as u

warnings.simplefilter("ignore", FITSFixedWarning)
real = sys.argv[1]

def headers():
    name, cards = None, []
    for line in open("wcs-headers.txt"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("case "):
            if name:
                yield name, cards
            name, cards = line[5:], []
        else:
            cards.append(line)
    if name:
        yield name, cards

def parse(cards):
    h = fits.Header()
    h["NAXIS"] = 2
    for c in cards:
        k, v = [s.strip() for s in c.split("=", 1)]
        h[k] = v.strip("'") if v.startswith("'") else float(v) if "." in v else int(v)
    return h

def sky_rows(name, h):
    w = WCS(h).celestial
    nx, ny = h["NAXIS1"], h["NAXIS2"]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    pts = [(0, 0), (nx - 1, ny - 1), ((nx - 1) / 2, (ny - 1) / 2)] + [
        (rng.uniform(0, nx - 1), rng.uniform(0, ny - 1)) for _ in range(5)]
    for (x, y) in [(round(float(px), 6), round(float(py), 6)) for (px, py) in pts]:
        lon, lat = w.wcs_pix2world([[x, y]], 0)[0]
        if not np.isfinite(lon):
            continue
        for a in (0.0, 37.0, 90.0, 145.0):
            eps = 1e-3
            lon2, lat2 = w.wcs_pix2world([[x + eps * np.cos(np.radians(a)), y + eps * np.sin(np.radians(a))]], 0)[0]
            frame = "icrs"
            p1 = SkyCoord(lon * u.deg, lat * u.deg, frame=frame)
            p2 = SkyCoord(lon2 * u.deg, lat2 * u.deg, frame=frame)
            pa = p1.position_angle(p2).deg % 180.0
            print("sky\t%s\t%.6f\t%.6f\t%.10f\t%.10f\t%.1f\t%.8f" % (name, x, y, lon % 360, lat, a, pa))

def all_headers():
    for name, cards in headers():
        yield name, parse(cards)
    for f in ("ngc6946.fits", "example_cube.fits", "equatorial_3d.fits", "1904-66_SIN.fits"):
        yield "real/" + f, fits.getheader(os.path.join(real, f))

for name, h in all_headers():
    sky_rows(name, h)
    w = WCS(h)
    f = name
    if w.has_spectral:
        spec = w.spectral
        n = h["NAXIS%d" % (w.wcs.spec + 1)]
        for k in sorted({0, 1, n // 2, n - 1}):
            q = spec.pixel_to_world(k)
            if q.unit.physical_type == "frequency":  # a FREQ axis: radio velocity
                v = q.to(u.km / u.s, doppler_convention="radio",
                         doppler_rest=h.get("RESTFRQ", h.get("RESTFREQ")) * u.Hz).value
            else:
                v = q.to(u.km / u.s).value
            print("velocity\t%s\t%d\t0\t%.8f" % (f, k, v))
