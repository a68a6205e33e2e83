"""PyTorch side of the lbfgs_rosenbrock workload (issue 7), beside callisto.cli.LbfgsBench: torch.optim.LBFGS with
the strong-Wolfe line search on the 100-dimensional extended Rosenbrock function

    f(x) = sum_{i=1}^{99} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2,   float64,  x0 = (-1.2, 1, -1.2, 1, ...),

tolerance_grad 1e-9, tolerance_change 1e-14, max_iter 600 in one .step(), history size 100 and 10. f and its
gradient come from autograd (tensor ops and .backward()), so the time includes autograd's overhead.

Usage: BENCH_THREADS=1 /usr/bin/python3 bench/pytorch/lbfgs_rosenbrock.py    (Debian's python3-torch)
Prints one JSON line per history size: iterations (of the last run, and their range over the runs), function
evaluations, final f, max |grad|, and milliseconds per .step() (median and min of 15 runs after 3 warm-up runs).
"""
import json
import os
import statistics
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import torch  # noqa: E402

torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))

N = 100
MAX_ITER = 600
WARMUP, RUNS = 3, 15


def rosenbrock(x):
    a, b = x[:-1], x[1:]
    return (100 * (b - a * a) ** 2 + (1 - a) ** 2).sum()


def start():
    x0 = torch.ones(N, dtype=torch.float64)
    x0[0::2] = -1.2
    return x0


def solve(history):
    x = start().requires_grad_(True)
    opt = torch.optim.LBFGS([x], lr=1, max_iter=MAX_ITER, max_eval=MAX_ITER * 5 // 4, tolerance_grad=1e-9,
                            tolerance_change=1e-14, history_size=history, line_search_fn="strong_wolfe")
    evaluations = 0

    def closure():
        nonlocal evaluations
        evaluations += 1
        opt.zero_grad()
        loss = rosenbrock(x)
        loss.backward()
        return loss

    t0 = time.perf_counter()
    opt.step(closure)
    ms = (time.perf_counter() - t0) * 1e3
    state = opt.state[opt._params[0]]
    x = x.detach().requires_grad_(True)
    f = rosenbrock(x)
    f.backward()
    return {"iterations": state["n_iter"], "evaluations": evaluations, "f": f.item(),
            "max_abs_grad": x.grad.abs().max().item(), "ms": ms}


def bench(history):
    for _ in range(WARMUP):
        solve(history)
    runs = [solve(history) for _ in range(RUNS)]
    last = runs[-1]
    times = [r["ms"] for r in runs]
    its = [r["iterations"] for r in runs]
    print(json.dumps({"name": "lbfgs_rosenbrock", "n": N, "history": history, "iterations": last["iterations"],
                      "iterations_min": min(its), "iterations_max": max(its),
                      "evaluations": last["evaluations"], "f": last["f"], "max_abs_grad": last["max_abs_grad"],
                      "ms_median": round(statistics.median(times), 3), "ms_min": round(min(times), 3),
                      "threads": torch.get_num_threads(), "torch": torch.__version__}), flush=True)


for h in (100, 10):
    bench(h)
