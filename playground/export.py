"""Keeping a run: weights as safetensors (never pickle), the config as JSON, a standalone script."""

from __future__ import annotations

import json

import torch
from safetensors.torch import load, save

MAX_WEIGHTS_BYTES = 1_000_000


class WeightsError(ValueError):
    """Weights that cannot be loaded into this network; the message says why."""


def weights_bytes(trainer) -> bytes:
    """The network's state (and its config, as metadata) in safetensors format."""
    state = {k: v.detach().contiguous() for k, v in trainer.model_.state_dict().items()}
    return save(state, metadata={"config": trainer.config.to_json(indent=None), "epoch": str(trainer.epoch)})


def save_weights(trainer, path) -> None:
    with open(path, "wb") as fh:
        fh.write(weights_bytes(trainer))


def load_weights(trainer, data: bytes) -> None:
    """Load safetensors bytes into the trainer's network; shapes must match. Pickles are refused."""
    if len(data) > MAX_WEIGHTS_BYTES:
        raise WeightsError(f"The weights file is too large ({len(data):,} bytes).")
    if data[:2] in (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05") or data[:2] == b"PK":
        raise WeightsError("This is a pickle/torch.save file; only safetensors weights are accepted.")
    try:
        state = load(bytes(data))
    except Exception as exc:  # safetensors raises its own error types for malformed headers
        raise WeightsError(f"Not a safetensors file ({type(exc).__name__}).") from None
    own = trainer.model_.state_dict()
    if set(state) != set(own):
        raise WeightsError("These weights belong to a different network shape.")
    for k, v in state.items():
        if v.shape != own[k].shape:
            raise WeightsError(f"Layer {k} has shape {tuple(v.shape)}; this network needs {tuple(own[k].shape)}.")
        if v.is_floating_point() and not torch.isfinite(v).all():
            raise WeightsError(f"Layer {k} contains NaN or infinite values.")
    trainer.model_.load_state_dict({k: v.to(own[k].dtype) for k, v in state.items()})
    trainer._snapshot = trainer._evaluate()


def config_metadata(data: bytes) -> dict | None:
    """The config stored inside a weights file, if any."""
    try:
        header_len = int.from_bytes(data[:8], "little")
        header = json.loads(data[8 : 8 + header_len])
        return json.loads(header.get("__metadata__", {}).get("config", "null"))
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None


def pytorch_script(config) -> str:
    """A standalone PyTorch script (torch, numpy, scikit-learn) that rebuilds data and network and trains."""
    from playground.codegen import script

    return script(config)


