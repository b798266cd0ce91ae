# %% [markdown]
# # A tour of the quickstart's outputs
#
# Reads what `bin/magmap quickstart` wrote (default `quickstart-out/`): a simulation cube, the mock
# observations and truth maps of one view, and the training-patch manifest and model card. Run it as a script
# (`python3 notebooks/quickstart_tour.py [quickstart-out]`) or open it as a notebook with jupytext; it writes
# `quickstart-tour.png` next to the outputs.
#
# Needs numpy, matplotlib and astropy (Debian: `apt-get install python3-matplotlib python3-astropy`).

# %%
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from astropy.io import fits

out = Path(sys.argv[1] if len(sys.argv) > 1 else "quickstart-out")
sim = json.loads((out / "simulate/manifest.json").read_text())
run = next(r for r in sim["runs"] if r["run-id"].startswith("b5-s1.25"))
print("cube", run["run-id"], "requested M_A", round(run["requested"]["alfven-mach"], 2),
      "measured M_A", round(run["measured"]["alfvenMach"], 2))

# %% [markdown]
# The cube: one HDU per field, EXTNAME = dens, velx ..., magz; physical units in BUNIT.

# %%
with fits.open(out / "simulate" / run["file"]) as cube:
    dens = cube["dens"].data  # (z, y, x)
    print("density", dens.shape, cube["dens"].header["BUNIT"], "mean B0", cube[0].header["B0UG"], "uG")

# %% [markdown]
# One view of it: inputs (synchrotron, an H I thin channel) and truth (B, psi, gamma). Structures are
# stretched along the field, which lies along x here (position angle 0).

# %%
maps = fits.open(out / "observe/maps" / f"{run['run-id']}__i60-pa0.fits")
names = ["SYNC", "HI_CH00", "B_UG", "M_A", "GAMMA_DEG", "PSI_DEG"]
fig, axes = plt.subplots(1, len(names), figsize=(3 * len(names), 3.2))
for ax, name in zip(axes, names):
    hdu = maps[name]
    # psi is an orientation: a cyclic colour map, and no interpolation across the 180 -> 0 wrap
    cyclic = name == "PSI_DEG"
    im = ax.imshow(hdu.data, origin="lower", cmap="twilight" if cyclic else "viridis",
                   interpolation="nearest" if cyclic else "antialiased", vmin=0 if cyclic else None,
                   vmax=180 if cyclic else None)
    ax.set_title(f"{name} [{hdu.header['BUNIT'] or '-'}]", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    fig.colorbar(im, ax=ax, fraction=0.046)
fig.suptitle(f"{run['run-id']}, view i60-pa0 ({maps[0].header['PSICONV']})", fontsize=9)
fig.tight_layout()
target = out / "quickstart-tour.png"
fig.savefig(target, dpi=90)
print("wrote", target)

# %% [markdown]
# The training set and the model trained on it (a smoke run: tiny network, few epochs).

# %%
patches = json.loads((out / "patches/manifest.json").read_text())
print("patches per split", patches["per-split"], f"{patches['bytes'] / patches['patches']:.0f} bytes/patch")
card = json.loads((out / "train/card.json").read_text())
print("model", card["model"], "target", card["target"], "best epoch", card["best-epoch"])
print("test MSE", round(card["metrics"]["test"]["mse"], 3), "uG^2 vs predicting the training mean",
      round(card["metrics"]["test"]["mse-of-predicting-the-training-mean"], 3))
