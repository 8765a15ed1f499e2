"""Plotly figures from plain data: the boundary with its points, neuron maps, loss curves, the network
diagram, dataset thumbnails, feature maps and the confusion matrix. No streamlit here.

These are the interactive views (hover, zoom) for a paused run and for pages that do not animate; the
live view is drawn on a canvas from playground/frames.py. Each builder makes one light figure.
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np
import plotly.graph_objects as go

from playground.datasets import FEATURE_LABELS, FEATURES
from playground.frames import (
    BACKGROUND_STRENGTH,
    CLASS_COLORS,
    LEVELS,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    classes_lut,
    darker,
    diverging_lut,
    feature_maps,
    hex_color,
    layer_scale,
    output_layer,
    regression_scale,
)

FONT = dict(family="sans-serif", size=12, color="#1f2430")


def diverging_scale(strength: float = 1.0) -> list:
    """Plotly colour scale over [-1, 1]: orange, light grey, blue (TF Playground's)."""
    mid = np.array(NEUTRAL, float)
    ends = [mid + (np.array(c, float) - mid) * strength for c in (NEGATIVE, POSITIVE)]
    return [[0.0, hex_color(ends[0])], [0.5, hex_color(NEUTRAL)], [1.0, hex_color(ends[1])]]


def _layout(fig: go.Figure, size: int | None = None, **extra) -> go.Figure:
    extra.setdefault("margin", dict(l=8, r=8, t=28, b=8))
    fig.update_layout(font=FONT, paper_bgcolor="white", plot_bgcolor="white",
                      **({"height": size} if size else {}), **extra)
    return fig


def _square_axes(fig: go.Figure, domain: float, show: bool = True) -> None:
    axis = dict(range=[-domain, domain], showgrid=False, zeroline=False, showticklabels=show, ticks="outside",
                mirror=True, showline=True, linecolor="#b9c0c7")
    fig.update_xaxes(**axis, constrain="domain")
    fig.update_yaxes(**axis, scaleanchor="x", scaleratio=1)


# ---- decision boundary ---------------------------------------------------------------------------


def boundary_figure(grid, data, mode: str, *, show_test: bool = True, discretize: bool = False,
                    size: int = 460) -> go.Figure:
    """The output over the plane (two colours, K colours, or a colour scale) with train/test points."""
    fig = go.Figure()
    d = float(grid.xs[-1])
    labels = np.concatenate([np.asarray(data.train_labels, float), np.asarray(data.test_labels, float)])
    if mode == "classes":
        k = int(grid.probs.shape[0])
        idx = output_layer(grid, "classes", k, 1.0)
        rgb = classes_lut(k, BACKGROUND_STRENGTH, discretize)[idx]
        fig.add_trace(go.Image(z=rgb[::-1], x0=float(grid.xs[0]), dx=float(grid.xs[1] - grid.xs[0]),
                               y0=float(grid.ys[-1]), dy=-float(grid.ys[1] - grid.ys[0]), hoverinfo="skip"))
        fig.add_trace(go.Heatmap(x=grid.xs, y=grid.ys, z=grid.probs.max(axis=0), customdata=grid.output,
                                 opacity=0, showscale=False,
                                 hovertemplate="x₁ %{x:.2f}, x₂ %{y:.2f}<br>class %{customdata:.0f} "
                                               "(p = %{z:.2f})<extra></extra>"))
    else:
        scale = regression_scale(labels) if mode == "regression" else 1.0
        z = grid.output
        if discretize:
            z = np.where(z >= 0, scale, -scale) if mode == "binary" else np.round(z / scale * 4) / 4 * scale
        fig.add_trace(go.Heatmap(x=grid.xs, y=grid.ys, z=z, zmin=-scale, zmax=scale, showscale=mode == "regression",
                                 zsmooth=False if discretize else "best",
                                 colorscale=diverging_scale(BACKGROUND_STRENGTH), customdata=grid.output,
                                 hovertemplate="x₁ %{x:.2f}, x₂ %{y:.2f}<br>output %{customdata:.3f}<extra></extra>"))
    _add_points(fig, data.train_points, data.train_labels, mode, labels, "train", "#ffffff")
    if show_test:
        _add_points(fig, data.test_points, data.test_labels, mode, labels, "test", "#1f2430")
    _square_axes(fig, d)
    return _layout(fig, size, showlegend=True, legend=dict(orientation="h", y=1.02, x=0, yanchor="bottom"))


def _add_points(fig, pts, labels, mode, all_labels, name, edge):
    pts = np.asarray(pts, float).reshape(-1, 2)
    labels = np.asarray(labels, float)
    if not len(pts):
        return
    if mode == "regression":
        scale = regression_scale(all_labels)
        marker = dict(color=labels, cmin=-scale, cmax=scale, colorscale=diverging_scale(), showscale=False)
    else:
        cols = CLASS_COLORS if mode == "classes" else (NEGATIVE, POSITIVE)
        marker = dict(color=[hex_color(darker(cols[int(c) % len(cols)])) for c in labels])
    marker.update(size=7, line=dict(color=edge, width=1.2 if name == "train" else 1.8))
    fig.add_trace(go.Scatter(x=pts[:, 0], y=pts[:, 1], mode="markers", name=name, marker=marker,
                             customdata=labels, hovertemplate=f"{name}: (%{{x:.2f}}, %{{y:.2f}}) "
                                                              f"label %{{customdata:g}}<extra></extra>"))


# ---- small maps ----------------------------------------------------------------------------------


def neuron_map_figure(values: np.ndarray, xs: np.ndarray, title: str = "", size: int = 160) -> go.Figure:
    """One neuron's output over the plane as a small heatmap (coloured over its layer's range)."""
    s = layer_scale(values)
    fig = go.Figure(go.Heatmap(x=xs, y=xs, z=values, zmin=-s, zmax=s, colorscale=diverging_scale(),
                               showscale=False, hovertemplate="(%{x:.1f}, %{y:.1f}) → %{z:.3f}<extra></extra>"))
    _square_axes(fig, float(xs[-1]), show=False)
    return _layout(fig, size, title=dict(text=title, font=dict(size=11)), margin=dict(l=2, r=2, t=22, b=2))


def feature_map_figure(name: str, resolution: int = 40, domain: float = 6.0, size: int = 120) -> go.Figure:
    """An input feature (x1, x1², sin(x2), ...) over the plane."""
    i = list(FEATURES).index(name)
    xs = np.linspace(-domain, domain, resolution)
    values = feature_maps(resolution, domain)[i].astype(float) / 127.5 - 1.0
    return neuron_map_figure(values, xs, FEATURE_LABELS[name], size)


def dataset_thumbnail_figure(points: np.ndarray, labels: np.ndarray, mode: str, size: int = 110,
                             domain: float = 6.0) -> go.Figure:
    """A dataset at a glance: its points coloured by class (or value), no axes."""
    fig = go.Figure()
    _add_points(fig, points, labels, mode, labels, "train", "#ffffff")
    fig.update_traces(marker_size=4, marker_line_width=0.5)
    _square_axes(fig, domain, show=False)
    return _layout(fig, size, showlegend=False, margin=dict(l=2, r=2, t=2, b=2))


# ---- curves and matrices -------------------------------------------------------------------------


def loss_figure(history: dict, log_y: bool = False, size: int = 300) -> go.Figure:
    """Train and test loss against epoch (from Trainer.history.to_dict()); accuracy when present."""
    fig = go.Figure()
    ep = history.get("epoch", [])
    fig.add_trace(go.Scatter(x=ep, y=history.get("train_loss", []), name="train loss", mode="lines",
                             line=dict(color="#9aa3ad", width=2)))
    fig.add_trace(go.Scatter(x=ep, y=history.get("test_loss", []), name="test loss", mode="lines",
                             line=dict(color="#1f2430", width=2)))
    acc = history.get("test_accuracy") or []
    if any(a is not None for a in acc):
        fig.add_trace(go.Scatter(x=ep, y=acc, name="test accuracy", mode="lines", yaxis="y2",
                                 line=dict(color=hex_color(POSITIVE), width=1.5, dash="dot")))
        fig.update_layout(yaxis2=dict(overlaying="y", side="right", range=[0, 1], tickformat=".0%",
                                      showgrid=False, title="accuracy"))
    fig.update_xaxes(title="epoch", gridcolor="#eef0f2")
    fig.update_yaxes(title="loss", type="log" if log_y else "linear", gridcolor="#eef0f2", rangemode="tozero")
    return _layout(fig, size, hovermode="x unified", legend=dict(orientation="h", y=1.02, yanchor="bottom"))


def confusion_figure(matrix: np.ndarray, size: int = 300) -> go.Figure:
    """Counts of true class (rows) against predicted class (columns)."""
    k = matrix.shape[0]
    names = [str(i) for i in range(k)]
    fig = go.Figure(go.Heatmap(z=matrix, x=names, y=names, colorscale="Blues", showscale=False, text=matrix,
                               texttemplate="%{text}", hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"))
    fig.update_xaxes(title="predicted", side="bottom")
    fig.update_yaxes(title="true", autorange="reversed", scaleanchor="x")
    return _layout(fig, size)


# ---- the network diagram -------------------------------------------------------------------------


def png_data_uri(rgb: np.ndarray) -> str:
    """A (h, w, 3) uint8 image as a PNG data URI (zlib only; no imaging library needed)."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + np.ascontiguousarray(rgb[y]).tobytes() for y in range(h))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def network_figure(config, weights: list[dict], grid, size: int = 420) -> go.Figure:
    """Neurons as small maps of their own output, links coloured by sign and widened by |weight|."""
    lut = diverging_lut()
    inputs = [list(FEATURES).index(f) for f in config.features]
    feats = feature_maps(len(grid.xs), float(grid.xs[-1]))
    columns = [[lut[feats[i][::-1]] for i in inputs]]
    for acts in grid.neurons:
        s = layer_scale(acts)
        columns.append([lut[np.clip(np.round((a[::-1] / s + 1) * 127.5), 0, 255).astype(np.uint8)] for a in acts])
    if config.loss == "ce":
        k = len(grid.probs)
        level = np.round(np.clip(grid.probs, 0, 1) * (LEVELS - 1)).astype(int)
        columns.append([classes_lut(k)[c * LEVELS + level[c][::-1]] for c in range(k)])
    else:
        columns.append([lut[np.clip(np.round((grid.output[::-1] + 1) * 127.5), 0, 255).astype(np.uint8)]])
    tallest = max(len(c) for c in columns)
    node = 0.7
    pos = [[(c * 3.0, -(i * 1.0) - (tallest - len(col)) / 2) for i in range(len(col))] for c, col in enumerate(columns)]
    fig = go.Figure()
    names = [[FEATURE_LABELS[f] for f in config.features]] + [
        [f"L{c} #{i + 1}" for i in range(len(col))] for c, col in enumerate(columns[1:-1], 1)] + [
        [f"out #{i + 1}" for i in range(len(columns[-1]))]]
    mx, my, mtext = [], [], []
    for l, w in enumerate(weights):
        W = w["weight"]
        groups: dict = {}
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                (x0, y0), (x1, y1) = pos[l][i], pos[l + 1][j]
                x0, x1 = x0 + node / 2, x1 - node / 2
                t = np.linspace(0, 1, 12)
                xm = (x0 + x1) / 2
                bx = (1 - t) ** 3 * x0 + 3 * (1 - t) ** 2 * t * xm + 3 * (1 - t) * t ** 2 * xm + t ** 3 * x1
                by = (1 - t) ** 3 * y0 + 3 * (1 - t) ** 2 * t * y0 + 3 * (1 - t) * t ** 2 * y1 + t ** 3 * y1
                v = float(W[j, i])
                width = round(0.6 + min(abs(v), 4) * 1.5)
                g = groups.setdefault((v >= 0, width), ([], []))
                g[0].extend([*bx, None])
                g[1].extend([*by, None])
                mx.append(float(bx[6]))
                my.append(float(by[6]))
                mtext.append(f"w = {v:.3f}<br>{names[l][i]} → {names[l + 1][j]}")
        for (positive, width), (xs, ys) in groups.items():
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                     line=dict(width=width, color=hex_color(POSITIVE if positive else NEGATIVE))))
    fig.add_trace(go.Scatter(x=mx, y=my, mode="markers", marker=dict(size=8, opacity=0), text=mtext,
                             hovertemplate="%{text}<extra></extra>", showlegend=False))
    nx, ny, ntext = [], [], []
    for c, col in enumerate(columns):
        for i, img in enumerate(col):
            x, y = pos[c][i]
            fig.add_layout_image(source=png_data_uri(img), x=x - node / 2, y=y + node / 2, sizex=node, sizey=node,
                                 xref="x", yref="y", layer="above", sizing="stretch")
            nx.append(x)
            ny.append(y)
            bias = f"<br>bias {float(weights[c - 1]['bias'][i]):.3f}" if c else ""
            ntext.append(f"{names[c][i]}{bias}")
    fig.add_trace(go.Scatter(x=nx, y=ny, mode="markers", text=ntext, hovertemplate="%{text}<extra></extra>",
                             marker=dict(size=26, symbol="square", color="rgba(0,0,0,0)",
                                         line=dict(color="#8a939c", width=1)), showlegend=False))
    for (x, y), label in zip(pos[0], names[0], strict=True):
        fig.add_annotation(x=x - node / 2 - 0.1, y=y, text=label, showarrow=False, xanchor="right", font=FONT)
    fig.update_xaxes(visible=False, range=[-1.2, 3.0 * (len(columns) - 1) + 0.6])
    fig.update_yaxes(visible=False, range=[-tallest + 0.3, 0.7], scaleanchor="x")
    return _layout(fig, size, hovermode="closest")
