"""PyTorch side of `callisto bench --suite numerics` (docs/benchmarks.md, issue 6): the same workloads, sizes and
dtypes as callisto.cli.NumericsBench, timed the same way (warm-up, then the median of several batches).

Usage: BENCH_THREADS=1 /usr/bin/python3 bench/pytorch/numerics.py    (Debian's python3-torch)
Prints one JSON line per workload: name, milliseconds per call (median and min).
"""
import json
import os
import statistics
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))
torch.manual_seed(0)


def timed(name, fn, calls=20, batches=7):
    for _ in range(calls):
        fn()
    per = []
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        per.append((time.perf_counter() - t0) / calls * 1e3)
    print(json.dumps({"name": name, "ms_median": round(statistics.median(per), 4), "ms_min": round(min(per), 4),
                      "threads": torch.get_num_threads()}), flush=True)


# rfft 1-D: 64 signals of 1024 float32 points
x1 = torch.randn(64, 1024)
timed("rfft 1-D, 64 x 1024, float32", lambda: torch.fft.rfft(x1), calls=200)
# rfft 2-D: 8 x 32 channels of 64 x 64 float32
x2 = torch.randn(8, 32, 64, 64)
timed("rfft2, 8 x 32 x 64 x 64, float32", lambda: torch.fft.rfft2(x2), calls=20)
# conv2d: batch 8, 32 -> 32 channels, 64 x 64, 3 x 3, padding 1, float32, forward
xc = torch.randn(8, 32, 64, 64)
wc = torch.randn(32, 32, 3, 3) * 0.05
timed("conv2d 8x32x64x64, 32->32, 3x3, forward, float32",
      lambda: torch.nn.functional.conv2d(xc, wc, padding=1), calls=10)

# an FNO-style 1-D spectral layer, forward + backward: batch 20, width 64, 1024 points, 16 modes
B, C, N, M = 20, 64, 1024, 16
xs = torch.randn(B, C, N)
w = (torch.randn(C, C, M, dtype=torch.cfloat) / (C * C)).requires_grad_(True)


def spectral():
    w.grad = None
    xf = torch.fft.rfft(xs)
    out = torch.zeros(B, C, N // 2 + 1, dtype=torch.cfloat)
    out[:, :, :M] = torch.einsum("bix,iox->box", xf[:, :, :M], w)
    y = torch.fft.irfft(out, n=N)
    (y * y).sum().backward()


timed("spectral layer 1-D, 20x64x1024, 16 modes, forward+backward, float32", spectral, calls=10)
