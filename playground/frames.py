"""The live canvas's payload: a decision grid, the points and the history as small uint8 arrays.

One frame is a plain dict (JSON-ready): arrays travel as base64 bytes with colour lookup tables, so a
browser can draw the boundary, every neuron and the loss curve with putImageData, about 20-60 KB a tick.
"""

from __future__ import annotations

import base64
import time
from functools import lru_cache

import numpy as np

from playground.datasets import FEATURE_LABELS, FEATURES

# TF Playground's diverging scale: orange for -1 (class 0), a light grey for 0, blue for +1 (class 1).
NEGATIVE = (245, 147, 34)
NEUTRAL = (232, 234, 235)
POSITIVE = (8, 119, 189)
# One colour per class for K-class data (class 0 and 1 keep TF Playground's orange and blue).
CLASS_COLORS = ((245, 147, 34), (8, 119, 189), (46, 158, 79), (142, 68, 173), (214, 51, 108))
LEVELS = 51  # shades per class in the K-class table (5 x 51 = 255 entries)
BACKGROUND_STRENGTH = 0.72  # the region colours are lighter than the points drawn over them
MAX_CURVE_POINTS = 400
MAP_BUDGET = 40_000  # bytes for all neuron thumbnails together


def b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def f32(values: np.ndarray) -> np.ndarray:
    """float32 for the browser; a diverged run's huge values are clipped to float32's range, not inf."""
    big = float(np.finfo(np.float32).max)
    return np.clip(np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0), -big, big).astype("<f4")


def hex_color(rgb) -> str:
    r, g, b = (int(round(c)) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def darker(rgb, factor: float = 0.62) -> tuple:
    return tuple(c * factor for c in rgb)


# ---- colour lookup tables (256 x RGB, uint8) ---------------------------------------------------


def diverging_lut(strength: float = 1.0, steps: int = 0) -> np.ndarray:
    """Index 0..255 = value -1..1 through orange, grey, blue; `steps` > 0 bands it (discretize)."""
    v = np.linspace(-1.0, 1.0, 256)
    if steps == 2:
        v = np.where(v >= 0, 1.0, -1.0)
    elif steps:
        v = np.round((v + 1) / 2 * (steps - 1)) / (steps - 1) * 2 - 1
    neg, mid, pos = (np.array(c, dtype=float) for c in (NEGATIVE, NEUTRAL, POSITIVE))
    t = np.abs(v)[:, None]
    end = np.where(v[:, None] < 0, neg, pos)
    rgb = mid + (end - mid) * t * strength
    return np.clip(np.round(rgb), 0, 255).astype(np.uint8)


def classes_lut(k: int, strength: float = 1.0, discrete: bool = False) -> np.ndarray:
    """Index class*51 + level: the class colour from light (unsure) to full (certain)."""
    out = np.zeros((256, 3), dtype=np.uint8)
    mid = np.array(NEUTRAL, dtype=float)
    for c in range(k):
        col = np.array(CLASS_COLORS[c], dtype=float)
        for level in range(LEVELS):
            t = 1.0 if discrete else 0.25 + 0.75 * level / (LEVELS - 1)
            out[c * LEVELS + level] = np.round(mid + (col - mid) * t * strength)
    return out


# ---- value encoding ----------------------------------------------------------------------------


def to_u8(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Values in [lo, hi] to 0..255 (clipped; NaN becomes the middle)."""
    span = hi - lo if hi > lo else 1.0
    scaled = (np.nan_to_num(values, nan=(lo + hi) / 2) - lo) / span * 255.0
    return np.clip(np.round(scaled), 0, 255).astype(np.uint8)


def flip_rows(a: np.ndarray) -> np.ndarray:
    """Grid row 0 is the lowest y; a canvas draws its row 0 at the top."""
    return a[..., ::-1, :]


def regression_scale(labels) -> float:
    """Half-width of the value range the colours span: 1 for TF's datasets, wider for custom labels."""
    labels = np.asarray(labels, dtype=float)
    peak = float(np.abs(labels).max()) if labels.size else 1.0
    return max(1.0, peak) if np.isfinite(peak) else 1.0


def output_layer(grid, mode: str, k: int, scale: float) -> np.ndarray:
    """The boundary as uint8 indices into its lookup table."""
    if mode == "classes":
        probs = grid.probs
        best = probs.argmax(axis=0)
        conf = (probs.max(axis=0) - 1.0 / k) / (1.0 - 1.0 / k)
        level = np.clip(np.round(conf * (LEVELS - 1)), 0, LEVELS - 1).astype(np.int64)
        return (best * LEVELS + level).astype(np.uint8)
    return to_u8(grid.output, -scale, scale)


def boundary_mode(config) -> str:
    if config.problem == "regression":
        return "regression"
    return "classes" if config.loss == "ce" else "binary"


# ---- the frame ---------------------------------------------------------------------------------


def points_block(data, mode: str, scale: float) -> dict:
    """Train then test points, quantised to uint16 over the domain, with a colour index each."""
    pts = np.concatenate([data.train_points, data.test_points]).reshape(-1, 2)
    labels = np.concatenate([np.asarray(data.train_labels, dtype=float), np.asarray(data.test_labels, dtype=float)])
    d = float(data.domain)
    q = np.clip(np.round((pts + d) / (2 * d) * 65535), 0, 65535).astype("<u2")
    if mode == "regression":
        colour = to_u8(labels, -scale, scale)
    else:
        colour = labels.astype(np.uint8)
    return {"n": int(len(pts)), "n_train": int(len(data.train_points)), "xy": b64(q), "c": b64(colour)}


def palette(mode: str, k: int) -> list[list[str]]:
    """[fill, edge] per class: dark fills with a white edge, so points never vanish into their region."""
    if mode == "regression":
        return []
    cols = CLASS_COLORS[:k] if mode == "classes" else (NEGATIVE, POSITIVE)
    return [[hex_color(darker(c)), "#ffffff"] for c in cols]


def thumb_step(grid_res: int, n_maps: int) -> int:
    """Keep every step-th grid cell in neuron thumbnails so all of them fit the byte budget."""
    step = 1
    while n_maps * (grid_res // step) ** 2 > MAP_BUDGET and step < grid_res // 6:
        step += 1
    return step


@lru_cache(maxsize=8)
def feature_maps(resolution: int, domain: float) -> np.ndarray:
    """All seven input features on the grid, each scaled by its peak, as uint8 (7, res, res)."""
    xs = np.linspace(-domain, domain, resolution)
    gx, gy = np.meshgrid(xs, xs)
    out = []
    for fn in FEATURES.values():
        v = np.asarray(fn(gx, gy), dtype=float)
        out.append(to_u8(v / max(1e-9, float(np.abs(v).max())), -1, 1))
    return np.stack(out)


def layer_scale(acts: np.ndarray) -> float:
    """TF Playground colours neurons over [-1, 1]; unbounded units (ReLU, ...) get their layer's peak."""
    peak = float(np.abs(acts).max()) if acts.size else 1.0
    return max(1.0, peak) if np.isfinite(peak) else 1.0


def network_block(config, grid, weights: list[dict], mode: str, k: int, scale: float) -> dict:
    """Every neuron's map (inputs, hidden layers, outputs) as thumbnails, with weights and biases."""
    n_hidden = sum(l.units for l in config.layers)
    n_out = k if mode == "classes" else 1
    step = thumb_step(len(grid.xs), len(FEATURES) + n_hidden + n_out)
    sl = (slice(None), slice(None, None, step), slice(None, None, step))
    # every feature's map, chosen or not: the diagram shows all seven as TF Playground does
    maps = [feature_maps(len(grid.xs), float(grid.xs[-1]))]
    for acts in grid.neurons:
        maps.append(to_u8(acts / layer_scale(acts), -1, 1))
    if mode == "classes":
        level = np.round(np.clip(grid.probs, 0, 1) * (LEVELS - 1)).astype(np.int64)
        maps.append((np.arange(k)[:, None, None] * LEVELS + level).astype(np.uint8))
    else:
        maps.append(to_u8(grid.output / scale, -1, 1)[None])
    stacked = np.concatenate([flip_rows(m[sl]) for m in maps])
    return {
        "features": list(FEATURES),
        "feature_labels": [FEATURE_LABELS[f] for f in FEATURES],
        "active": [f in config.features for f in FEATURES],
        "sizes": [len(config.features), *(l.units for l in config.layers), n_out],
        "activations": [l.activation for l in config.layers],
        "tres": int(stacked.shape[-1]),
        "maps": b64(stacked),
        "weights": [b64(f32(w["weight"])) for w in weights],
        "biases": [b64(f32(w["bias"])) for w in weights],
    }


def health_block(config, grid, snapshot) -> dict:
    """Per layer (hidden layers, then the output): the gradient norm of its weights at the last step,
    and for ReLU layers the share of neurons that are 0 over the whole plane (switched off: no gradient
    reaches their weights any more)."""
    dead = []
    for layer, acts in zip(config.layers, grid.neurons, strict=False):
        if layer.activation == "relu":
            dead.append(float(np.mean(acts.reshape(acts.shape[0], -1).max(axis=1) <= 0)))
        else:
            dead.append(None)
    return {"grad": [_finite(g) for g in snapshot.grad_norms], "dead": [*dead, None]}


def curve_block(history: dict) -> dict:
    """Train and test loss against epoch, thinned to at most MAX_CURVE_POINTS for drawing."""
    epochs = np.asarray(history.get("epoch", []), dtype=float)
    train = np.asarray(history.get("train_loss", []), dtype=float)
    test = np.asarray(history.get("test_loss", []), dtype=float)
    if len(epochs) > MAX_CURVE_POINTS:
        keep = np.unique(np.linspace(0, len(epochs) - 1, MAX_CURVE_POINTS).round().astype(int))
        epochs, train, test = epochs[keep], train[keep], test[keep]
    finite = np.concatenate([train[np.isfinite(train)], test[np.isfinite(test)]])
    top = float(finite.max()) if finite.size else 1.0
    return {
        "n": int(len(epochs)),
        "epoch": b64(epochs.astype("<f4")),
        "train": b64(np.nan_to_num(train, nan=-1, posinf=-1).astype("<f4")),
        "test": b64(np.nan_to_num(test, nan=-1, posinf=-1).astype("<f4")),
        "top": top if np.isfinite(top) and top > 0 else 1.0,
    }


MOMENT_KEYS = ("seq", "session", "t", "epoch", "status", "metrics", "health")


def moment(frame: dict, network: bool = True) -> dict:
    """What changes between two snapshots of one run: numbers, the boundary, and (unless `network` is
    False) neurons and weights."""
    out = {k: frame[k] for k in MOMENT_KEYS if k in frame}
    out["boundary_img"] = frame["boundary"]["img"]
    if network:
        out.update(network_maps=frame["network"]["maps"], network_weights=frame["network"]["weights"],
                   network_biases=frame["network"]["biases"])
    return out


def bundle(frames: list[dict], spacing: float, tick: dict | None = None, network_each: bool = True) -> dict:
    """Snapshots of one tick for the live view: the last complete, the earlier as moments only. With
    `network_each` False (a crowded server) the earlier ones leave the network diagram out: the boundary
    moves with every snapshot, the diagram once per tick, and the bundle is a fraction of the size."""
    return {"frames": [moment(f, network_each) for f in frames[:-1]] + frames[-1:], "spacing": float(spacing),
            "tick": tick or {}}


@lru_cache(maxsize=64)
def lut_b64(mode: str, k: int, discrete: bool = False, strength: float = 1.0) -> str:
    """A lookup table as base64, built once: "classes" (k classes) or "diverging" (2 or 9 bands when discrete)."""
    if mode == "classes":
        return b64(classes_lut(k, strength, discrete))
    return b64(diverging_lut(strength, (2 if mode == "binary" else 9) if discrete else 0))


def _finite(v) -> float | None:
    """JSON has no NaN or infinity: missing numbers travel as null."""
    return float(v) if v is not None and np.isfinite(v) else None


def build_frame(trainer, grid, snapshot, seq: int = 0, session: str = "") -> dict:
    """Everything the live view draws for one tick, from the trainer's grid, data, weights and history."""
    from playground.inspection import weights as layer_weights

    cfg, data = trainer.config, trainer.data
    mode = boundary_mode(cfg)
    k = max(2, data.num_classes) if mode != "regression" else 1
    labels = np.concatenate([np.asarray(data.train_labels, dtype=float), np.asarray(data.test_labels, dtype=float)])
    scale = regression_scale(labels) if mode == "regression" else 1.0
    res = len(grid.xs)
    lut_mode = "classes" if mode == "classes" else mode
    return {
        "seq": int(seq),
        "session": session,
        "t": time.time(),
        "epoch": int(snapshot.epoch),
        "status": snapshot.status,
        "metrics": {"train_loss": _finite(snapshot.train_loss), "test_loss": _finite(snapshot.test_loss),
                    "train_accuracy": _finite(snapshot.train_accuracy),
                    "test_accuracy": _finite(snapshot.test_accuracy)},
        "boundary": {
            "mode": mode, "k": k, "res": res, "domain": float(data.domain), "scale": scale,
            "img": b64(flip_rows(output_layer(grid, mode, k, scale))),
            "lut": lut_b64(lut_mode, k, False, BACKGROUND_STRENGTH),
            "lut_discrete": lut_b64(lut_mode, k, True, BACKGROUND_STRENGTH),
            "lut_points": lut_b64("diverging", 2),
        },
        "points": points_block(data, mode, scale),
        "palette": palette(mode, k),
        "network": network_block(cfg, grid, layer_weights(trainer), mode, k, scale),
        "thumb_lut": lut_b64("diverging", 2),
        "out_lut": lut_b64(lut_mode, k) if mode == "classes" else lut_b64("diverging", 2),
        "loss": curve_block(trainer.history.to_dict()),
        "health": health_block(cfg, grid, snapshot),
    }
