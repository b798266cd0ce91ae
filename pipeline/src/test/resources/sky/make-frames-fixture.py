"""Writes frames-fixture.tsv: ICRS -> galactic positions and position-angle turns from astropy, for
SkyFramesAgainstAstropyTest. Run once with astropy (8.0.1 made the committed table):
    python3 make-frames-fixture.py > frames-fixture.tsv
The turn is measured, not derived: a tiny step at position angle pa in ICRS, both ends transformed to galactic,
and the galactic position angle of the step read back."""
import numpy as np
from astropy.coordinates import SkyCoord, Angle
import astropy.units as u

rng = np.random.default_rng(20261203)
points = [(0.0, 0.0), (266.40499, -28.93617), (192.85948, 27.12825), (150.0, 30.0), (83.6, 22.0),
          (10.68, 41.27), (0.0, 89.5), (180.0, -89.5), (359.9, -45.0)]
points += [(float(a), float(np.degrees(np.arcsin(s)))) for a, s in zip(rng.uniform(0, 360, 16), rng.uniform(-0.99, 0.99, 16))]
print("ra_deg\tdec_deg\tl_deg\tb_deg\tpa_icrs_deg\tpa_galactic_deg")
for ra, dec in points:
    c = SkyCoord(ra * u.deg, dec * u.deg, frame="icrs")
    g = c.galactic
    for pa in (0.0, 37.0, 90.0, 151.0):
        step = c.directional_offset_by(Angle(pa, u.deg), 1e-4 * u.arcsec)
        pg = g.position_angle(step.galactic).to(u.deg).value % 360.0
        print(f"{ra:.10f}\t{dec:.10f}\t{g.l.deg:.10f}\t{g.b.deg:.10f}\t{pa:.1f}\t{pg:.8f}")
