#!/usr/bin/python3
"""Writes the small FLASH HDF5 fixtures that FlashHdf5ReaderTest reads.

The files follow the layout of FLASH 4 HDF5 plot and checkpoint files (the FLASH User's Guide, chapter
"IO Unit", section "Output file names and formats"; yt's FLASH frontend reads the same names):

  unknown names              (nvar, 1) fixed-length strings, the 4-character variable names
  dens, velx, ..., temp      (nblocks, nzb, nyb, nxb), one dataset per variable, x fastest
  refine level               (nblocks,) int32, 1 = the root level
  node type                  (nblocks,) int32, 1 = leaf, 2 = parent, 3 = ancestor
  block size                 (nblocks, 3) float64, the physical size of each block
  coordinates                (nblocks, 3) float64, the centre of each block
  bounding box               (nblocks, 3, 2) float64, [lower, upper] per axis
  integer scalars, real scalars, integer runtime parameters, real runtime parameters,
  string runtime parameters  compound tables of (name: 80-byte string, value), names padded with blanks
  sim info                   compound record with the file format version

Blocks are written in the order PARAMESH keeps them (a Morton curve through the blocks, parents before their
children), not in x-y-z order, so that a reader has to place them from their bounding boxes. Datasets magmap
does not read (gid, which child, particle data) are left out.

Values are analytic in the global cell indices (i, j, k) of the uniform grid, so that the Java test computes
the same numbers independently:

  dens = 1e-24 (1 + i + 10 j + 100 k)   g cm^-3
  velx = 1e5 (i - j)                    cm s^-1   (i - j km/s)
  vely = 1e5 (1 + k / 2)                cm s^-1
  velz = -1e5 i j / 4                   cm s^-1
  magx = 1e-6 (1 + i / 2)               G         (1 + i/2 microgauss)
  magy = -2e-6 j                        G
  magz = 1e-6 (k - 3/2)                 G
  temp = 1e4 (1 + k)                    K

Run from this directory with the system Python (needs python3-h5py and python3-numpy):

  /usr/bin/python3 make_flash_fixture.py

It writes:

  flash_uniform_8blk.h5  a plot file (float32 data): 8 leaf blocks of 4^3 cells on refine level 1,
                         4 x 2 x 1 blocks, so a 16 x 8 x 4 grid of 0.25 pc cells, t = 2.5 Myr, periodic
  flash_amr_2lvl.h5      a checkpoint-like file (float64 data): 2 x 1 x 1 root blocks, the second refined
                         into 8 children, so leaves on refine levels 1 and 2 (AMR, which magmap refuses)
  flash_no_bbox.h5       flash_uniform_8blk.h5 without its "bounding box" dataset
  flash_none_1blk.h5     one leaf block of 4^3 cells written with unitsystem = "none" (B without 4 pi)
"""

import os

import h5py
import numpy as np

CM_PER_PC = 3.0857e18
S_PER_MYR = 3.15576e13
NB = 4  # cells per block along each axis (nxb = nyb = nzb)
DX_CM = 0.25 * CM_PER_PC
VARS = ["dens", "velx", "vely", "velz", "magx", "magy", "magz", "temp"]


def analytic(name, i, j, k):
    """The value of variable `name` at global cell (i, j, k); see the module docstring."""
    return {
        "dens": 1e-24 * (1 + i + 10 * j + 100 * k),
        "velx": 1e5 * (i - j),
        "vely": 1e5 * (1 + k / 2.0),
        "velz": -1e5 * i * j / 4.0,
        "magx": 1e-6 * (1 + i / 2.0),
        "magy": -2e-6 * j,
        "magz": 1e-6 * (k - 1.5),
        "temp": 1e4 * (1 + k),
    }[name]


def morton(bx, by, bz):
    """Interleaves the bits of the block indices (x lowest), the order PARAMESH's Morton curve visits them."""
    key = 0
    for bit in range(10):
        key |= ((bx >> bit) & 1) << (3 * bit)
        key |= ((by >> bit) & 1) << (3 * bit + 1)
        key |= ((bz >> bit) & 1) << (3 * bit + 2)
    return key


def table(rows, value_dtype):
    """A FLASH name/value table: names are 80-byte strings padded with blanks, as Fortran writes them."""
    dt = np.dtype([("name", "S80"), ("value", value_dtype)])
    out = np.zeros(len(rows), dtype=dt)
    for n, (name, value) in enumerate(rows):
        out[n]["name"] = name.ljust(80).encode("ascii")
        out[n]["value"] = value.ljust(80).encode("ascii") if isinstance(value, str) else value
    return out


def write(path, blocks, nblock, root_dx, data_dtype, lrefine_max, strings, drop=()):
    """blocks: list of (level, node_type, lower corner in cells of that level, cell size in cm);
    nblock: root blocks per axis; root_dx: root-level cell size in cm."""
    n = len(blocks)
    refine = np.array([b[0] for b in blocks], dtype=np.int32)
    node = np.array([b[1] for b in blocks], dtype=np.int32)
    bbox = np.zeros((n, 3, 2))
    for b, (level, _, lo, dx) in enumerate(blocks):
        for a in range(3):
            bbox[b, a, 0] = lo[a] * dx
            bbox[b, a, 1] = (lo[a] + NB) * dx
    # put the domain's lower corner off the origin, as in a real box centred on a cluster
    origin = np.array([-8 * DX_CM, -4 * DX_CM, 0.0])
    bbox += origin[None, :, None]
    size = bbox[:, :, 1] - bbox[:, :, 0]
    centre = 0.5 * (bbox[:, :, 0] + bbox[:, :, 1])

    fields = {v: np.zeros((n, NB, NB, NB), dtype=data_dtype) for v in VARS}
    for b, (level, _, lo, dx) in enumerate(blocks):
        # global indices on the uniform (finest-of-this-block) grid; only leaves of the uniform file are checked
        for k in range(NB):
            for j in range(NB):
                for i in range(NB):
                    gi, gj, gk = lo[0] + i, lo[1] + j, lo[2] + k
                    for v in VARS:
                        fields[v][b, k, j, i] = analytic(v, gi, gj, gk)

    domain_hi = origin + np.array(nblock) * NB * root_dx
    with h5py.File(path, "w") as f:
        f.create_dataset("unknown names", data=np.array([[v.encode("ascii")] for v in VARS], dtype="S4"))
        for v in VARS:
            f.create_dataset(v, data=fields[v])
        f.create_dataset("refine level", data=refine)
        f.create_dataset("node type", data=node)
        if "bounding box" not in drop:
            f.create_dataset("bounding box", data=bbox)
        f.create_dataset("block size", data=size)
        f.create_dataset("coordinates", data=centre)
        f.create_dataset(
            "integer scalars",
            data=table(
                [
                    ("nxb", NB),
                    ("nyb", NB),
                    ("nzb", NB),
                    ("globalnumblocks", n),
                    ("splitnumblocks", n),
                    ("nstep", 120),
                    ("dimensionality", 3),
                    ("plotfilenumber", 7),
                    ("checkpointfilenumber", 0),
                ],
                "<i4",
            ),
        )
        f.create_dataset(
            "real scalars",
            data=table([("time", 2.5 * S_PER_MYR), ("dt", 1e10), ("redshift", 0.0)], "<f8"),
        )
        f.create_dataset(
            "integer runtime parameters",
            data=table(
                [
                    ("nblockx", nblock[0]),
                    ("nblocky", nblock[1]),
                    ("nblockz", nblock[2]),
                    ("lrefine_min", 1),
                    ("lrefine_max", lrefine_max),
                ],
                "<i4",
            ),
        )
        f.create_dataset(
            "real runtime parameters",
            data=table(
                [
                    ("xmin", origin[0]),
                    ("xmax", domain_hi[0]),
                    ("ymin", origin[1]),
                    ("ymax", domain_hi[1]),
                    ("zmin", origin[2]),
                    ("zmax", domain_hi[2]),
                    ("gamma", 5.0 / 3.0),
                ],
                "<f8",
            ),
        )
        f.create_dataset("string runtime parameters", data=table(strings, "S80"))
        info = np.zeros(
            1,
            dtype=[
                ("file format version", "<i4"),
                ("setup call", "S400"),
                ("file creation time", "S80"),
                ("flash version", "S80"),
            ],
        )
        info[0] = (9, b"./setup magmap-fixture -auto -3d +usm", b"fixture", b"FLASH 4 (layout only)")
        f.create_dataset("sim info", data=info)


def uniform_blocks():
    blocks = []
    for bz in range(1):
        for by in range(2):
            for bx in range(4):
                blocks.append((morton(bx, by, bz), (1, 1, (bx * NB, by * NB, bz * NB), DX_CM)))
    return [b for _, b in sorted(blocks)]


def amr_blocks():
    # root level: 2 x 1 x 1 blocks of 4^3 cells of size 2 DX; the second is refined into 8 children of size DX
    coarse = 2 * DX_CM
    blocks = [(1, 1, (0, 0, 0), coarse), (1, 2, (NB, 0, 0), coarse)]
    for cz in range(2):
        for cy in range(2):
            for cx in range(2):
                blocks.append((2, 1, (2 * NB + cx * NB, cy * NB, cz * NB), DX_CM))
    return blocks


PERIODIC = [(side + "_boundary_type", "periodic") for side in ("xl", "xr", "yl", "yr", "zl", "zr")]

if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    write(
        os.path.join(here, "flash_uniform_8blk.h5"),
        uniform_blocks(),
        (4, 2, 1),
        DX_CM,
        np.float32,
        1,
        PERIODIC + [("unitsystem", "CGS")],
    )
    write(
        os.path.join(here, "flash_amr_2lvl.h5"),
        amr_blocks(),
        (2, 1, 1),
        2 * DX_CM,
        np.float64,
        2,
        [(side + "_boundary_type", "outflow") for side in ("xl", "xr", "yl", "yr", "zl", "zr")],
    )
    write(
        os.path.join(here, "flash_no_bbox.h5"),
        uniform_blocks(),
        (4, 2, 1),
        DX_CM,
        np.float32,
        1,
        PERIODIC,
        drop=("bounding box",),
    )
    write(
        os.path.join(here, "flash_none_1blk.h5"),
        [(1, 1, (0, 0, 0), DX_CM)],
        (1, 1, 1),
        DX_CM,
        np.float32,
        1,
        [(side + "_boundary_type", "outflow") for side in ("xl", "xr", "yl", "yr", "zl", "zr")]
        + [("unitsystem", "none")],
    )
    for name in ("flash_uniform_8blk.h5", "flash_amr_2lvl.h5", "flash_no_bbox.h5", "flash_none_1blk.h5"):
        print(name, os.path.getsize(os.path.join(here, name)), "bytes")
