"""2D datasets: TF Playground's generators and more, input features, train/test split, CSV import."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

DOMAIN = 6.0  # data live in about [-6, 6]^2, as in TF Playground


# ---- generators: (n, noise 0-0.5, rng, n_classes) -> (points (n, 2), labels (n,)) ----------
# Binary labels are classes 0/1 (TF Playground's -1/+1); regression labels lie in [-1, 1].


def _u(rng, lo, hi, size=None):
    return rng.uniform(lo, hi, size)


def circle(n, noise, rng, k=2):
    """Inner disc r < 2.5 (class 1) and outer ring 3.5-5 (class 0); noise moves the labelled point."""
    radius = 5.0
    pts, labels = [], []
    for r_lo, r_hi in ((0.0, radius * 0.5), (radius * 0.7, radius)):
        for _ in range(n // 2):
            r = _u(rng, r_lo, r_hi)
            angle = _u(rng, 0, 2 * math.pi)
            x, y = r * math.sin(angle), r * math.cos(angle)
            nx, ny = _u(rng, -radius, radius) * noise, _u(rng, -radius, radius) * noise
            labels.append(1 if math.hypot(x + nx, y + ny) < radius * 0.5 else 0)
            pts.append((x, y))
    return np.array(pts), np.array(labels)


def xor(n, noise, rng, k=2):
    """Uniform in [-5, 5]^2 pushed 0.3 off the axes; class 1 where x*y >= 0."""
    pts, labels = [], []
    for _ in range(n):
        x = _u(rng, -5, 5)
        x += 0.3 if x > 0 else -0.3
        y = _u(rng, -5, 5)
        y += 0.3 if y > 0 else -0.3
        nx, ny = _u(rng, -5, 5) * noise, _u(rng, -5, 5) * noise
        labels.append(1 if (x + nx) * (y + ny) >= 0 else 0)
        pts.append((x, y))
    return np.array(pts), np.array(labels)


def gauss(n, noise, rng, k=2):
    """Two Gaussians at (2, 2) (class 1) and (-2, -2); variance 0.5 -> 4 as noise 0 -> 0.5."""
    variance = 0.5 + noise / 0.5 * 3.5
    pts, labels = [], []
    for cx, cy, label in ((2, 2, 1), (-2, -2, 0)):
        for _ in range(n // 2):
            x = cx + math.sqrt(variance) * rng.standard_normal()
            y = cy + math.sqrt(variance) * rng.standard_normal()
            pts.append((x, y))
            labels.append(label)
    return np.array(pts), np.array(labels)


def _arms(n, noise, rng, arms):
    per = n // arms
    pts, labels = [], []
    for arm in range(arms):
        delta = 2 * math.pi * arm / arms
        for i in range(per):
            r = i / per * 5
            t = 1.75 * i / per * 2 * math.pi + delta
            x = r * math.sin(t) + _u(rng, -1, 1) * noise
            y = r * math.cos(t) + _u(rng, -1, 1) * noise
            pts.append((x, y))
            labels.append(arm)
    return np.array(pts), np.array(labels)


def spiral(n, noise, rng, k=2):
    """Two arms r = 5i/n, t = 1.75*2pi*i/n, the second turned by pi (TF Playground's arms: 1, 0)."""
    pts, labels = _arms(n, noise, rng, 2)
    return pts, 1 - labels


def spiral3(n, noise, rng, k=3):
    """Three spiral arms, a class each."""
    return _arms(n, noise, rng, 3)


def moons(n, noise, rng, k=2):
    """scikit-learn's two interleaving half circles, scaled to the playground's domain."""
    from sklearn.datasets import make_moons

    pts, labels = make_moons(n_samples=n, noise=noise, random_state=int(rng.integers(2**31)))
    pts = (pts - [0.5, 0.25]) * 3.2
    return pts, labels


def checkerboard(n, noise, rng, k=2):
    """Uniform in [-6, 6]^2 with 4x4 squares of alternating class; noise moves the labelled point."""
    pts = rng.uniform(-DOMAIN, DOMAIN, size=(n, 2))
    shifted = pts + rng.uniform(-DOMAIN, DOMAIN, size=(n, 2)) * noise * 0.5
    cells = np.floor(shifted / 3.0).astype(int)
    return pts, (cells.sum(axis=1) % 2 == 0).astype(int)


def blobs(n, noise, rng, k=3):
    """k Gaussian blobs on a circle of radius 3.5, wider with noise (scikit-learn's make_blobs)."""
    from sklearn.datasets import make_blobs

    angles = np.arange(k) * 2 * math.pi / k + math.pi / 2
    centers = np.stack([3.5 * np.cos(angles), 3.5 * np.sin(angles)], axis=1)
    std = 0.6 + noise * 3.0
    pts, labels = make_blobs(n_samples=n, centers=centers, cluster_std=std,
                             random_state=int(rng.integers(2**31)))
    return pts, labels


def _noisy_uniform(n, noise, rng, label_of):
    pts, labels = [], []
    for _ in range(n):
        x, y = _u(rng, -DOMAIN, DOMAIN), _u(rng, -DOMAIN, DOMAIN)
        nx, ny = _u(rng, -DOMAIN, DOMAIN) * noise, _u(rng, -DOMAIN, DOMAIN) * noise
        labels.append(label_of(x + nx, y + ny))
        pts.append((x, y))
    return np.array(pts), np.array(labels, dtype=float)


def plane(n, noise, rng, k=1):
    """Regression: label (x + y) / 10 on the noisy point."""
    return _noisy_uniform(n, noise, rng, lambda x, y: (x + y) / 10)


_GAUSSIANS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def _multigauss_label(x, y):
    label = 0.0
    for cx, cy, sign in _GAUSSIANS:
        d = math.hypot(x - cx, y - cy)
        value = sign * min(1.0, max(0.0, 1 - d / 2))
        if abs(value) > abs(label):
            label = value
    return label


def multigauss(n, noise, rng, k=1):
    """Regression: six bumps of sign +/-1 falling to 0 at distance 2 (TF Playground's)."""
    return _noisy_uniform(n, noise, rng, _multigauss_label)


def sine(n, noise, rng, k=1):
    """Regression: label sin(x1) on the noisy point."""
    return _noisy_uniform(n, noise, rng, lambda x, y: math.sin(x))


@dataclass(frozen=True)
class DatasetSpec:
    """A dataset's generator and what it is: problem, classes (0 = set by n_classes)."""

    make: Callable | None
    problem: str | None  # None: custom, either
    classes: int
    description: str


DATASETS: dict[str, DatasetSpec] = {
    "circle": DatasetSpec(circle, "classification", 2, "a disc inside a ring"),
    "xor": DatasetSpec(xor, "classification", 2, "four quadrants, opposite corners alike"),
    "gauss": DatasetSpec(gauss, "classification", 2, "two Gaussian clusters"),
    "spiral": DatasetSpec(spiral, "classification", 2, "two interleaved spirals"),
    "moons": DatasetSpec(moons, "classification", 2, "two interleaving half circles"),
    "checkerboard": DatasetSpec(checkerboard, "classification", 2, "a 4x4 board of squares"),
    "blobs": DatasetSpec(blobs, "classification", 0, "3-5 Gaussian clusters, a class each"),
    "spiral3": DatasetSpec(spiral3, "classification", 3, "three spiral arms"),
    "plane": DatasetSpec(plane, "regression", 1, "a tilted plane"),
    "multigauss": DatasetSpec(multigauss, "regression", 1, "six bumps up and down"),
    "sine": DatasetSpec(sine, "regression", 1, "a sine wave along x1"),
    "custom": DatasetSpec(None, None, 0, "your own points (click or CSV)"),
}

# ---- features ------------------------------------------------------------------------------

FEATURES: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1sq": lambda a, b: a * a,
    "x2sq": lambda a, b: b * b,
    "x1x2": lambda a, b: a * b,
    "sinx1": lambda a, b: np.sin(a),
    "sinx2": lambda a, b: np.sin(b),
}

FEATURE_LABELS = {
    "x1": "X₁", "x2": "X₂", "x1sq": "X₁²", "x2sq": "X₂²", "x1x2": "X₁X₂",
    "sinx1": "sin(X₁)", "sinx2": "sin(X₂)",
}


def feature_matrix(points: np.ndarray, features: list[str]) -> np.ndarray:
    """The network's inputs: one column per selected feature."""
    a, b = points[:, 0], points[:, 1]
    return np.stack([FEATURES[f](a, b) for f in features], axis=1).astype(np.float64)


# ---- the split dataset ---------------------------------------------------------------------


@dataclass
class Data:
    """Generated points split into train and test, with their network inputs."""

    train_points: np.ndarray
    train_labels: np.ndarray
    test_points: np.ndarray
    test_labels: np.ndarray
    train_inputs: np.ndarray
    test_inputs: np.ndarray
    problem: str
    num_classes: int
    domain: float


def generate_points(config) -> tuple[np.ndarray, np.ndarray]:
    """All points and labels of the config's dataset, before the split."""
    if config.dataset == "custom":
        if not config.points:
            return np.zeros((0, 2)), np.zeros(0)
        arr = np.asarray(config.points, dtype=np.float64)
        labels = arr[:, 2] if config.problem == "regression" else arr[:, 2].astype(int)
        return arr[:, :2].copy(), labels
    spec = DATASETS[config.dataset]
    rng = np.random.default_rng([config.seed, 0])
    pts, labels = spec.make(config.n_samples, config.noise / 100.0, rng, config.n_classes)
    return pts.astype(np.float64), labels


def make_data(config) -> Data:
    """Generate, shuffle and split the config's data (TF Playground shuffles once, then splits)."""
    pts, labels = generate_points(config)
    order = np.random.default_rng([config.seed, 1]).permutation(len(pts))
    pts, labels = pts[order], labels[order]
    n_train = int(math.floor(len(pts) * config.train_percent / 100))
    if len(pts) >= 2:
        n_train = min(max(n_train, 1), len(pts) - 1)
    domain = DOMAIN
    if config.dataset == "custom" and len(pts):
        domain = max(DOMAIN, float(np.abs(pts).max()) * 1.1)
    return Data(
        train_points=pts[:n_train], train_labels=labels[:n_train],
        test_points=pts[n_train:], test_labels=labels[n_train:],
        train_inputs=feature_matrix(pts[:n_train], config.features),
        test_inputs=feature_matrix(pts[n_train:], config.features),
        problem=config.problem, num_classes=config.num_classes, domain=domain,
    )


# ---- CSV import ----------------------------------------------------------------------------


class DataError(ValueError):
    """A data file that cannot be used; the message says why."""


MAX_CSV_BYTES = 2_000_000


def parse_csv(data: bytes | str, problem: str = "classification", max_rows: int = 2000) -> list[list[float]]:
    """Points from a CSV with columns x1, x2, label; raise DataError with a clear reason."""
    if isinstance(data, bytes):
        if len(data) > MAX_CSV_BYTES:
            raise DataError(f"The file is too large ({len(data):,} bytes); at most {MAX_CSV_BYTES:,}.")
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise DataError("The file is UTF-16 text; save it as CSV (UTF-8).")
        if b"\x00" in data[:4096]:
            raise DataError("This is not a text CSV file (it contains binary data).")
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataError("The file is not UTF-8 text; save it as CSV (UTF-8).") from None
    data = data.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not data.strip():
        raise DataError("The file is empty; expected a header x1,x2,label and rows of numbers.")
    reader = csv.reader(io.StringIO(data))
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        raise DataError(f"Row {reader.line_num} cannot be read as CSV ({str(exc)[:60]}).") from None
    header = [h.strip().lower() for h in rows[0]]
    if header[:3] != ["x1", "x2", "label"] or len(header) != 3:
        shown = ",".join(rows[0])[:60]
        raise DataError(f"Wrong columns: found '{shown}'; expected exactly x1,x2,label.")
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    if not body:
        raise DataError("The file has a header but no rows of points.")
    if len(body) > max_rows:
        raise DataError(f"Too many rows: {len(body):,}; at most {max_rows:,} points.")
    points = []
    for i, row in enumerate(body, start=2):
        if len(row) != 3:
            raise DataError(f"Row {i} has {len(row)} values; expected 3 (x1, x2, label).")
        try:
            values = [float(c) for c in row]
        except ValueError:
            raise DataError(f"Row {i} has a value that is not a number: {','.join(row)[:40]}.") from None
        if not all(math.isfinite(v) for v in values):
            raise DataError(f"Row {i} has a missing, NaN or infinite value.")
        if abs(values[0]) > 1e3 or abs(values[1]) > 1e3:
            raise DataError(f"Row {i}: x1 and x2 must lie within ±1000.")
        if problem == "regression" and abs(values[2]) > 1e6:
            raise DataError(f"Row {i}: the label must lie within ±1,000,000.")
        points.append(values)
    if problem == "classification":
        labels = {p[2] for p in points}
        if not all(v.is_integer() and 0 <= v <= 4 for v in labels):
            # TF-style -1/+1 labels are accepted and mapped to 0/1
            if labels <= {-1.0, 1.0}:
                for p in points:
                    p[2] = 1 if p[2] > 0 else 0
            else:
                raise DataError("Class labels must be whole numbers 0-4 (or -1/+1).")
        for p in points:
            p[2] = int(p[2])
        if len({p[2] for p in points}) < 2:
            raise DataError("All points have the same class; a classifier needs at least two classes.")
    return points


def points_to_csv(points: list) -> str:
    """CSV text for points (the inverse of parse_csv)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["x1", "x2", "label"])
    w.writerows(points)
    return out.getvalue()
