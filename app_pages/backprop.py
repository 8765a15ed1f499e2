"""Backpropagation, step by step: one example through a 2-h-1 network, every number written out."""

from __future__ import annotations

import math

import streamlit as st

from playground.backprop import (
    ACTIVATIONS,
    HIDDEN_SIZES,
    LOSSES,
    PHASES,
    BackpropError,
    Setup,
    autograd_check,
    compute,
    course_example,
    random_parameters,
    walkthrough,
)
from playground.backprop_figures import loss_figure, network_figure
from playground.i18n import text
from ui.lang import current, t

MAX_HIDDEN = max(HIDDEN_SIZES)
MAX_HISTORY = 1000
PHASE_COLOR = {"forward": "blue", "backward": "red", "update": "green"}  # Streamlit markdown colours
STATIC = {"displayModeBar": False, "staticPlot": True}
NARROW, WIDE = 15.0, 24.0  # formula line widths in em: below and above a 640 px formula column
CSS = """<style>
.stMainBlockContainer { padding-top: 2.5rem; }
/* Each step is typeset twice, its lines broken to fit NARROW or WIDE em; the column's width picks one,
   and the font is sized so that those em fill the column. */
.st-key-bp_formula { container-type: inline-size; }
.st-key-bp_formula p { font-size: clamp(1rem, 3.2cqi, 1.3rem); }
.st-key-bp_formula .katex-display { overflow-x: auto; overflow-y: hidden; margin: 0.3em 0; padding: 0.15em 0;
  text-align: left; }
.st-key-bp_formula .katex-display > .katex { text-align: left; }
.st-key-bp_formula [data-testid="stMarkdown"] > div { margin-left: 0 !important; max-width: 100%; }
[class*="st-key-bp_narrow"] .katex { font-size: clamp(1.1em, calc(100cqi / (NARROW + 1)), 2em); }
[class*="st-key-bp_wide"] .katex { font-size: clamp(1.3em, calc(100cqi / (WIDE + 1)), 2.3em); }
@container (min-width: 640px) { [class*="st-key-bp_narrow"] { display: none; } }
@container (max-width: 639.98px) { [class*="st-key-bp_wide"] { display: none; } }
</style>""".replace("NARROW", str(NARROW)).replace("WIDE", str(WIDE))


def _number_names(hidden: int = MAX_HIDDEN) -> list[str]:
    return (["x1", "x2", "y"] + [f"w1_{j}_{i}" for j in range(hidden) for i in range(2)]
            + [f"b1_{j}" for j in range(hidden)] + [f"w2_{j}" for j in range(hidden)] + ["b2"])


def _store_from(setup: Setup, seed: int) -> dict:
    """The page's store for a setup; hidden neurons it does not have are drawn from the seed."""
    extra = random_parameters(MAX_HIDDEN, seed)
    store = dict(x1=float(setup.x[0]), x2=float(setup.x[1]), y=float(setup.y), b2=float(setup.b2),
                 hidden=setup.hidden, f=setup.hidden_activation, g=setup.output_activation, loss=setup.loss,
                 lr=float(setup.lr), digits=4, seed=seed)
    for j in range(MAX_HIDDEN):
        own = j < setup.hidden
        for i in range(2):
            store[f"w1_{j}_{i}"] = float((setup.W1 if own else extra["W1"])[j][i])
        store[f"b1_{j}"] = float((setup.b1 if own else extra["b1"])[j])
        store[f"w2_{j}"] = float((setup.W2 if own else extra["W2"])[j])
    return store


def _setup(store: dict) -> Setup:
    h = store["hidden"]
    return Setup(x=[store["x1"], store["x2"]], y=store["y"],
                 W1=[[store[f"w1_{j}_{i}"] for i in range(2)] for j in range(h)],
                 b1=[store[f"b1_{j}"] for j in range(h)], W2=[store[f"w2_{j}"] for j in range(h)], b2=store["b2"],
                 hidden_activation=store["f"], output_activation=store["g"], loss=store["loss"], lr=store["lr"])


def _signature(store: dict) -> tuple:
    """What the loss depends on: a change starts a new loss curve (the learning rate does not)."""
    return tuple(store[n] for n in _number_names(store["hidden"])) + (store["f"], store["g"], store["loss"])


# ---------------------------------------------------------------- state and callbacks

def _init() -> None:
    ss = st.session_state
    if "bp_store" not in ss:
        ss.bp_store = _store_from(course_example(), seed=1)
        ss.bp_step, ss.bp_show_all, ss.bp_history, ss.bp_offset, ss.bp_sig = 0, False, [], 0, None


def _bound(name: str) -> str:
    """The widget key of a stored value, seeded from the store (widget state is dropped when off-page)."""
    key = f"bp_{name}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.bp_store[name]
    return key


def _keep(name: str) -> None:
    st.session_state.bp_store[name] = st.session_state[f"bp_{name}"]


def _put(name: str, value) -> None:
    st.session_state.bp_store[name] = value
    st.session_state[f"bp_{name}"] = value


def _loss_changed() -> None:
    _keep("loss")
    if st.session_state.bp_store["loss"] == "bce" and st.session_state.bp_store["g"] != "sigmoid":
        _put("g", "sigmoid")
        st.session_state.bp_notice = "bce_switched"


def _go(target: int) -> None:
    """Go to a step by its number (not by +1/-1), so a click delivered twice moves once."""
    ss = st.session_state
    ss.bp_step = max(0, min(target, ss.get("bp_n_steps", 1) - 1))
    ss.bp_show_all = False


def _show_all(value: bool) -> None:
    """Set, not toggled: a click delivered twice must not undo itself."""
    st.session_state.bp_show_all = value


def _iterate() -> None:
    ss = st.session_state
    try:
        p = compute(_setup(ss.bp_store))
    except BackpropError:
        return  # the page already says what is wrong
    if not math.isfinite(p.loss_after):
        ss.bp_notice = "overshoot"
        return
    new = p.new
    for j in range(new.hidden):
        for i in range(2):
            _put(f"w1_{j}_{i}", float(new.W1[j, i]))
        _put(f"b1_{j}", float(new.b1[j]))
        _put(f"w2_{j}", float(new.W2[j]))
    _put("b2", float(new.b2))
    ss.bp_history = ss.bp_history + [p.loss_after]
    if len(ss.bp_history) > MAX_HISTORY:
        ss.bp_history, ss.bp_offset = ss.bp_history[1:], ss.bp_offset + 1
    ss.bp_sig, ss.bp_step = _signature(ss.bp_store), 0


def _restart() -> None:
    for name, value in st.session_state.bp_start.items():
        _put(name, value)
    st.session_state.bp_sig, st.session_state.bp_step = None, 0


def _randomize() -> None:
    params = random_parameters(MAX_HIDDEN, st.session_state.bp_store["seed"])
    for j in range(MAX_HIDDEN):
        for i in range(2):
            _put(f"w1_{j}_{i}", float(params["W1"][j, i]))
        _put(f"b1_{j}", float(params["b1"][j]))
        _put(f"w2_{j}", float(params["W2"][j]))
    _put("b2", params["b2"])


def _example() -> None:
    for name, value in _store_from(course_example(), st.session_state.bp_store["seed"]).items():
        if name not in ("digits", "seed"):
            _put(name, value)
    st.session_state.bp_step = 0


# ---------------------------------------------------------------- panels

def _names(prefix: str):
    """Option names in the current language (bound now: Streamlit may call it outside the script run)."""
    lang = current()
    return lambda k: text(f"{prefix}.{k}", lang)


def settings_panel() -> None:
    """Sidebar: network size, activations, loss, learning rate and where the weights come from."""
    with st.sidebar:
        st.subheader(t("backprop.settings"))
        st.radio(t("backprop.hidden"), HIDDEN_SIZES, key=_bound("hidden"), on_change=_keep, args=("hidden",),
                 horizontal=True)
        for name, label in (("f", "backprop.hidden_activation"), ("g", "backprop.output_activation")):
            st.selectbox(t(label), list(ACTIVATIONS), key=_bound(name), on_change=_keep, args=(name,),
                         format_func=_names("backprop.act"))
        st.selectbox(t("backprop.loss"), list(LOSSES), key=_bound("loss"), on_change=_loss_changed,
                     format_func=_names("backprop.loss"))
        st.number_input(t("backprop.lr"), min_value=0.0, max_value=10.0, step=0.01, format="%.4g",
                        key=_bound("lr"), on_change=_keep, args=("lr",))
        st.select_slider(t("backprop.digits"), options=[3, 4, 5, 6], key=_bound("digits"), on_change=_keep,
                         args=("digits",), help=t("backprop.digits_help"))
        st.subheader(t("backprop.start_values"))
        st.number_input(t("backprop.seed"), min_value=0, max_value=2**31 - 1, step=1, key=_bound("seed"),
                        on_change=_keep, args=("seed",))
        st.button(t("backprop.random"), key="bp_random", on_click=_randomize, help=t("backprop.random_help"),
                  icon=":material/casino:", width="stretch")
        st.button(t("backprop.example"), key="bp_example", on_click=_example, help=t("backprop.example_help"),
                  icon=":material/menu_book:", width="stretch")


def controls(i: int, n: int, show_all: bool) -> None:
    """Step buttons, then the iteration buttons, in one row that wraps on narrow screens."""
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        st.button(t("backprop.prev"), key="bp_prev", on_click=_go, args=(i - 1,), disabled=i == 0 and not show_all,
                  help=t("backprop.prev_help"), shortcut="Left")
        st.button(t("backprop.next"), key="bp_next", on_click=_go, args=(i + 1,), type="primary",
                  disabled=i == n - 1 and not show_all, help=t("backprop.next_help"), shortcut="Right")
        st.button(t("backprop.one" if show_all else "backprop.all"), key="bp_all", on_click=_show_all,
                  args=(not show_all,),
                  icon=":material/view_agenda:")
        st.space("small")
        st.button(t("backprop.iterate"), key="bp_iterate", on_click=_iterate, icon=":material/replay:",
                  help=t("backprop.iterate_help"))
        st.button(t("backprop.reset"), key="bp_reset", on_click=_restart, icon=":material/restart_alt:",
                  help=t("backprop.reset_help"), disabled=len(st.session_state.bp_history) < 2)


def progress_line(steps, i: int, show_all: bool) -> str:
    """Forward -> Backward -> Update with the current phase in its colour, and the step number."""
    now = None if show_all else steps[i].phase
    parts = [f":{PHASE_COLOR[ph]}[**{t('backprop.phase.' + ph)}**]" if ph == now or show_all
             else f":gray[{t('backprop.phase.' + ph)}]" for ph in PHASES]
    where = "" if show_all else f" &nbsp;·&nbsp; {t('backprop.progress', i=i + 1, n=len(steps))}"
    return " → ".join(parts) + where


def step_block(index: int, step, wide_step, lr: float, heading: str = "###") -> None:
    """One step: its phase and title, what it does in words, and its formulas with the numbers."""
    phase = t(f"backprop.phase.{step.phase}")
    title = t(f"backprop.step.{step.name}", j=step.neuron)
    st.markdown(f"{heading} :{PHASE_COLOR[step.phase]}[{phase}] · {title}")
    st.markdown(t(f"backprop.explain.{step.name}", j=step.neuron, lr=f"{lr:g}"))
    for layout, formulas in (("narrow", step.latex), ("wide", wide_step.latex)):
        with st.container(key=f"bp_{layout}_{index}"):
            for formula in formulas:
                st.latex(formula)


def numbers_panel(hidden: int) -> None:
    """Every input, weight and bias, editable; the drawing and formulas follow any change."""
    def number(name: str, label: str) -> None:
        st.number_input(label, key=_bound(name), on_change=_keep, args=(name,), step=0.1, format="%.6g")

    with st.expander(t("backprop.numbers"), expanded=True):
        cols = st.columns(hidden + 2)
        with cols[0]:
            st.markdown(f"**{t('backprop.sample')}**")
            number("x1", "$x_1$")
            number("x2", "$x_2$")
            number("y", f"$y$ ({t('backprop.target')})")
        for j in range(hidden):
            with cols[j + 1]:
                st.markdown(f"**{t('backprop.neuron', j=j + 1)}**")
                number(f"w1_{j}_0", f"$w^{{(1)}}_{{{j + 1}1}}$")
                number(f"w1_{j}_1", f"$w^{{(1)}}_{{{j + 1}2}}$")
                number(f"b1_{j}", f"$b^{{(1)}}_{{{j + 1}}}$")
                number(f"w2_{j}", f"$w^{{(2)}}_{{{j + 1}}}$")
        with cols[-1]:
            st.markdown(f"**{t('backprop.output')}**")
            number("b2", "$b^{(2)}$")


def _plain(v: float) -> str:
    return f"{v:.6g}".replace("-", "−")


def loss_panel(p) -> None:
    """The loss curve over iterations, what this update would do, and PyTorch's check of the gradients."""
    ss = st.session_state
    st.markdown(f"**{t('backprop.chart')}**")
    fig = loss_figure(ss.bp_history, t("backprop.iteration_axis"), t("backprop.loss_axis"), start=ss.bp_offset,
                      height=250)
    st.plotly_chart(fig, key="bp_loss_chart", config=STATIC, theme=None)
    change = p.loss_after - p.loss
    st.markdown(f"**{t('backprop.summary', k=ss.bp_offset + len(ss.bp_history) - 1, loss=_plain(p.loss))}**  \n"
                + t("backprop.summary_after", after=_plain(p.loss_after), change=("+" if change >= 0 else "")
                    + _plain(change)))
    diff = autograd_check(p)
    if diff <= 1e-9:
        st.caption(":material/check_circle: " + t("backprop.autograd_ok", diff=f"{diff:.1e}"))
    else:
        st.warning(t("backprop.autograd_bad", diff=f"{diff:.1e}"))


# ---------------------------------------------------------------- the page

_init()
ss = st.session_state
st.markdown(CSS, unsafe_allow_html=True)
settings_panel()
store = ss.bp_store
st.title(t("backprop.title"))
st.caption(t("backprop.intro", h=store["hidden"]))

notice = ss.pop("bp_notice", None)
if notice:
    st.info(t(f"backprop.{notice}"))
try:
    p = compute(_setup(store))
    ss.bp_good = p
    if ss.bp_sig != _signature(store):  # new numbers by hand: a new loss curve starts here
        ss.bp_history, ss.bp_offset, ss.bp_sig = [p.loss], 0, _signature(store)
        ss.bp_start = {k: v for k, v in store.items() if k not in ("digits", "seed")}
except BackpropError as err:
    st.error(t(f"backprop.error.{err.key}", **err.values) + " " + t("backprop.kept"))
    p = ss.get("bp_good") or compute(course_example())

steps = walkthrough(p, store["digits"], NARROW)
wide_steps = walkthrough(p, store["digits"], WIDE)
ss.bp_n_steps = len(steps)
ss.bp_step = i = min(ss.bp_step, len(steps) - 1)
show_all = ss.bp_show_all

controls(i, len(steps), show_all)
st.markdown(progress_line(steps, i, show_all))
left, right = st.columns(2, gap="medium")
with left:
    st.plotly_chart(network_figure(p, None if show_all else steps[i]), key="bp_network", config=STATIC, theme=None)
    loss_panel(p)
with right, st.container(key="bp_formula"):
    for k in range(len(steps)) if show_all else [i]:
        step_block(k, steps[k], wide_steps[k], p.setup.lr, "####" if show_all else "###")
numbers_panel(store["hidden"])
