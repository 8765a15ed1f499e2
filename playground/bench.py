"""`python -m playground bench`: epochs per second and decision-grid milliseconds on two fixed scenarios.

Scenarios (from the issue): TF Playground's default (circle, 500 points, 50 % train, x1 x2, 4:tanh,2:tanh,
square loss, SGD 0.03, batch 10) and the same with six hidden layers of 8 tanh on spiral. An epoch is one
pass over the training points in batches plus the train/test evaluation, one snapshot per epoch
(`run(1)`, as a page calls it). Rounds alternate between the scenarios and each figure is the best
round, so a busy machine (see the load average printed) shows less of its noise; the `*_cpu_*` figures
count this process's CPU time instead of the clock. The last line is JSON.
"""

from __future__ import annotations

import json
import os
import time

import numpy as np
import torch

from playground import fastpath
from playground.config import Config, Layer
from playground.inspection import decision_grid
from playground.training import Trainer

SCENARIOS = {
    "circle": Config(),
    "spiral": Config(dataset="spiral", layers=[Layer(8, "tanh") for _ in range(6)]),
}
ROUNDS = 3


def epochs_per_second(trainer: Trainer, seconds: float, every: int = 1) -> tuple[float, float]:
    """Epochs per wall-clock second and per CPU second of this process, calling run(every) as a page would.

    On a machine shared with other work the CPU figure shows what a quiet machine would do.
    """
    trainer.run(every, budget=False)  # first call: compiled code loaded, caches warm
    done, start, cpu = 0, time.perf_counter(), time.process_time()
    while (elapsed := time.perf_counter() - start) < seconds:
        trainer.run(every, budget=False)
        done += every
    return done / elapsed, done / max(time.process_time() - cpu, 1e-9)


def grid_milliseconds(trainer: Trainer, seconds: float) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of a 100x100 decision grid with every neuron's map."""
    decision_grid(trainer, 100)
    wall, cpu, start = [], [], time.perf_counter()
    while time.perf_counter() - start < seconds or len(wall) < 5:
        t0, c0 = time.perf_counter(), time.process_time()
        decision_grid(trainer, 100)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return float(np.median(wall)) * 1e3, float(np.median(cpu)) * 1e3


def main(args) -> int:
    seconds = max(0.3, float(getattr(args, "seconds", 3.0)))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny networks: a second thread only adds hand-offs
    try:
        return _bench(seconds)
    finally:
        torch.set_num_threads(threads)


def _bench(seconds: float) -> int:
    warm = fastpath.warm_up()
    engine = "fast" if fastpath.AVAILABLE else "torch"
    print(f"engine: {engine}; compiled code loaded in {warm:.2f} s; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    slice_s = seconds / ROUNDS
    fast = {name: Trainer(cfg) for name, cfg in SCENARIOS.items()}
    slow = {name: Trainer(cfg, engine="torch") for name, cfg in SCENARIOS.items()}
    best: dict[str, float] = {}

    def keep(key: str, value: float):
        better = min if key.endswith("_ms") else max
        best[key] = better(best.get(key, value), value)

    for round_no in range(1, ROUNDS + 1):
        for name in SCENARIOS:
            for suffix, (wall, cpu) in (
                ("epochs_per_s", epochs_per_second(fast[name], slice_s)),
                ("epochs_per_s_run100", epochs_per_second(fast[name], slice_s / 2, every=100)),
                ("torch_epochs_per_s", epochs_per_second(slow[name], slice_s / 3)),
                ("grid_ms", grid_milliseconds(fast[name], slice_s / 3)),
            ):
                keep(f"{name}_{suffix}", wall)
                keep(f"{name}_{suffix.replace('_per_s', '_per_cpu_s').replace('_ms', '_cpu_ms')}", cpu)
            print(f"round {round_no} {name}: {best[f'{name}_epochs_per_s']:,.0f} epochs/s "
                  f"({best[f'{name}_epochs_per_cpu_s']:,.0f} per CPU second; run(100): "
                  f"{best[f'{name}_epochs_per_s_run100']:,.0f}; autograd path: "
                  f"{best[f'{name}_torch_epochs_per_s']:,.0f}), grid {best[f'{name}_grid_ms']:.2f} ms "
                  f"({best[f'{name}_grid_cpu_ms']:.2f} CPU)", flush=True)
    result = {key: round(value, 3 if key.endswith("_ms") else 1) for key, value in best.items()}
    result.update(engine=engine, warm_up_s=round(warm, 3), load_average=round(os.getloadavg()[0], 2))
    ordered = {k: result.pop(k) for k in ("circle_epochs_per_s", "spiral_epochs_per_s",
                                          "circle_grid_ms", "spiral_grid_ms")}
    print(json.dumps({**ordered, **result}))
    return 0
