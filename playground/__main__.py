"""The command line: `python -m playground train|presets|config|export-code|bench|sweep|bench-sweep`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _load_config(args):
    from playground.config import Config, ConfigError
    from playground.presets import PRESETS, preset

    try:
        if getattr(args, "preset", None):
            if args.preset not in PRESETS:
                raise ConfigError("preset", args.preset, f"one of {', '.join(PRESETS)}")
            config = preset(args.preset)
        elif getattr(args, "config", None):
            path = Path(args.config)
            if not path.is_file():
                raise ConfigError("config", str(path), "an existing JSON file")
            config = Config.from_json(path.read_bytes())
        else:
            config = Config()
        changes = {}
        if getattr(args, "epochs", None) is not None:
            changes["epochs"] = args.epochs
        if getattr(args, "seed", None) is not None:
            changes["seed"] = args.seed
        return config.evolve(**changes) if changes else config
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)


def cmd_train(args) -> int:
    from playground.inspection import weight_sparsity
    from playground.training import Trainer

    config = _load_config(args)
    torch_threads()
    trainer = Trainer(config)
    every = max(1, config.epochs // 10)
    for snap in trainer.iterate(every=every):
        if not args.quiet and snap.epoch and snap.status == "running":
            print(json.dumps({"epoch": snap.epoch, "train_loss": snap.train_loss, "test_loss": snap.test_loss}))
    snap = trainer.snapshot()
    if args.save_weights:
        from playground.export import save_weights

        save_weights(trainer, args.save_weights)
    result = {
        "status": snap.status, "epochs": snap.epoch,
        "train_loss": snap.train_loss, "test_loss": snap.test_loss,
        "train_accuracy": snap.train_accuracy, "test_accuracy": snap.test_accuracy,
        "seconds": round(trainer.seconds, 4), "weight_sparsity": weight_sparsity(trainer),
        "dead_relu": snap.dead_relu, "message": snap.message,
    }
    print(json.dumps(result))
    return 0


def cmd_presets(args) -> int:
    from playground.presets import PRESETS

    for name, (description, _) in PRESETS.items():
        print(f"{name:24s} {description}")
    return 0


def cmd_config(args) -> int:
    from playground.config import Config

    config = Config() if args.defaults or not (args.preset or args.config) else _load_config(args)
    print(config.to_json())
    return 0


def cmd_export_code(args) -> int:
    from playground.export import pytorch_script

    print(pytorch_script(_load_config(args)))
    return 0


def cmd_bench(args) -> int:
    from playground.bench import main

    return main(args)


def cmd_sweep(args) -> int:
    from playground.sweep import cli

    return cli(args, _load_config(args))


def cmd_bench_sweep(args) -> int:
    from playground.sweep import bench

    return bench(args)


def torch_threads(n: int = 1) -> None:
    """Tiny networks: one thread beats several (no thread hand-offs per op)."""
    import torch

    torch.set_num_threads(n)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m playground", description="Neural Playground's engine.")
    sub = p.add_subparsers(dest="command", required=True)

    def with_config(sp):
        g = sp.add_mutually_exclusive_group()
        g.add_argument("--config", help="experiment config JSON file")
        g.add_argument("--preset", help="a built-in preset by name (see `presets`)")
        sp.add_argument("--epochs", type=int, help="override the epoch budget")
        sp.add_argument("--seed", type=int, help="override the seed")
        return sp

    t = with_config(sub.add_parser("train", help="train headless; the last line is a JSON result"))
    t.add_argument("--quiet", action="store_true", help="print only the result line")
    t.add_argument("--save-weights", help="write the trained weights (safetensors) here")
    t.set_defaults(func=cmd_train)
    sub.add_parser("presets", help="list the presets").set_defaults(func=cmd_presets)
    c = with_config(sub.add_parser("config", help="print a config as JSON"))
    c.add_argument("--defaults", action="store_true", help="the default config")
    c.set_defaults(func=cmd_config)
    with_config(sub.add_parser("export-code", help="print a standalone PyTorch script")).set_defaults(
        func=cmd_export_code)
    b = sub.add_parser("bench", help="engine speed: epochs/s and grid ms; last line JSON")
    b.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    b.set_defaults(func=cmd_bench)
    s = with_config(sub.add_parser("sweep", help="train a grid of configs; one JSON line each"))
    s.add_argument("--vary", action="append", default=[], metavar="KEY=V1,V2,...",
                   help="a knob and its values (once or twice)")
    s.set_defaults(func=cmd_sweep)
    bs = sub.add_parser("bench-sweep", help="vectorised vs sequential sweep; last line JSON")
    bs.set_defaults(func=cmd_bench_sweep)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
