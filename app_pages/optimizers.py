"""Optimizers on a loss surface: torch.optim optimizers race down a 2D function, animated step by step."""

from __future__ import annotations

import math

import streamlit as st

from playground.race import MAX_STEPS, OPTIMIZER_NAMES, RACE_KNOBS, UPDATE_RULES, Race, default_knobs, knob_range
from playground.surfaces import SURFACES
from playground.teaching_figures import (
    OPTIMIZER_COLORS,
    click_trace_index,
    contour_figure,
    loss_figure,
    optimizer_label,
)
from ui.lang import current, t

FRAME_SECONDS = 0.3  # one picture per frame while playing
SPEEDS = (1, 2, 5, 10, 20)
DEFAULT_PICK = ["sgd", "momentum", "nesterov", "adam"]
KNOB_STEPS = {"momentum": 0.01, "beta1": 0.01, "beta2": 0.001, "rho": 0.01, "weight_decay": 0.01}

ss = st.session_state


def surface_panel() -> str:
    name = st.selectbox(t("optimizers.surface"), list(SURFACES), index=list(SURFACES).index("ravine"),
                        format_func=lambda n: t(f"optimizers.surface.{n}"), key="opt_surface")
    st.caption(t(f"optimizers.note.{name}"))
    return name


def start_panel(name: str) -> tuple[float, float]:
    """Start point inputs; a click on the map writes into the same keys."""
    surface = SURFACES[name]
    st.markdown(f"**{t('optimizers.start')}**")
    cols = st.columns(2)
    point = []
    for col, axis, rng, default in zip(cols, "xy", (surface.x_range, surface.y_range), surface.start,
                                       strict=True):
        key = f"opt_{name}_start_{axis}"
        ss.setdefault(key, float(default))
        point.append(col.number_input(f"{axis}₀", min_value=rng[0], max_value=rng[1], step=0.1,
                                      format="%.3f", key=key))
    st.caption(t("optimizers.start_hint"))
    return point[0], point[1]


def _lr_step(value: float) -> float:
    return 10.0 ** (math.floor(math.log10(value)) - 1)


def optimizer_panel(name: str) -> dict[str, dict[str, float]]:
    """The chosen optimizers and their knobs, kept per surface so each surface keeps its good defaults."""
    surface = SURFACES[name]
    picked = st.multiselect(t("optimizers.pick"), OPTIMIZER_NAMES, default=DEFAULT_PICK,
                            format_func=lambda o: optimizer_label(o, current()), key="opt_optimizers")
    entrants = {}
    for opt in picked:
        defaults = default_knobs(opt, surface)
        knobs = {}
        with st.expander(t("optimizers.settings", name=optimizer_label(opt, current()))):
            for knob in RACE_KNOBS[opt]:
                key = f"opt_{name}_{opt}_{knob}"
                ss.setdefault(key, defaults[knob])
                lo, hi = knob_range(knob)
                step = _lr_step(defaults[knob]) if knob == "learning_rate" else KNOB_STEPS[knob]
                knobs[knob] = st.number_input(t(f"optimizers.knob.{knob}"), min_value=lo, max_value=hi,
                                              step=step, format="%g", key=key)
        entrants[opt] = knobs
    return entrants


def run_panel() -> tuple[int, int]:
    max_steps = st.slider(t("optimizers.max_steps"), 10, MAX_STEPS, 300, step=10, key="opt_max_steps")
    speed = st.select_slider(t("optimizers.speed"), SPEEDS, value=5, help=t("optimizers.speed_help"),
                             key="opt_speed")
    return max_steps, speed


def current_race(name: str, start, entrants, max_steps: int) -> Race | None:
    """The race for these settings: kept while they stay the same, rebuilt (from step 0) when they change."""
    setup = (name, tuple(start), tuple((o, tuple(sorted(k.items()))) for o, k in entrants.items()))
    race = ss.get("opt_race")
    if race is None or ss.get("opt_setup") != setup:
        try:
            race = Race(SURFACES[name], entrants, start=start, max_steps=max_steps)
        except ValueError as err:
            st.error(t("optimizers.bad_knobs", message=err))
            return ss.get("opt_race")  # the last good race stays on screen
        ss.opt_race, ss.opt_setup = race, setup
    race.max_steps = max(max_steps, race.steps)
    return race


def _set_playing(value: bool) -> None:
    # Set, not toggled: a click delivered twice while frames are streaming must not undo itself.
    ss.opt_playing = value


def _on_click(chart_key: str, name: str, grid: int) -> None:
    """A click on the map selects a grid point: it becomes the new start."""
    points = (ss.get(chart_key) or {}).get("selection", {}).get("points", [])
    points = [p for p in points if p.get("curve_number") == grid]
    if not points:
        return
    surface = SURFACES[name]
    x = min(max(float(points[0]["x"]), surface.x_range[0]), surface.x_range[1])
    y = min(max(float(points[0]["y"]), surface.y_range[0]), surface.y_range[1])
    ss[f"opt_{name}_start_x"], ss[f"opt_{name}_start_y"] = round(x, 3), round(y, 3)
    ss.opt_clicks = ss.get("opt_clicks", 0) + 1  # a fresh chart key drops the old selection
    ss.opt_start_moved = True


def _coord(v: float) -> str:
    return f"{v:.3f}" if abs(v) < 1e4 else f"{v:.3g}"


def status_table(race: Race, snapshot) -> None:
    surface, lang = race.surface, current()
    rows = [f"| | {t('optimizers.col.optimizer')} | {t('optimizers.col.status')} | {t('optimizers.col.loss')} "
            f"| {t('optimizers.col.position')} | {t('optimizers.col.distance')} |", "|---|---|---|---|---|---|"]
    for opt, lane in snapshot.lanes.items():
        x, y = lane.position
        near = min(math.hypot(x - mx, y - my) for mx, my in surface.minima)
        status = t(f"optimizers.status.{lane.status}", step=lane.diverged_at)
        if lane.status == "diverged":
            status = f"**:red[{status}]**"
        chip = f'<span style="color:{OPTIMIZER_COLORS[opt]};font-size:1.4em">●</span>'
        rows.append(f"| {chip} | {optimizer_label(opt, lang)} | {status} | {lane.loss:.4g} "
                    f"| ({_coord(x)}, {_coord(y)}) | {near:.3g} |")
    st.markdown("\n".join(rows), unsafe_allow_html=True)
    if any(lane.status == "diverged" for lane in snapshot.lanes.values()):
        st.warning(t("optimizers.diverged_hint"))


def race_view(name: str, speed: int) -> None:
    """Buttons, map and loss chart; re-run on its own every frame while playing."""
    playing = ss.get("opt_playing", False)

    @st.fragment(run_every=FRAME_SECONDS if playing else None)
    def frame():
        if ss.pop("opt_start_moved", False) or ss.get("opt_playing", False) != playing:
            st.rerun()  # the start inputs and the frame timer live outside this fragment
        race = ss.get("opt_race")
        if race is None:
            st.info(t("optimizers.pick_none"))
            return
        now_playing = ss.get("opt_playing", False)
        bar = st.container(horizontal=True, vertical_alignment="center", gap="small")
        # Play and Pause are two buttons (one shown at a time, in the container tests find as opt_play):
        # a click repeated by a frame already on its way then finds no button and changes nothing.
        with bar.container(key="opt_play", width="content"):
            if now_playing:
                st.button(t("optimizers.pause"), key="opt_pause_button", icon=":material/pause:",
                          on_click=_set_playing, args=(False,), type="primary")
            else:
                st.button(t("optimizers.play"), key="opt_play_button", icon=":material/play_arrow:",
                          on_click=_set_playing, args=(True,), type="primary")
        stepped = bar.button(t("optimizers.step"), key="opt_step", icon=":material/skip_next:",
                             on_click=_set_playing, args=(False,))
        reset = bar.button(t("optimizers.reset"), key="opt_reset", icon=":material/replay:",
                           on_click=_set_playing, args=(False,))
        info = bar.empty()
        if reset:
            race.reset()
        elif stepped and not playing:  # Step while playing only pauses (the frame may repeat the click)
            race.step(1)
        elif now_playing:
            race.step(speed)
        snapshot = race.snapshot()
        if now_playing and snapshot.finished:
            ss.opt_playing = False
            st.rerun()
        info.markdown(f"&nbsp;**{t('optimizers.progress', step=snapshot.step, total=snapshot.max_steps)}**"
                      + (f" — {t('optimizers.finished')}" if snapshot.finished else ""))
        st.latex(race.surface.formula)
        fig = contour_figure(race.surface, snapshot, race.start, current(), clickable=not now_playing)
        config = {"displaylogo": False, "scrollZoom": False}
        with st.container(key="opt_contour"):
            if now_playing:
                # A plain chart updates in place; a selectable one is a widget whose identity includes the
                # figure, so it would be rebuilt every frame. No start moves mid-race anyway.
                st.plotly_chart(fig, config=config, theme=None)
            else:
                grid, chart_key = click_trace_index(fig), f"opt_map_{ss.get('opt_clicks', 0)}"
                st.plotly_chart(fig, key=chart_key, on_select=lambda: _on_click(chart_key, name, grid),
                                selection_mode="points", config=config, theme=None)
        st.plotly_chart(loss_figure(race.surface, snapshot, current()), key="opt_loss_chart",
                        config={"displaylogo": False}, theme=None)
        status_table(race, snapshot)

    frame()


def rules_panel() -> None:
    with st.expander(t("optimizers.rules")):
        st.caption(t("optimizers.rules_intro"))
        for opt in OPTIMIZER_NAMES:
            st.markdown(f"**{optimizer_label(opt, current())}**")
            st.latex(UPDATE_RULES[opt])
    with st.expander(t("optimizers.try")):
        st.markdown(t("optimizers.try_text"))


st.title(t("optimizers.title"))
st.markdown(t("optimizers.intro"))
controls, view = st.columns([1, 2.4], gap="large")
with controls:
    surface_name = surface_panel()
    start_point = start_panel(surface_name)
    chosen = optimizer_panel(surface_name)
    steps_total, steps_per_frame = run_panel()
if chosen:
    current_race(surface_name, start_point, chosen, steps_total)
else:
    ss.pop("opt_race", None)
    ss.opt_playing = False
with view:
    race_view(surface_name, steps_per_frame)
rules_panel()
