"""Figures and live frames from real trainers: colours, encodings and shapes checked by decoding them."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import pytest

from playground import figures, frames, inspection
from playground.config import Config, Layer
from playground.training import Trainer


def decode(s: str, dtype=np.uint8) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype=dtype)


@pytest.fixture(scope="module")
def binary():
    tr = Trainer(Config(n_samples=200))
    tr.run(30, budget=False)
    return tr


@pytest.fixture(scope="module")
def multiclass():
    tr = Trainer(Config(dataset="blobs", n_classes=4, loss="ce", layers=[Layer(6, "relu")], n_samples=200))
    tr.run(20, budget=False)
    return tr


@pytest.fixture(scope="module")
def regression():
    tr = Trainer(Config(dataset="multigauss", problem="regression", n_samples=200, layers=[Layer(5, "tanh")]))
    tr.run(10, budget=False)
    return tr


# ---- colour tables -----------------------------------------------------------------------------


def test_diverging_lut_runs_orange_grey_blue():
    lut = frames.diverging_lut()
    assert tuple(lut[0]) == frames.NEGATIVE and tuple(lut[255]) == frames.POSITIVE
    assert np.abs(lut[128].astype(int) - frames.NEUTRAL).max() <= 3
    steps = frames.diverging_lut(steps=2)
    assert {tuple(c) for c in steps} == {frames.NEGATIVE, frames.POSITIVE}
    assert tuple(steps[127]) == frames.NEGATIVE and tuple(steps[128]) == frames.POSITIVE


def test_classes_lut_gives_each_class_its_colour_at_full_certainty():
    lut = frames.classes_lut(5)
    for k, colour in enumerate(frames.CLASS_COLORS):
        assert tuple(lut[k * frames.LEVELS + frames.LEVELS - 1]) == colour
        assert tuple(frames.classes_lut(5, discrete=True)[k * frames.LEVELS]) == colour


def test_to_u8_clips_and_maps_ends():
    out = frames.to_u8(np.array([-5.0, -1.0, 0.0, 1.0, 5.0, np.nan]), -1, 1)
    assert list(out) == [0, 0, 128, 255, 255, 128]


# ---- the live frame ----------------------------------------------------------------------------


def test_binary_frame_encodes_the_grid_points_and_network(binary):
    grid = inspection.decision_grid(binary, 40)
    f = frames.build_frame(binary, grid, binary.snapshot(), seq=7)
    assert f["seq"] == 7 and f["epoch"] == 30 and f["boundary"]["mode"] == "binary"
    img = decode(f["boundary"]["img"]).reshape(40, 40)
    # row 0 of the image is the top of the plane: the grid's last row, flipped
    assert np.array_equal(img[0], frames.to_u8(grid.output[-1], -1, 1))
    p = f["points"]
    d = binary.data
    assert p["n"] == len(d.train_points) + len(d.test_points) and p["n_train"] == len(d.train_points)
    xy = decode(p["xy"], "<u2").reshape(-1, 2).astype(float) / 65535 * 2 * d.domain - d.domain
    assert np.allclose(xy[: p["n_train"]], d.train_points, atol=2 * d.domain / 65535)
    assert list(decode(p["c"])[: p["n_train"]]) == list(d.train_labels)
    net = f["network"]
    assert net["sizes"] == [2, 4, 2, 1] and net["active"] == [True, True] + [False] * 5
    tr = net["tres"]
    assert decode(net["maps"]).size == (7 + 4 + 2 + 1) * tr * tr
    w0 = decode(net["weights"][0], "<f4").reshape(4, 2)
    assert np.allclose(w0, inspection.weights(binary)[0]["weight"], atol=1e-6)
    # the palette draws points darker than their region, with a white edge
    fill, edge = f["palette"][1]
    assert edge == "#ffffff" and sum(int(fill[i:i + 2], 16) for i in (1, 3, 5)) < sum(frames.POSITIVE)


def test_multiclass_frame_uses_class_and_certainty(multiclass):
    grid = inspection.decision_grid(multiclass, 30)
    f = frames.build_frame(multiclass, grid, multiclass.snapshot())
    b = f["boundary"]
    assert b["mode"] == "classes" and b["k"] == 4
    idx = decode(b["img"]).reshape(30, 30)[::-1]
    assert np.array_equal(idx // frames.LEVELS, grid.probs.argmax(axis=0))
    assert f["network"]["sizes"][-1] == 4 and len(f["palette"]) == 4


def test_regression_frame_colours_points_by_value(regression):
    grid = inspection.decision_grid(regression, 30)
    f = frames.build_frame(regression, grid, regression.snapshot())
    assert f["boundary"]["mode"] == "regression" and f["palette"] == []
    labels = np.asarray(regression.data.train_labels, float)
    assert list(decode(f["points"]["c"])[: len(labels)]) == list(frames.to_u8(labels, -1, 1))


def test_bundle_sends_moments_then_one_complete_frame(binary):
    grid = inspection.decision_grid(binary, 30)
    a = frames.build_frame(binary, grid, binary.snapshot(), seq=1)
    binary.run(3, budget=False)
    b = frames.build_frame(binary, inspection.decision_grid(binary, 30), binary.snapshot(), seq=2)
    out = frames.bundle([a, b], 0.05, {"epochs": 3})
    first, last = out["frames"]
    assert last is b and "points" not in first and first["boundary_img"] == a["boundary"]["img"]
    assert first["network_weights"] == a["network"]["weights"] and first["epoch"] == a["epoch"] < last["epoch"]
    assert "loss" not in first and len(json.dumps(first)) < len(json.dumps(last))


def test_a_crowded_bundle_moves_the_boundary_with_every_snapshot_and_the_diagram_once():
    tr = Trainer(Config(dataset="spiral", layers=[Layer(8, "tanh")] * 4))
    shots = []
    for i in range(4):
        tr.run(2, budget=False)
        shots.append(frames.build_frame(tr, inspection.decision_grid(tr, 60), tr.snapshot(), seq=i))
    full, light = frames.bundle(shots, 0.5), frames.bundle(shots, 0.5, network_each=False)
    assert light["frames"][-1] is shots[-1]  # the tick's last snapshot is complete either way
    for moment, shot in zip(light["frames"][:-1], shots, strict=False):
        assert "network_maps" not in moment and "network_weights" not in moment
        assert moment["boundary_img"] == shot["boundary"]["img"] and moment["epoch"] == shot["epoch"]
    assert len({m["boundary_img"] for m in light["frames"][:-1]}) == 3  # distinct pictures of the boundary
    assert len(json.dumps(light)) < 0.6 * len(json.dumps(full))


def test_frame_stays_small_for_the_deep_spiral():
    tr = Trainer(Config(dataset="spiral", layers=[Layer(8, "tanh")] * 6))
    f = frames.build_frame(tr, inspection.decision_grid(tr, 60), tr.snapshot())
    size = len(json.dumps(f))
    assert size < 80_000, size


def test_many_neurons_get_smaller_thumbnails_within_budget():
    tr = Trainer(Config(layers=[Layer(32, "relu")] * 10, init="he_uniform"))
    f = frames.build_frame(tr, inspection.decision_grid(tr, 60), tr.snapshot())
    n = sum(f["network"]["sizes"][1:]) + 7
    assert decode(f["network"]["maps"]).size <= frames.MAP_BUDGET * 1.1 and f["network"]["tres"] * 3 < 60
    assert decode(f["network"]["maps"]).size == n * f["network"]["tres"] ** 2


def test_curve_block_thins_long_histories_and_keeps_the_ends():
    hist = {"epoch": list(range(5000)), "train_loss": list(np.linspace(1, 0, 5000)),
            "test_loss": [float("nan")] + list(np.linspace(1, 0.1, 4999))}
    c = frames.curve_block(hist)
    ep = decode(c["epoch"], "<f4")
    assert c["n"] <= frames.MAX_CURVE_POINTS and ep[0] == 0 and ep[-1] == 4999
    assert decode(c["test"], "<f4")[0] == -1  # NaN travels as a gap marker
    assert c["top"] == pytest.approx(1.0)


# ---- Plotly figures ----------------------------------------------------------------------------


def test_boundary_figure_binary(binary):
    grid = inspection.decision_grid(binary, 50)
    fig = figures.boundary_figure(grid, binary.data, "binary", show_test=True)
    heat = [t for t in fig.data if isinstance(t, go.Heatmap)][0]
    assert heat.zmin == -1 and heat.zmax == 1
    scat = {t.name: t for t in fig.data if isinstance(t, go.Scatter)}
    assert len(scat["train"].x) == len(binary.data.train_points) and len(scat["test"].x) == len(binary.data.test_points)
    assert scat["train"].marker.line.color == "#ffffff" and scat["test"].marker.line.color == "#1f2430"
    hidden = figures.boundary_figure(grid, binary.data, "binary", show_test=False, discretize=True)
    assert [t.name for t in hidden.data if isinstance(t, go.Scatter)] == ["train"]
    z = np.asarray([t for t in hidden.data if isinstance(t, go.Heatmap)][0].z)
    assert set(np.unique(z)) <= {-1.0, 1.0}


def test_boundary_figure_multiclass_and_regression(multiclass, regression):
    g = inspection.decision_grid(multiclass, 30)
    fig = figures.boundary_figure(g, multiclass.data, "classes")
    assert any(isinstance(t, go.Image) for t in fig.data)
    r = inspection.decision_grid(regression, 30)
    fig = figures.boundary_figure(r, regression.data, "regression")
    heat = [t for t in fig.data if isinstance(t, go.Heatmap)][0]
    assert heat.showscale and heat.zmax == pytest.approx(1.0)


def test_network_figure_draws_every_neuron_and_signed_links(binary):
    grid = inspection.decision_grid(binary, 20)
    ws = inspection.weights(binary)
    fig = figures.network_figure(binary.config, ws, grid)
    assert len(fig.layout.images) == 2 + 4 + 2 + 1
    hover = [t for t in fig.data if t.text is not None and len(t.text) == 2 * 4 + 4 * 2 + 2 * 1][0]
    assert f"w = {ws[0]['weight'][0, 0]:.3f}" in hover.text[0]
    colours = {t.line.color for t in fig.data if t.mode == "lines"}
    assert colours <= {frames.hex_color(frames.POSITIVE), frames.hex_color(frames.NEGATIVE)}


def test_png_data_uri_is_a_real_png():
    from PIL import Image

    rgb = np.zeros((3, 4, 3), np.uint8)
    rgb[1, 2] = (10, 200, 30)
    data = base64.b64decode(figures.png_data_uri(rgb).split(",", 1)[1])
    img = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert np.array_equal(img, rgb)


def test_loss_neuron_feature_thumbnail_and_confusion_figures(binary):
    hist = binary.history.to_dict()
    fig = figures.loss_figure(hist, log_y=True)
    assert [t.name for t in fig.data][:2] == ["train loss", "test loss"] and len(fig.data[0].x) == len(hist["epoch"])
    assert fig.layout.yaxis.type == "log"
    grid = inspection.decision_grid(binary, 20)
    assert figures.neuron_map_figure(grid.neurons[0][0], grid.xs, "L1 #1").data[0].zmax == 1.0
    fm = figures.feature_map_figure("x1")
    z = np.asarray(fm.data[0].z)
    assert z[0, 0] < 0 < z[0, -1]  # x1 grows from left to right
    thumb = figures.dataset_thumbnail_figure(binary.data.train_points, binary.data.train_labels, "binary")
    assert len(thumb.data[0].x) == len(binary.data.train_points)
    cm = inspection.confusion_matrix(binary)
    assert np.array_equal(np.asarray(figures.confusion_figure(cm).data[0].z), cm)


def test_figures_and_frames_import_without_streamlit():
    code = "import sys, playground.figures, playground.frames; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(__import__("pathlib").Path(__file__).parents[1]))
