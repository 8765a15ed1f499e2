"""Plotly figures for the backpropagation walkthrough: the network with one step highlighted, and the loss."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.backprop import Pass, Setup, Step, forward

PHASE_COLORS = {"forward": "#2b7bba", "backward": "#e4572e", "update": "#2a9d5c"}
IDLE_EDGE, IDLE_NODE, INK = "#c9ced6", "#8a93a3", "#1f2430"
TINT = {"forward": "#e3eef8", "backward": "#fce6e0", "update": "#dff3e7"}
FONT = "Source Sans Pro, sans-serif"


def _short(v: float, digits: int = 4) -> str:
    v = float(v) + 0.0
    s = f"{v:.{digits}g}"
    return s.replace("-", "−")


def layout(hidden: int) -> dict[str, tuple[float, float]]:
    """Node positions: inputs left, hidden middle, output, then the loss on the right."""
    pos = {"x1": (0.0, 0.8), "x2": (0.0, -0.8), "out": (2.35, 0.0), "loss": (3.0, 0.0)}
    top = {2: 0.9, 3: 1.45, 4: 1.8}[hidden]
    for j, y in enumerate(np.linspace(top, -top, hidden)):
        pos[f"h{j + 1}"] = (1.25, float(y))  # the widest gap where the most links cross
    return pos


def _edges(hidden: int) -> list[tuple[str, str]]:
    hid = [f"h{j}" for j in range(1, hidden + 1)]
    return [(x, h) for h in hid for x in ("x1", "x2")] + [(h, "out") for h in hid] + [("out", "loss")]


def _layer(edge: tuple[str, str]) -> str:
    return {"out": "output", "loss": "loss"}.get(edge[1], "hidden")


def _edge_label(p: Pass, edge: tuple[str, str], step: Step | None) -> tuple[str, bool]:
    """The weight a link carries; in the phase's colour its gradient (backward) or its new value (update).

    The second value says whether the label is such a gradient or new value.
    """
    a, b = edge
    if b == "loss":
        return "", False
    s, new = _shown(p, step)[0], p.new
    if b == "out":
        k = int(a[1:]) - 1
        w, grad, after = s.W2[k], p.dW2[k], new.W2[k]
    else:
        j, i = int(b[1:]) - 1, int(a[1:]) - 1
        w, grad, after = s.W1[j, i], p.dW1[j, i], new.W1[j, i]
    if step is not None and edge in step.edges:
        if step.name == "output_grads" or (step.name == "hidden_backward" and b != "out"):
            return _short(grad, 3), True
        if step.name in ("update_output", "update_hidden"):
            return _short(after, 3), True
    return _short(w, 3), False


def _shown(p: Pass, step: Step | None) -> tuple[Setup, np.ndarray, float, float]:
    """Parameters, hidden outputs, output and loss the drawing shows: after the update in the last step."""
    if step is not None and step.name == "check" and np.isfinite(p.loss_after):
        _, a1, _, y_hat, loss = forward(p.new)
        return p.new, a1, y_hat, loss
    return p.setup, p.a1, p.y_hat, p.loss


def _node_texts(p: Pass, node: str, step: Step | None) -> tuple[str, str, str]:
    """(name above, value inside, detail below) for one node.

    The detail is the bias, or what the step computes for that neuron: its error δ when going backwards,
    its new bias when updating; neurons a step does not involve show none.
    """
    s, a1, y_hat, loss = _shown(p, step)
    if node.startswith("x"):
        i = int(node[1:]) - 1
        return f"x<sub>{i + 1}</sub>", _short(s.x[i], 3), ""
    if node == "loss":
        return "L", _short(loss, 3), f"y = {_short(s.y)}"
    if node == "out":
        name, value, bias, new_bias, delta, mine = "ŷ", y_hat, s.b2, p.new.b2, p.delta2, True
        updated = step is not None and step.name == "update_output"
    else:
        k = int(node[1:]) - 1
        name, value, bias, new_bias, delta = f"h<sub>{k + 1}</sub>", a1[k], s.b1[k], p.new.b1[k], p.delta1[k]
        mine = step is not None and step.name == "hidden_backward" and step.neuron == k + 1
        updated = step is not None and step.name == "update_hidden"
    if step is None:
        detail = f"b = {_short(bias)}"
    elif node not in step.nodes:
        detail = ""
    elif step.phase == "backward":
        detail = f"δ = {_short(delta)}" if mine else ""
    elif updated:
        detail = f"b = {_short(new_bias)}"
    else:
        detail = f"b = {_short(bias)}" if step.phase == "forward" or step.name == "check" else ""
    return name, _short(value, 3), detail


SIZES = {2: (400, 1.45), 3: (470, 2.0), 4: (540, 2.35)}  # hidden neurons: figure height (px), half its y range


def network_figure(p: Pass, step: Step | None = None) -> go.Figure:
    """The 2-h-1 network with the step's neurons and links highlighted (no step: nothing highlighted).

    Every link shows its weight; the step's own neurons and links show what the step computes.
    """
    pos = layout(p.setup.hidden)
    color = PHASE_COLORS[step.phase] if step is not None else INK
    lit_edges = set(step.edges) if step is not None else set()
    lit_nodes = set(step.nodes) if step is not None else set()
    fig = go.Figure()
    annotations = []
    for lit in (False, True):  # highlighted links drawn last, on top
        xs, ys = [], []
        for e in _edges(p.setup.hidden):
            if (e in lit_edges) != lit:
                continue
            (x0, y0), (x1, y1) = pos[e[0]], pos[e[1]]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                 line=dict(color=color if lit else IDLE_EDGE, width=6 if lit else 2.5)))
    labels, lit_labels = [], []
    # a layer whose highlighted links show gradients or new values leaves its other weights unlabelled,
    # so that every number in it is one the step is about
    crowded = {_layer(e) for e in lit_edges if _edge_label(p, e, step)[1]}
    for e in _edges(p.setup.hidden):
        (x0, y0), (x1, y1) = pos[e[0]], pos[e[1]]
        lit = e in lit_edges
        text, changed = _edge_label(p, e, step)
        if not lit and _layer(e) in crowded:
            text = ""
        if text:
            t = 0.7 if e[1].startswith("h") else 0.42  # input links: where their labels fall evenly spaced
            (lit_labels if lit else labels).append(dict(
                x=x0 + t * (x1 - x0), y=y0 + t * (y1 - y0), text=text, showarrow=False,
                font=dict(size=15 if lit else 13, color=color if lit else "#5b6472", family=FONT),
                bgcolor="rgba(255,255,255,0.95)", bordercolor=color if lit else "rgba(0,0,0,0)", borderpad=2,
            ))
        if lit:  # an arrowhead most of the way along says which way the numbers flow
            (sx, sy), (tx, ty) = ((x1, y1), (x0, y0)) if step.phase == "backward" else ((x0, y0), (x1, y1))
            hx, hy = sx + 0.78 * (tx - sx), sy + 0.78 * (ty - sy)
            annotations.append(dict(x=hx, y=hy, ax=hx - 0.08 * (tx - sx), ay=hy - 0.08 * (ty - sy), xref="x",
                                    yref="y", axref="x", ayref="y", text="", showarrow=True, arrowhead=2,
                                    arrowsize=1.5, arrowwidth=2.5, arrowcolor=color))
    annotations += labels + lit_labels  # highlighted labels on top
    names = list(pos)
    fig.add_trace(go.Scatter(
        x=[pos[n][0] for n in names], y=[pos[n][1] for n in names], mode="markers+text", hoverinfo="skip",
        showlegend=False, text=[_node_texts(p, n, step)[1] for n in names], textposition="middle center",
        textfont=dict(size=16, color=INK, family=FONT),
        marker=dict(size=[54 if n != "loss" else 58 for n in names],
                    symbol=["square" if n == "loss" else "circle" for n in names],
                    color=[TINT[step.phase] if n in lit_nodes else "white" for n in names],
                    line=dict(width=[5 if n in lit_nodes else 2 for n in names],
                              color=[color if n in lit_nodes else IDLE_NODE for n in names])),
    ))
    for n in names:
        name, _, detail = _node_texts(p, n, step)
        x, y = pos[n]
        lit = n in lit_nodes
        annotations.append(dict(x=x, y=y, yshift=40, text=f"<b>{name}</b>", showarrow=False,
                                font=dict(size=19, color=color if lit else INK, family=FONT)))
        if detail:
            annotations.append(dict(x=x, y=y, yshift=-40, text=detail, showarrow=False,
                                    font=dict(size=15, color=color if lit else "#5b6472", family=FONT),
                                    bgcolor="rgba(255,255,255,0.85)"))
    height, half = SIZES[p.setup.hidden]
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="white", paper_bgcolor="white",
        xaxis=dict(visible=False, range=[-0.35, 3.32], fixedrange=True),
        yaxis=dict(visible=False, range=[-half, half], fixedrange=True),
        annotations=annotations, font=dict(family=FONT), dragmode=False,
    )
    return fig


def loss_figure(losses: list[float], x_title: str = "iteration", y_title: str = "loss", start: int = 0,
                height: int = 280) -> go.Figure:
    """Loss before each update, one point per iteration from `start`; the latest point stands out."""
    its = list(range(start, start + len(losses)))
    fig = go.Figure(go.Scatter(x=its, y=losses, mode="lines+markers", hovertemplate="%{x}: %{y:.6g}<extra></extra>",
                               line=dict(color=PHASE_COLORS["forward"], width=3),
                               marker=dict(size=9, color=PHASE_COLORS["forward"]), showlegend=False))
    if losses:
        fig.add_trace(go.Scatter(x=[its[-1]], y=[losses[-1]], mode="markers+text", text=[_short(losses[-1])],
                                 textposition="top center", hoverinfo="skip", showlegend=False,
                                 textfont=dict(size=16, color=INK, family=FONT),
                                 marker=dict(size=15, color=PHASE_COLORS["update"], line=dict(width=2, color="white"))))
    top = max(losses) if losses else 1.0
    fig.update_layout(
        height=height, margin=dict(l=60, r=20, t=10, b=10), plot_bgcolor="white", paper_bgcolor="white",
        font=dict(family=FONT, size=15),
        xaxis=dict(title=dict(text=x_title), automargin=True, range=[start - 0.5, start + max(len(losses), 5) - 0.5],
                   dtick=max(1, len(losses) // 8), gridcolor="#eef0f4", zeroline=False),
        yaxis=dict(title=dict(text=y_title), range=[0, 1.25 * top if top > 0 else 1.0], gridcolor="#eef0f4",
                   zeroline=False, automargin=True),
    )
    return fig
