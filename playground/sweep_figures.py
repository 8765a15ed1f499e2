"""Plotly figures of a sweep: the metric over the grid, overlaid loss curves, small decision boundaries.

Every function takes plain data (a SweepResult and the labels to show) and returns a go.Figure; the
page passes translated text in, so nothing here knows about languages or widgets.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.sweep import LOWER_IS_BETTER, SweepResult, fmt_value

ORANGE, BLUE = "#f59322", "#0877bd"  # TF Playground's negative / positive colours
BOUNDARY_SCALE = [[0.0, ORANGE], [0.5, "#e8eaeb"], [1.0, BLUE]]
DIVERGED = "#c62828"
DIVERGED_FILL = "#f6d5d5"


def axis_labels(result: SweepResult) -> tuple[list[str], list[str]]:
    """Row and column labels (a one-knob sweep is a single row)."""
    axes = result.spec.axes
    rows = [fmt_value(v) for v in axes[0].values]
    cols = [fmt_value(v) for v in axes[1].values] if len(axes) > 1 else [""]
    return rows, cols


def cell_label(result: SweepResult, index: int, names: dict[str, str] | None = None) -> str:
    """`learning rate 0.03, seed 2` for one cell."""
    names = names or {}
    return ", ".join(f"{names.get(k, k)} {fmt_value(v)}" for k, v in result.spec.values_of(index).items())


def _fmt(v: float, metric: str) -> str:
    if metric == "epochs_to_target":
        return str(int(v))
    if metric == "test_accuracy":
        return f"{100 * v:.1f}%"
    return f"{v:.3g}"


def metric_heatmap(result: SweepResult, metric: str, *, metric_title: str, row_title: str, col_title: str = "",
                   diverged: str = "✕", pending: str = "", selected: int | None = None,
                   names: dict[str, str] | None = None) -> go.Figure:
    """The metric over the grid, diverged cells marked, with a clickable marker on every cell."""
    rows, cols = axis_labels(result)
    grid = result.grid(metric)
    statuses = result.statuses()
    n_rows, n_cols = grid.shape
    text = []
    for i in range(n_rows):
        line = []
        for j in range(n_cols):
            k = i * n_cols + j
            v = grid[i, j]
            line.append(diverged if statuses[k] == "diverged" else pending if statuses[k] == "pending"
                        else "—" if math.isnan(v) else _fmt(v, metric))
        text.append(line)
    log = metric in ("test_loss", "train_loss") and np.nanmin(np.where(grid > 0, grid, np.nan), initial=np.inf) > 0
    colour = np.log10(np.where(grid > 0, grid, np.nan)) if log else grid
    colorbar = dict(title=dict(text=metric_title))
    finite = colour[np.isfinite(colour)]
    if log and finite.size:  # losses span decades: colour by their logarithm, label the bar in plain numbers
        ticks = np.linspace(finite.min(), finite.max(), 4) if finite.max() > finite.min() else finite[:1]
        colorbar.update(tickvals=ticks, ticktext=[f"{10 ** v:.2g}" for v in ticks])
    fig = go.Figure(go.Heatmap(
        z=colour, x=cols, y=rows, text=text, texttemplate="%{text}", colorscale="Viridis",
        reversescale=LOWER_IS_BETTER[metric], colorbar=colorbar, hoverinfo="skip", xgap=2, ygap=2,
    ))
    marked = np.array([[1.0 if statuses[i * n_cols + j] == "diverged" else np.nan for j in range(n_cols)]
                       for i in range(n_rows)])
    if np.isfinite(marked).any():  # diverged cells: their own pale red, with the word on them
        only = [[t if np.isfinite(m) else "" for t, m in zip(tr, mr, strict=True)]
                for tr, mr in zip(text, marked, strict=True)]
        fig.data[0].text = [[t if not np.isfinite(m) else "" for t, m in zip(tr, mr, strict=True)]
                            for tr, mr in zip(text, marked, strict=True)]
        fig.add_trace(go.Heatmap(z=marked, x=cols, y=rows, text=only, texttemplate="%{text}",
                                 colorscale=[[0, DIVERGED_FILL], [1, DIVERGED_FILL]], showscale=False,
                                 hoverinfo="skip", xgap=2, ygap=2, textfont=dict(color=DIVERGED)))
    index = list(range(result.spec.size))
    hover = [f"{cell_label(result, k, names)}<br>{metric_title}: {text[k // n_cols][k % n_cols]}" for k in index]
    fig.add_trace(go.Scatter(
        x=[cols[k % n_cols] for k in index], y=[rows[k // n_cols] for k in index], mode="markers",
        customdata=index, hovertext=hover, hoverinfo="text", showlegend=False, name="cells",
        marker=dict(symbol="square", size=30, color="rgba(0,0,0,0)"),
        selected=dict(marker=dict(opacity=1)), unselected=dict(marker=dict(opacity=1)),
    ))
    if selected is not None and 0 <= selected < result.spec.size:
        i, j = divmod(selected, n_cols)  # category axes place the k-th label at k
        fig.add_shape(type="rect", x0=j - 0.5, x1=j + 0.5, y0=i - 0.5, y1=i + 0.5, xref="x", yref="y",
                      line=dict(color="#1f2430", width=3))
    fig.update_layout(
        xaxis=dict(title=dict(text=col_title), type="category", showgrid=False),
        yaxis=dict(title=dict(text=row_title), type="category", autorange="reversed", showgrid=False),
        margin=dict(l=10, r=10, t=30, b=10), height=max(260, min(620, 60 + 46 * n_rows)),
        clickmode="event+select", dragmode=False, plot_bgcolor="#ffffff",
    )
    return fig


def loss_curves(result: SweepResult, which: str = "test_loss", *, y_title: str, x_title: str,
                highlight: int | None = None, names: dict[str, str] | None = None, log_y: bool = True) -> go.Figure:
    """Every run's curve overlaid, coloured by its final value; the highlighted one drawn bold."""
    fig = go.Figure()
    finals = [lane.curve[which][-1] if lane is not None and lane.curve[which] else math.nan for lane in result.lanes]
    finite = [v for v in finals if v is not None and math.isfinite(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    for k, lane in enumerate(result.lanes):
        if lane is None or not lane.curve["epoch"]:
            continue
        ys = [None if v is None or not math.isfinite(v) else v for v in lane.curve[which]]
        v = finals[k]
        share = 0.5 if not finite or hi == lo or v is None or not math.isfinite(v) else (v - lo) / (hi - lo)
        if LOWER_IS_BETTER.get(which, True):
            share = 1 - share
        color = DIVERGED if lane.status == "diverged" else _blend(share)
        bold = k == highlight
        fig.add_trace(go.Scatter(
            x=lane.curve["epoch"], y=ys, mode="lines", name=cell_label(result, k, names), customdata=[k] * len(ys),
            line=dict(color=color, width=4 if bold else 1.6, dash="dot" if lane.status == "diverged" else None),
            opacity=1.0 if highlight is None or bold else 0.3,
            hovertemplate="%{fullData.name}<br>%{x}: %{y:.4g}<extra></extra>",
        ))
    fig.update_layout(
        showlegend=False, hovermode="closest", height=360, margin=dict(l=10, r=10, t=20, b=10),
        xaxis=dict(title=dict(text=x_title)),
        yaxis=dict(title=dict(text=y_title), type="log" if log_y and which != "test_accuracy" else "linear"),
        hoverlabel=dict(namelength=-1),
    )
    return fig


def _blend(share: float) -> str:
    """From TF Playground's orange (worst) through grey to its blue (best)."""
    stops = [ORANGE, "#b9a58c", "#8a9aa6", "#4a87b4", BLUE]
    share = min(max(share, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(share), len(stops) - 2)
    f = share - i
    a = np.array([int(stops[i][c:c + 2], 16) for c in (1, 3, 5)])
    b = np.array([int(stops[i + 1][c:c + 2], 16) for c in (1, 3, 5)])
    r, g, bl = (a + (b - a) * f).round().astype(int)
    return f"#{r:02x}{g:02x}{bl:02x}"


def boundaries(result: SweepResult, grids: dict[int, np.ndarray], *, titles: dict[int, str],
               diverged: str = "✕", selected: int | None = None, columns: int | None = None) -> go.Figure:
    """Small multiples: each listed cell's network output over the data domain."""
    shown = sorted(grids)
    n_cols = columns or min(len(shown), result.spec.shape[1] if len(result.spec.axes) > 1 else 8) or 1
    n_rows = max(1, math.ceil(len(shown) / n_cols))
    fig = make_subplots(rows=n_rows, cols=n_cols, subplot_titles=[titles[k] for k in shown],
                        horizontal_spacing=0.02, vertical_spacing=0.08 if n_rows > 1 else 0.0)
    config = result.lanes[shown[0]].config if shown else None
    multi = config is not None and config.loss == "ce"
    zmin, zmax = (0.0, float(config.num_classes - 1)) if multi else (-1.0, 1.0)
    for pos, k in enumerate(shown):
        r, c = divmod(pos, n_cols)
        fig.add_trace(go.Heatmap(z=grids[k], zmin=zmin, zmax=zmax, colorscale="Viridis" if multi else BOUNDARY_SCALE,
                                 showscale=False, hoverinfo="skip"), row=r + 1, col=c + 1)
        lane = result.lanes[k]
        if lane is not None and lane.status == "diverged":
            fig.add_annotation(text=diverged, showarrow=False, font=dict(size=22, color=DIVERGED),
                               xref=f"x{pos + 1 if pos else ''} domain", yref=f"y{pos + 1 if pos else ''} domain",
                               x=0.5, y=0.5)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, scaleanchor=None)
    for pos, k in enumerate(shown):
        if k == selected:
            suffix = pos + 1 if pos else ""
            fig.update_layout({f"xaxis{suffix}": dict(showline=True, linewidth=3, linecolor="#1f2430", mirror=True),
                               f"yaxis{suffix}": dict(showline=True, linewidth=3, linecolor="#1f2430", mirror=True)})
    fig.update_annotations(font_size=11)
    panel = max(90, min(220, 900 // n_cols))
    fig.update_layout(height=panel * n_rows + 40, margin=dict(l=5, r=5, t=30, b=5))
    return fig
