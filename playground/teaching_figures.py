"""Plotly figures for the teaching pages: optimizer races on a contour map, activation and loss curves."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.activation_info import ActivationCurve, LossCurve
from playground.i18n import text
from playground.race import RaceSnapshot
from playground.surfaces import Surface

# Okabe-Ito based: tell-apart colours that survive projectors and colour-blind eyes.
OPTIMIZER_COLORS = {
    "sgd": "#D55E00",
    "momentum": "#0072B2",
    "nesterov": "#009E73",
    "adagrad": "#E69F00",
    "rmsprop": "#CC79A7",
    "adam": "#000000",
    "adamw": "#7B3F9E",
}
OPTIMIZER_DASH = {"sgd": "solid", "momentum": "solid", "nesterov": "dash", "adagrad": "solid",
                  "rmsprop": "dot", "adam": "solid", "adamw": "dash"}
FONT = dict(size=17)
MAP_SCALE = [[0.0, "#ffffff"], [0.5, "#eef2f8"], [1.0, "#cdd9e8"]]
LOSS_FLOOR = 1e-12  # the log-scale loss chart shows anything closer to the minimum as this
CLICK_GRID = 31  # points per side of the invisible grid that turns a click into a start point
FUNCTION_COLOR, DERIVATIVE_COLOR = "#0072B2", "#D55E00"


def optimizer_label(name: str, lang: str) -> str:
    return text(f"optimizers.name.{name}", lang)


_MAPS: dict[tuple, tuple] = {}


def _map_data(surface: Surface, n: int = 90, n_lines: int = 60) -> tuple:
    """Shading, contour-line and click-grid data of a surface in float32, so each frame stays small (cached)."""
    key = (surface.formula, surface.x_range, surface.y_range, surface.log_contours, n, n_lines)
    if key not in _MAPS:
        def shade(z):
            return np.log10(z - surface.min_value + 1e-2) if surface.log_contours else z

        xs, ys, z = surface.grid(n)
        lx, ly, lz = surface.grid(n_lines)
        gx, gy, gz = surface.grid(CLICK_GRID)
        px, py = np.meshgrid(gx, gy)
        arrays = (xs, ys, shade(z), lx, ly, shade(lz), px.ravel(), py.ravel(), gz.ravel())
        _MAPS[key] = tuple(np.asarray(a, dtype=np.float32) for a in arrays)
    return _MAPS[key]


def contour_figure(surface: Surface, snapshot: RaceSnapshot | None, start, lang: str = "en",
                   height: int = 540, clickable: bool = True) -> go.Figure:
    """The surface as a contour map with each optimizer's path, the start and the minima.

    If `clickable`, the last trace is an invisible grid of points: clicking one selects it, which the
    page reads as a new start point.
    """
    xs, ys, shade, lx, ly, lines, px, py, pz = _map_data(surface)
    fig = go.Figure()
    # A heatmap plus line-only contours: a filled contour costs the browser several times more per frame.
    fig.add_trace(go.Heatmap(x=xs, y=ys, z=shade, colorscale=MAP_SCALE, showscale=False, zsmooth="fast",
                             hoverinfo="skip", showlegend=False))
    fig.add_trace(go.Contour(x=lx, y=ly, z=lines, ncontours=24, showscale=False, hoverinfo="skip", showlegend=False,
                             contours=dict(coloring="none"), line=dict(width=1, color="rgba(60,70,90,0.35)")))
    for x, y in surface.minima:
        fig.add_trace(go.Scatter(
            x=[x], y=[y], mode="markers", name=text("optimizers.fig.minimum", lang), showlegend=False,
            marker=dict(symbol="star", size=22, color="#FFD700", line=dict(width=1.5, color="#333")),
            hovertemplate=text("optimizers.fig.minimum", lang) + " (%{x:.3g}, %{y:.3g})<extra></extra>",
        ))
    for x, y in surface.saddles:
        fig.add_trace(go.Scatter(
            x=[x], y=[y], mode="markers", showlegend=False,
            marker=dict(symbol="x-thin", size=18, line=dict(width=3, color="#555")),
            hovertemplate=text("optimizers.fig.saddle", lang) + " (%{x:.3g}, %{y:.3g})<extra></extra>",
        ))
    for name, lane in (snapshot.lanes.items() if snapshot else ()):
        color, label = OPTIMIZER_COLORS[name], optimizer_label(name, lang)
        if lane.status == "diverged":
            label += " ✕ " + text("optimizers.fig.diverged_at", lang, step=lane.diverged_at)
        fig.add_trace(go.Scatter(
            x=lane.path[:, 0], y=lane.path[:, 1], mode="lines+markers", name=label, legendgroup=name,
            line=dict(color=color, width=3, dash=OPTIMIZER_DASH[name]), marker=dict(size=5, color=color),
            hovertemplate=label + "<br>" + text("optimizers.fig.step", lang)
            + " %{pointNumber}: (%{x:.3g}, %{y:.3g})<extra></extra>",
        ))
        x, y = lane.position
        fig.add_trace(go.Scatter(
            x=[x], y=[y], mode="markers", legendgroup=name, showlegend=False, hoverinfo="skip",
            marker=dict(size=18 if lane.status == "diverged" else 14, color=color,
                        symbol="x" if lane.status == "diverged" else "circle",
                        line=dict(width=2, color="white")),
        ))
    fig.add_trace(go.Scatter(
        x=[start[0]], y=[start[1]], mode="markers", name=text("optimizers.fig.start", lang), showlegend=False,
        marker=dict(size=18, color="white", symbol="circle", line=dict(width=3, color="#222")),
        hovertemplate=text("optimizers.fig.start", lang) + " (%{x:.3g}, %{y:.3g})<extra></extra>",
    ))
    if clickable:
        fig.add_trace(go.Scatter(
            x=px, y=py, customdata=pz, mode="markers", showlegend=False, name="click",
            marker=dict(size=12, opacity=0), selected=dict(marker=dict(opacity=0)),
            unselected=dict(marker=dict(opacity=0)),
            hovertemplate="(%{x:.2f}, %{y:.2f})<br>J = %{customdata:.4g}<br>"
            + text("optimizers.fig.click_hint", lang) + "<extra></extra>",
        ))
    fig.update_layout(
        height=height, font=FONT, margin=dict(l=10, r=10, t=10, b=10), uirevision=surface.formula,
        template="plotly_white",
        legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0, font=dict(size=17),
                    bgcolor="rgba(255,255,255,0.8)"),
        xaxis=dict(range=list(surface.x_range), title="x", constrain="domain", showgrid=False, zeroline=False),
        yaxis=dict(range=list(surface.y_range), title="y", showgrid=False, zeroline=False),
        hovermode="closest", plot_bgcolor="white",
    )
    return fig


def click_trace_index(fig: go.Figure) -> int:
    """Index of the invisible click grid in a contour figure (its selections are start points)."""
    return len(fig.data) - 1


def loss_figure(surface: Surface, snapshot: RaceSnapshot | None, lang: str = "en", height: int = 330) -> go.Figure:
    """J above its minimum against the step, on a log scale, one line per optimizer."""
    fig = go.Figure()
    for name, lane in (snapshot.lanes.items() if snapshot else ()):
        color, label = OPTIMIZER_COLORS[name], optimizer_label(name, lang)
        gap = lane.losses - surface.min_value
        fig.add_trace(go.Scatter(
            x=np.arange(len(gap)), y=np.maximum(gap, LOSS_FLOOR), customdata=lane.losses, mode="lines",
            name=label, line=dict(color=color, width=3, dash=OPTIMIZER_DASH[name]),
            hovertemplate=label + "<br>" + text("optimizers.fig.step", lang)
            + " %{x}: J = %{customdata:.4g}<extra></extra>",
        ))
        if lane.status == "diverged":
            fig.add_trace(go.Scatter(
                x=[len(gap) - 1], y=[max(gap[-1], LOSS_FLOOR)], mode="markers+text", showlegend=False,
                marker=dict(symbol="x", size=16, color=color), text=[text("status.diverged", lang)],
                textposition="top center", textfont=dict(color=color), hoverinfo="skip",
            ))
    steps = snapshot.max_steps if snapshot else 1
    lanes = snapshot.lanes.values() if snapshot else ()
    gaps = [np.maximum(lane.losses - surface.min_value, LOSS_FLOOR) for lane in lanes]
    decades = np.log10(max(g.max() for g in gaps) / min(g.min() for g in gaps)) if gaps else 0.0
    fig.update_layout(
        height=height, font=FONT, margin=dict(l=10, r=10, t=10, b=10), showlegend=False, template="plotly_white",
        xaxis=dict(title=text("optimizers.fig.step", lang), range=[0, steps]),
        yaxis=dict(title=text("optimizers.fig.loss_gap", lang), type="log", exponentformat="power",
                   dtick=1 if decades <= 8 else 2),
        plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=True, gridcolor="#eee")
    fig.update_yaxes(showgrid=True, gridcolor="#eee")
    return fig


def _label_positions(x0: float, xs: np.ndarray) -> list[str]:
    """Value labels for the two marked points: one above, one below, on the side with more room."""
    side = "left" if x0 > (xs[0] + xs[-1]) / 2 else "right"
    return [f"top {side}", f"bottom {side}"]


def _shade(fig: go.Figure, intervals, color: str, label: str) -> None:
    """Shaded intervals, named once in the legend (a label inside the plot would collide with the curves)."""
    for a, b in intervals:
        fig.add_vrect(x0=a, x1=b, fillcolor=color, opacity=0.18, line_width=0, layer="below")
    if intervals:
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label, hoverinfo="skip", legendrank=2000,
                                 marker=dict(symbol="square", size=16, color=color, opacity=0.35)))


def activation_figure(curve: ActivationCurve, x0: float, fx: float, dfx: float, lang: str = "en",
                      height: int = 480) -> go.Figure:
    """f and f' with the dead and saturating regions shaded and the point (x0, f(x0)) marked."""
    fig = go.Figure()
    _shade(fig, curve.dead, "#d62728", text("activations.fig.dead", lang))
    _shade(fig, curve.saturating, "#7f7f7f", text("activations.fig.saturating", lang))
    fig.add_trace(go.Scatter(x=curve.x, y=curve.y, mode="lines", name="f(x)",
                             line=dict(color=FUNCTION_COLOR, width=4)))
    fig.add_trace(go.Scatter(x=curve.x, y=curve.dy, mode="lines", name="f′(x)",
                             line=dict(color=DERIVATIVE_COLOR, width=3, dash="dash")))
    fig.add_trace(go.Scatter(
        x=[x0, x0], y=[fx, dfx], mode="markers+text", showlegend=False,
        marker=dict(size=16, color=[FUNCTION_COLOR, DERIVATIVE_COLOR], line=dict(width=2, color="white")),
        text=[f"f = {fx:.4g}", f"f′ = {dfx:.4g}"], textposition=_label_positions(x0, curve.x),
        textfont=dict(size=18), hoverinfo="skip", cliponaxis=False,
    ))
    fig.add_vline(x=x0, line=dict(color="#444", width=1.5, dash="dot"))
    lo, hi = float(min(curve.y.min(), curve.dy.min())), float(max(curve.y.max(), curve.dy.max()))
    pad = 0.08 * (hi - lo)
    fig.update_layout(
        height=height, font=FONT, margin=dict(l=10, r=10, t=30, b=10), template="plotly_white",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
        xaxis=dict(title="x", range=[curve.x[0], curve.x[-1]], zeroline=True, zerolinecolor="#bbb",
                   gridcolor="#eee"),
        yaxis=dict(range=[lo - pad, hi + pad], zeroline=True, zerolinecolor="#bbb", gridcolor="#eee"),
    )
    return fig


def loss_curve_figure(curve: LossCurve, pred: float, value: float, grad: float, axis_label: str,
                      lang: str = "en", target_line: bool = True, symbol: str = "ŷ", height: int = 440) -> go.Figure:
    """A loss and its gradient against the prediction, the current prediction marked."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=curve.x, y=curve.loss, mode="lines", name=text("activations.fig.loss", lang),
                             line=dict(color=FUNCTION_COLOR, width=4)))
    fig.add_trace(go.Scatter(x=curve.x, y=curve.grad, mode="lines", name=text("activations.fig.grad", lang, sym=symbol),
                             line=dict(color=DERIVATIVE_COLOR, width=3, dash="dash")))
    fig.add_trace(go.Scatter(
        x=[pred, pred], y=[value, grad], mode="markers+text", showlegend=False,
        marker=dict(size=16, color=[FUNCTION_COLOR, DERIVATIVE_COLOR], line=dict(width=2, color="white")),
        text=[f"L = {value:.4g}", f"∂L/∂{symbol} = {grad:.4g}"], textposition=_label_positions(pred, curve.x),
        textfont=dict(size=18), hoverinfo="skip", cliponaxis=False,
    ))
    fig.add_vline(x=pred, line=dict(color="#444", width=1.5, dash="dot"))
    if target_line:
        fig.add_vline(x=curve.target, line=dict(color="#009E73", width=2),
                      annotation_text=text("activations.fig.target", lang), annotation_font_size=17)
    fig.update_layout(
        height=height, font=FONT, margin=dict(l=10, r=10, t=30, b=10), template="plotly_white",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="right", x=1),
        xaxis=dict(title=axis_label, range=[curve.x[0], curve.x[-1]], zeroline=True, zerolinecolor="#bbb",
                   gridcolor="#eee"),
        yaxis=dict(zeroline=True, zerolinecolor="#bbb", gridcolor="#eee"),
    )
    return fig
