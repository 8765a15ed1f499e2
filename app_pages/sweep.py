"""Sweeps: train a grid of networks that differ in one or two knobs and see what works in one picture."""

from __future__ import annotations

import math
from urllib.parse import urlencode

import streamlit as st

from playground import sweep as sw
from playground import sweep_figures as sf
from playground import vectorized
from playground.config import Config, ConfigError, field_names
from playground.presets import PRESETS, preset
from ui.classroom import CLASSROOM
from ui.lang import current as current_lang
from ui.lang import t

RUN, RESULT, STOP, GRIDS = "sweep_run", "sweep_result_data", "sweep_stop_requested", "sweep_grids"
URL_CFG, INIT, CELL = "sweep_url_cfg", "sweep_init", "sweep_cell"
PLAYGROUND_CFG = "pg_cfg"  # where the Playground page keeps its current config
CONFIG_KEYS = frozenset(field_names())
CHOICE_KNOBS = {"activation": sw.ACTIVATION_CHOICES, "optimizer": ("sgd", "momentum", "nesterov", "adagrad",
                                                                  "rmsprop", "adam", "adamw"),
                "init": ("xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "lecun", "uniform", "zeros")}
DEFAULT_VALUES = {"learning_rate": "0.001,0.003,0.01,0.03,0.1,0.3,1", "width": "1,2,4,8", "depth": "0,1,2,3",
                  "batch_size": "1,5,10,30", "regularization_rate": "0,0.001,0.003,0.01,0.03",
                  "noise": "0,10,25,50", "seed": "1,2,3,4,5", "activation": ["relu", "tanh", "sigmoid", "linear"],
                  "optimizer": ["sgd", "momentum", "adam"], "init": ["xavier_uniform", "he_uniform", "uniform"]}
MAX_BOUNDARIES = 64


def knob_name(key: str) -> str:
    return t(f"sweep.knob.{key}")


def names() -> dict[str, str]:
    """Short knob names for cell labels."""
    return {k: t(f"sweep.short.{k}") for k in sw.KNOBS}


# ---- state from the link -------------------------------------------------------------------------


def init_from_url() -> None:
    """First run in a session: the link's config keys and the sweep's own parameters seed the widgets."""
    if st.session_state.get(INIT):
        return
    st.session_state[INIT] = True
    params = st.query_params.to_dict()
    given = {k: v for k, v in params.items() if k in CONFIG_KEYS}
    if given:
        config, problems = Config.from_query(given)
        st.session_state[URL_CFG] = config
        for p in problems:
            st.toast(t("warning.url_skipped", message=str(p)))
    axes, errors = sw.axes_from_query(params)
    for err in errors:
        st.toast(t("warning.url_skipped", message=str(err)))
    for n, axis in enumerate(axes[:2], start=1):
        if axis.key not in sw.KNOBS:
            continue
        st.session_state[f"sweep_knob{n}"] = axis.key
        if axis.key in CHOICE_KNOBS:
            st.session_state[f"sweep_choices{n}"] = [v for v in axis.values if v in CHOICE_KNOBS[axis.key]]
        else:
            st.session_state[f"sweep_values{n}"] = ",".join(sw.fmt_value(v) for v in axis.values)
    if params.get("metric") in sw.METRICS:
        st.session_state["sweep_metric"] = params["metric"]
    try:
        st.session_state["sweep_target"] = float(params.get("target", 0.05))
    except ValueError:
        pass
    if "epochs" in given:
        st.session_state["sweep_epochs"] = st.session_state[URL_CFG].epochs


def current_config() -> Config:
    """The link's config if the page was opened with one, else the Playground's, else the default."""
    if isinstance(st.session_state.get(URL_CFG), Config):
        return st.session_state[URL_CFG]
    if isinstance(st.session_state.get(PLAYGROUND_CFG), Config):
        return st.session_state[PLAYGROUND_CFG]
    return Config()


# ---- settings ------------------------------------------------------------------------------------


def base_panel() -> Config:
    """Where the sweep starts from, with the epoch budget applied."""
    options = ["current", *PRESETS]
    labels = {"current": t("sweep.source.current"), "tf-default": t("sweep.source.default")}
    source = st.selectbox(t("sweep.source"), options, key="sweep_source",
                          format_func=lambda k: labels.get(k) or t("sweep.source.preset", name=k))
    return current_config() if source == "current" else preset(source)


def epochs_panel(base: Config | None) -> int:
    if "sweep_epochs" not in st.session_state:
        st.session_state["sweep_epochs"] = min(base.epochs if base else 200, 200)
    return int(st.number_input(t("sweep.epochs"), min_value=1, max_value=5000, step=50, key="sweep_epochs"))


def _reset_values(n: int) -> None:
    key = st.session_state.get(f"sweep_knob{n}")
    if key in CHOICE_KNOBS:
        st.session_state[f"sweep_choices{n}"] = list(DEFAULT_VALUES[key])
    elif key in DEFAULT_VALUES:
        st.session_state[f"sweep_values{n}"] = DEFAULT_VALUES[key]


def _apply_log(n: int) -> None:
    lo, hi, count = (st.session_state[f"sweep_log{n}_{p}"] for p in ("lo", "hi", "n"))
    try:
        values = sw.log_values(float(lo), float(hi), int(count))
    except ValueError:
        return
    st.session_state[f"sweep_values{n}"] = ",".join(sw.fmt_value(v) for v in values)


def knob_panel(n: int, taken: str | None) -> sw.Axis | None:
    """One knob and its values; None for an unused second knob. Raises ConfigError for bad values."""
    options = [k for k in sw.KNOBS if k != taken]
    if n == 2:
        options = ["none", *options]
    defaults = {1: "learning_rate", 2: "seed"}
    if st.session_state.get(f"sweep_knob{n}") not in options:
        st.session_state[f"sweep_knob{n}"] = defaults[n] if defaults[n] in options else options[0]
        _reset_values(n)
    key = st.selectbox(t(f"sweep.knob{n}"), options, key=f"sweep_knob{n}", on_change=_reset_values, args=(n,),
                       format_func=lambda k: t("sweep.knob.none") if k == "none" else knob_name(k))
    if key == "none":
        return None
    if key in CHOICE_KNOBS:
        if f"sweep_choices{n}" not in st.session_state:
            _reset_values(n)
        chosen = st.multiselect(t("sweep.choices"), CHOICE_KNOBS[key], key=f"sweep_choices{n}")
        if not chosen:
            raise ConfigError(key, "nothing", "at least one value")
        return sw.Axis(key, list(chosen))
    if f"sweep_values{n}" not in st.session_state:
        _reset_values(n)
    text = st.text_input(t("sweep.values"), key=f"sweep_values{n}", help=t("sweep.values.help"))
    if key in sw.LOG_KNOBS:
        with st.popover(t("sweep.log"), key=f"sweep_log{n}"):
            st.number_input(t("sweep.log.lo"), value=0.001, format="%g", min_value=1e-6, key=f"sweep_log{n}_lo")
            st.number_input(t("sweep.log.hi"), value=1.0, format="%g", min_value=1e-6, key=f"sweep_log{n}_hi")
            st.number_input(t("sweep.log.n"), value=7, min_value=1, max_value=sw.MAX_VALUES, key=f"sweep_log{n}_n")
            st.button(t("sweep.log.apply"), key=f"sweep_log{n}_apply", on_click=_apply_log, args=(n,))
    return sw.Axis(key, sw.parse_values(key, text))


def settings_panel() -> sw.SweepSpec | None:
    """All inputs of the sweep; None (with a message) when they do not make a sweep."""
    top = st.columns([2, 1, 1, 1])
    with top[0]:
        base = base_panel_safe()
    with top[2]:
        st.selectbox(t("sweep.metric"), sw.METRICS, key="sweep_metric",
                     format_func=lambda m: t(f"sweep.metric.{m}"))
    with top[1]:
        epochs = epochs_panel(base)
    with top[3]:
        st.session_state.setdefault("sweep_target", 0.05)
        target = st.number_input(t("sweep.target"), min_value=0.0, format="%g", key="sweep_target",
                                 help=t("sweep.target.help"))
    knobs = st.columns(2)
    try:
        with knobs[0]:
            first = knob_panel(1, None)
        with knobs[1]:
            second = knob_panel(2, first.key)
        if base is None:
            return None
        axes = [first] + ([second] if second else [])
        return sw.SweepSpec(base.evolve(epochs=epochs), axes, st.session_state["sweep_metric"], float(target))
    except ConfigError as err:
        st.error(t("sweep.invalid", message=str(err)))
        return None


def base_panel_safe() -> Config | None:
    try:
        return base_panel()
    except ConfigError as err:
        st.error(t("sweep.invalid", message=str(err)))
        return None


def cost_panel(spec: sw.SweepSpec) -> sw.Plan | None:
    """What the sweep will cost, or why it will not run."""
    try:
        plan = sw.plan(spec)
    except ConfigError as err:
        st.error(t("sweep.invalid", message=str(err)))
        return None
    if plan.refusal is not None:
        st.error(t(f"sweep.refuse.{plan.refusal.code}", **plan.refusal.values), icon=":material/block:")
        return None
    seq = t("sweep.cost.sequential", k=len(plan.sequential)) if plan.sequential else ""
    st.info(t("sweep.cost", n=spec.size, stacks=len(plan.stacks), seq=seq,
              seconds=t("sweep.seconds", s=max(plan.seconds, 0.1)), mb=max(1, round(plan.memory / 2**20))),
            icon=":material/timer:")
    return plan


# ---- running -------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def engine_ready() -> float:
    """Load (or compile once) the vectorised kernels; shared by every session of this server."""
    return vectorized.warm_up()


def request_stop() -> None:
    st.session_state[STOP] = True


def controls(spec: sw.SweepSpec | None, plan: sw.Plan | None) -> None:
    """Start and stop; a started sweep runs here, slice by slice, under a progress bar."""
    run = st.session_state.get(RUN)
    if run is not None and st.session_state.pop(STOP, False) and not run.done:
        run.stop()
        st.session_state[RESULT] = run.result()
    running = run is not None and not run.done
    left, right, _ = st.columns([2, 1, 7], gap="small")
    start = left.button(t("sweep.start"), key="sweep_start", type="primary", disabled=plan is None or running)
    right.button(t("sweep.stop"), key="sweep_stop", on_click=request_stop, disabled=not running and not start)
    if start and plan is not None:
        with st.spinner(t("sweep.compiling")):
            engine_ready()
        run = sw.SweepRun(spec, plan)
        st.session_state[RUN] = run
        st.session_state.pop(RESULT, None)
        st.session_state.pop(GRIDS, None)
        st.session_state.pop(STOP, None)
        st.session_state.pop(CELL, None)  # the best cell is selected once results exist
    if run is None:
        return
    if not run.done:
        with st.container(key="sweep_progress"):
            bar = st.progress(run.progress, text=t("sweep.progress", pct=100 * run.progress, left=run.eta()))
            while not run.done:
                with CLASSROOM.turn():  # a sweep takes its turns with the live views of other sessions
                    run.advance(max(0.05, 0.3 / CLASSROOM.playing()))
                bar.progress(run.progress, text=t("sweep.progress", pct=100 * run.progress, left=run.eta()))
        st.session_state[RESULT] = run.result()
        st.rerun()
    if RESULT not in st.session_state:
        st.session_state[RESULT] = run.result()


# ---- results -------------------------------------------------------------------------------------


def _select_from(chart_key: str) -> None:
    """A click on the heatmap or a curve selects that network."""
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else \
        getattr(getattr(event, "selection", None), "points", []) or []
    for point in points:
        data = point.get("customdata")
        index = data[0] if isinstance(data, (list, tuple)) else data
        if isinstance(index, (int, float)) and not isinstance(index, bool):
            st.session_state[CELL] = int(index)
            return


def results_panel(result: sw.SweepResult) -> None:
    run = st.session_state.get(RUN)
    statuses = result.statuses()
    done = sum(s in ("done", "diverged") for s in statuses)
    if run is not None and run.stopped:
        st.warning(t("sweep.stopped", done=done, n=result.spec.size))
    else:
        st.success(t("sweep.finished", n=result.spec.size, seconds=result.seconds))
    metric = st.session_state.get("sweep_metric", result.spec.metric)
    metric_title = t(f"sweep.metric.{metric}")
    best = result.best(metric)
    if best is not None:
        st.caption(t("sweep.best", cell=sf.cell_label(result, best, names()), metric=metric_title,
                     value=sf._fmt(result.value(best, metric), metric)))
    size = result.spec.size
    if st.session_state.get(CELL) is None or not 0 <= st.session_state[CELL] < size:
        st.session_state[CELL] = best if best is not None else 0
    selected = st.session_state[CELL]
    axes = result.spec.axes
    heat, detail = st.columns([3, 2])
    with heat:
        fig = sf.metric_heatmap(result, metric, metric_title=metric_title, row_title=knob_name(axes[0].key),
                                col_title=knob_name(axes[1].key) if len(axes) > 1 else "",
                                diverged=t("sweep.diverged"), pending=t("sweep.pending"), selected=selected,
                                names=names())
        st.plotly_chart(fig, key="sweep_heatmap", on_select=lambda: _select_from("sweep_heatmap"),
                        selection_mode="points", config={"displayModeBar": False})
        st.caption(t("sweep.heatmap.help"))
    with detail:
        cell_panel(result, selected)
    curves_panel(result, selected)
    boundaries_panel(result, selected)


def cell_panel(result: sw.SweepResult, selected: int) -> None:
    st.selectbox(t("sweep.select"), list(range(result.spec.size)), key=CELL,
                 format_func=lambda k: sf.cell_label(result, k, names()))
    row = result.row(selected)
    status = row["status"]
    st.markdown(t("sweep.cell", cell=sf.cell_label(result, selected, names()),
                  status=t(f"status.{status}") if status != "pending" else t("sweep.pending"),
                  epochs=row["epochs"], test_loss=_show(row["test_loss"]),
                  test_accuracy=_show(row["test_accuracy"], percent=True)))
    config = result.lanes[selected].config if result.lanes[selected] is not None else result.spec.configs()[selected]
    st.link_button(t("sweep.open"), "/?" + urlencode(config.to_query()), key="sweep_open",
                   icon=":material/open_in_new:")
    st.download_button(t("sweep.download.csv"), result.to_csv(), file_name="sweep_results.csv", mime="text/csv",
                       key="sweep_csv", icon=":material/download:")
    st.download_button(t("sweep.download.json"), result.spec.to_json(), file_name="sweep.json",
                       mime="application/json", key="sweep_json", icon=":material/download:")


def _show(value, percent: bool = False) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{100 * value:.1f}%" if percent else f"{value:.4g}"


def curves_panel(result: sw.SweepResult, selected: int) -> None:
    st.subheader(t("sweep.curves"))
    which = st.segmented_control(t("sweep.curves.which"), ["test_loss", "train_loss", "test_accuracy"],
                                 default="test_loss", key="sweep_curves_which",
                                 format_func=lambda m: t(f"sweep.metric.{m}")) or "test_loss"
    fig = sf.loss_curves(result, which, y_title=t(f"sweep.metric.{which}"), x_title=t("sweep.epoch"),
                         highlight=selected, names=names())
    st.plotly_chart(fig, key="sweep_curves", on_select=lambda: _select_from("sweep_curves"),
                    selection_mode="points", config={"displayModeBar": False})
    st.caption(t("sweep.curves.help"))


def boundaries_panel(result: sw.SweepResult, selected: int) -> None:
    st.subheader(t("sweep.boundaries"))
    size = result.spec.size
    if size <= MAX_BOUNDARIES:
        shown = list(range(size))
    else:
        row = result.spec.cell(selected)[0]
        cols = result.spec.shape[1]
        shown = list(range(row * cols, row * cols + cols))
        st.caption(t("sweep.boundaries.some", k=len(shown), n=size))
    cache = st.session_state.setdefault(GRIDS, {})
    grids = {}
    for k in shown:
        if k not in cache:
            cache[k] = sw.boundary(result, k)
        if cache[k] is not None:
            grids[k] = cache[k]
    if not grids:
        return
    titles = {k: "<br>".join(sw.fmt_value(v) for v in result.spec.values_of(k).values()) for k in grids}
    fig = sf.boundaries(result, grids, titles=titles, diverged=t("sweep.diverged"), selected=selected)
    st.plotly_chart(fig, key="sweep_boundaries", config={"displayModeBar": False, "staticPlot": True})


# ---- the link ------------------------------------------------------------------------------------


def sync_url(spec: sw.SweepSpec | None) -> None:
    """The page's link reproduces the sweep: the base config's keys beside vary1, vary2, metric, target."""
    if spec is None:
        return
    params = {"lang": current_lang(), **spec.base.to_query(only_changed=True), **spec.to_query()}
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


# ---- the page ------------------------------------------------------------------------------------

init_from_url()
st.title(t("sweep.title"))
st.caption(t("sweep.intro"))
spec = settings_panel()
plan = cost_panel(spec) if spec is not None else None
controls(spec, plan)
sync_url(spec)
result = st.session_state.get(RESULT)
if result is not None:
    results_panel(result)
elif st.session_state.get(RUN) is None:
    st.info(t("sweep.none"))
