#!/usr/bin/env python3
"""PyTorch peers of magmap's two networks: training and inference samples/s on the CPU.

The layers, sizes and padding follow magmap's model package (org.magmap.model.Cnn and CResNet), so both sides do
the same arithmetic and have the same trainable parameter count (printed):
  cnn      1x32x32 -> [conv3x3 (zero pad 1) -> BatchNorm -> ReLU] x2 -> maxpool 2, per block (default 32/64/128)
           -> flatten -> dense (256) + ReLU -> dense 1; MSE, Adam(2e-4, 0.5, 0.999), batch 64, inference batch 256
  cresnet  image 1x32x32 and 3 conditions -> reflect 3, conv7x7 (base), BN, ReLU -> conv3x3/2 (2 base) -> conv3x3/2
           (4 base) (zero 'Same' padding: the odd pixel at the bottom and right, as DL4J) -> residual blocks with FiLM
           -> transposed conv3x3 x2 twice (cropped to exactly double) -> reflect 3, conv7x7 (6 maps); MSE,
           Adam(1e-3, 0.5, 0.999), batch 32

Inputs are random (throughput does not depend on them). Each figure is the median of --windows timed windows after
--warmup steps. Run by `bin/magmap-bench peers` (which alternates it with magmap's own paths), or alone:
  python3 bin/peers/torch_peers.py --net cnn --threads 2 --json
Needs Debian's python3-torch.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def cnn(channels=(32, 64, 128), dense=256):
    layers, cin = [], 1
    for c in channels:
        for _ in range(2):
            layers += [nn.Conv2d(cin, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(inplace=True)]
            cin = c
        layers.append(nn.MaxPool2d(2))
    side = 32 // 2 ** len(channels)
    layers += [nn.Flatten(), nn.Linear(cin * side * side, dense), nn.ReLU(inplace=True), nn.Linear(dense, 1)]
    return nn.Sequential(*layers)


class SameConv(nn.Module):
    """A stride-2 3x3 convolution with DL4J's 'Same' zero padding (nothing top/left, one pixel bottom/right)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, stride=2, bias=False)

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))


class SameDeconv(nn.Module):
    """A stride-2 3x3 transposed convolution cropped to exactly twice the input, as DL4J's 'Same' mode."""

    def __init__(self, cin, cout):
        super().__init__()
        self.deconv = nn.ConvTranspose2d(cin, cout, 3, stride=2, bias=False)

    def forward(self, x):
        h, w = x.shape[-2:]
        return self.deconv(x)[..., : 2 * h, : 2 * w]


class Block(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(ch, ch, 3, bias=False), nn.BatchNorm2d(ch), nn.ReLU(inplace=True),
            nn.ReflectionPad2d(1), nn.Conv2d(ch, ch, 3, bias=False), nn.BatchNorm2d(ch))
        self.film = nn.Linear(ch, 2 * ch)
        self.ch = ch

    def forward(self, x, hidden):
        gamma, beta = self.film(hidden).view(-1, 2, self.ch, 1, 1).unbind(1)
        return x + gamma * self.body(x) + beta


class CResNet(nn.Module):
    def __init__(self, base=8, blocks=2, conditions=3, outputs=6):
        super().__init__()
        c, rc = base, 4 * base
        self.cond = nn.Sequential(nn.Linear(conditions, rc), nn.ReLU(inplace=True))
        self.enc = nn.Sequential(
            nn.ReflectionPad2d(3), nn.Conv2d(1, c, 7, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True),
            SameConv(c, 2 * c), nn.BatchNorm2d(2 * c), nn.ReLU(inplace=True),
            SameConv(2 * c, rc), nn.BatchNorm2d(rc), nn.ReLU(inplace=True))
        self.blocks = nn.ModuleList(Block(rc) for _ in range(blocks))
        self.dec = nn.Sequential(
            SameDeconv(rc, 2 * c), nn.BatchNorm2d(2 * c), nn.ReLU(inplace=True),
            SameDeconv(2 * c, c), nn.BatchNorm2d(c), nn.ReLU(inplace=True),
            nn.ReflectionPad2d(3), nn.Conv2d(c, outputs, 7))

    def forward(self, image, condition):
        hidden = self.cond(condition)
        x = self.enc(image)
        for b in self.blocks:
            x = b(x, hidden)
        return self.dec(x)


def windows(step, n, warmup, iters, samples):
    for _ in range(warmup):
        step()
    rates = []
    for _ in range(n):
        t0 = time.perf_counter()
        for _ in range(iters):
            step()
        rates.append(samples * iters / (time.perf_counter() - t0))
    return statistics.median(rates)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--net", choices=["cnn", "cresnet"], default="cnn")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=0, help="training batch (0: 64 for cnn, 32 for cresnet)")
    ap.add_argument("--infer-batch", type=int, default=256)
    ap.add_argument("--base", type=int, default=8)
    ap.add_argument("--blocks", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iters", type=int, default=8)
    ap.add_argument("--windows", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    if a.net == "cnn":
        net, batch = cnn(), a.batch or 64
        x, y = torch.randn(batch, 1, 32, 32), torch.randn(batch, 1)
        xi = (torch.randn(a.infer_batch, 1, 32, 32),)
        args = (x,)
        opt = torch.optim.Adam(net.parameters(), lr=2e-4, betas=(0.5, 0.999))
    else:
        net, batch = CResNet(a.base, a.blocks), a.batch or 32
        args = (torch.randn(batch, 1, 32, 32), torch.rand(batch, 3))
        y = torch.randn(batch, 6, 32, 32)
        xi = (torch.randn(a.infer_batch, 1, 32, 32), torch.rand(a.infer_batch, 3))
        opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.5, 0.999))

    def train_step():
        opt.zero_grad(set_to_none=True)
        F.mse_loss(net(*args), y).backward()
        opt.step()

    net.train()
    train = windows(train_step, a.windows, a.warmup, a.iters, batch)
    net.eval()
    with torch.inference_mode():
        infer = windows(lambda: net(*xi), a.windows, 2, max(2, a.iters // 2), a.infer_batch)
    result = {
        "net": a.net, "threads": a.threads, "torch": torch.__version__,
        "parameters": sum(p.numel() for p in net.parameters()),
        "train_batch": batch, "train_samples_per_s": round(train, 1),
        "infer_batch": a.infer_batch, "infer_samples_per_s": round(infer, 1),
    }
    print(json.dumps(result) if a.json else "\n".join(f"{k}: {v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
