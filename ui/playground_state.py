"""The Playground's per-user state: the config, the trainer, play/pause, and the URL that mirrors them.

The config in session state is the single truth; widgets are seeded from it and write back to it in
their callbacks. A change the trainer can take live (rates, optimizer knobs, regularisation) keeps the
run going; anything else (data, architecture) builds a fresh trainer and pauses, as TF Playground does.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import replace

import streamlit as st

from playground.config import Config, ConfigError, field_names, fit_problem, validate
from playground.training import Trainer

CFG, TRAINER, PLAYING = "pg_cfg", "pg_trainer", "pg_playing"
NOTICES, ERROR, HIDDEN, WRITTEN, RESYNC, UNDO = (
    "pg_notices", "pg_error", "pg_hidden", "pg_written", "pg_resync", "pg_undo")
APP_RERUN, SEQ, TIMING = "pg_app_rerun", "pg_seq", "pg_timing"
CONFIG_KEYS = frozenset(field_names())
MIN_POINTS = 2  # a custom dataset trains once it has this many points
SPEEDS = (1, 3, 10, 30, 100, 300, 1000, 0)  # target epochs per second; 0 = as fast as frames allow
DEFAULT_SPEED = 300  # lively, yet a boundary visibly grows; a link or the slider can ask for max


def speed_text(value: int) -> str:
    return "max" if value == 0 else str(value)


def speed_from_text(text: str) -> int | None:
    for value in SPEEDS:
        if str(text).strip().lower() == speed_text(value):
            return value
    return None


# ---- setup -------------------------------------------------------------------------------------


def init() -> None:
    """First run of a session (or a link followed inside it): config, hidden controls, trainer."""
    params = st.query_params.to_dict()
    from_url = {k: v for k, v in params.items() if k in CONFIG_KEYS}
    st.session_state[HIDDEN] = parse_hidden(params.get("hide", ""))
    if CFG in st.session_state and (not from_url or _fingerprint(from_url) in st.session_state.get(WRITTEN, ())):
        # no parameters (back from another page), or an address this page wrote itself: a click can
        # arrive before the browser applied the newest one, so any of the recent ones is ours
        return
    config, problems = Config.from_query(from_url)
    st.session_state[NOTICES] = [str(p) for p in problems]
    if speed_from_text(params.get("speed", "")) is not None:
        st.session_state["speed"] = speed_from_text(params["speed"])
    set_config(config, fresh=True)
    _remember(from_url)


def _fingerprint(query: dict) -> frozenset:
    return frozenset(query.items())


def _remember(query: dict) -> None:
    written = st.session_state.setdefault(WRITTEN, [])
    mark = _fingerprint(query)
    if mark not in written:
        written.append(mark)
        del written[:-32]


def parse_hidden(text: str) -> frozenset[str]:
    return frozenset(t.strip() for t in str(text).split(",") if t.strip())


def shown(name: str) -> bool:
    """False when the link's `hide=` parameter lists this control (or its group)."""
    return name not in st.session_state.get(HIDDEN, frozenset())


def config() -> Config:
    return st.session_state[CFG]


def trainer() -> Trainer:
    return st.session_state[TRAINER]


def playing() -> bool:
    return bool(st.session_state.get(PLAYING))


def can_train(cfg: Config | None = None) -> bool:
    cfg = cfg or config()
    return cfg.dataset != "custom" or len(cfg.points) >= MIN_POINTS


# ---- changing the experiment --------------------------------------------------------------------


def set_config(new: Config, fresh: bool = False, resync: bool = True) -> bool:
    """Adopt a new config; returns True when the run was kept (a live change), False on a reset."""
    old = st.session_state.get(CFG)
    if not fresh and old == new:
        return True
    st.session_state[CFG] = new
    st.session_state[RESYNC] = st.session_state.get(RESYNC, False) or resync
    tr = st.session_state.get(TRAINER)
    if not fresh and tr is not None and tr.update(new):
        return True
    st.session_state[TRAINER] = Trainer(new)
    st.session_state[PLAYING] = False
    st.session_state[TIMING] = {}
    return False


def change(**changes) -> bool:
    """Apply some config changes from a control; a bad value keeps the old config and says why."""
    cfg = config()
    try:
        new = replace(cfg, **changes)
        if "dataset" in changes or "problem" in changes:
            new = fit_problem(new)
        new = validate(new)
    except ConfigError as err:
        st.session_state[ERROR] = str(err)
        st.session_state[RESYNC] = True
        return False
    st.session_state.pop(ERROR, None)
    return set_config(new, resync=False)


def load(new: Config) -> None:
    """Replace the whole experiment (preset, uploaded config): every widget follows."""
    st.session_state.pop(ERROR, None)
    set_config(new, fresh=True)


def regenerate() -> None:
    """New data and weights from a fresh seed."""
    change(seed=random.randint(1, 99_999))
    st.session_state[RESYNC] = True


def set_points(points: list, remember: bool = True) -> None:
    """Replace the custom dataset's points (undo keeps the previous lists)."""
    cfg = config()
    if remember:
        undo = st.session_state.setdefault(UNDO, [])
        undo.append(list(cfg.points))
        del undo[:-50]
    change(points=points)


def undo_points() -> None:
    undo = st.session_state.get(UNDO) or []
    if undo:
        set_points(undo.pop(), remember=False)


# ---- widgets bound to the config ---------------------------------------------------------------


def seed_widget(key: str, value) -> None:
    """Give a widget its value from the config when it is new or the config changed elsewhere."""
    if key not in st.session_state or st.session_state.get(RESYNC):
        st.session_state[key] = value


def end_resync() -> None:
    st.session_state[RESYNC] = False


def request_app_rerun() -> None:
    """Ask for a full rerun from a callback that ran inside the live fragment."""
    st.session_state[APP_RERUN] = True


def take_app_rerun() -> bool:
    return bool(st.session_state.pop(APP_RERUN, False))


# ---- play / step / reset ------------------------------------------------------------------------


def set_playing(value: bool) -> None:
    """Play or pause. The button binds the state it asks for, so a click delivered twice while timed
    reruns are in flight pauses (or plays) once instead of undoing itself."""
    if value == playing() or (value and not can_train()):
        return
    st.session_state[PLAYING] = value
    st.session_state[TIMING] = {}
    if st.session_state[PLAYING] and trainer().status != "running":
        trainer().reset()  # a diverged or early-stopped run replays from its initial weights


def pause() -> None:
    st.session_state[PLAYING] = False


def step() -> None:
    st.session_state[PLAYING] = False
    if can_train() and trainer().status in ("running", "done"):
        trainer().run(1, budget=False)


def reset() -> None:
    """Same initial weights again: rewinding replays the same run."""
    st.session_state[PLAYING] = False
    trainer().reset()


def session_id() -> str:
    """Tells this session's frames apart from an earlier session's in the same browser tab."""
    if "pg_session" not in st.session_state:
        st.session_state["pg_session"] = uuid.uuid4().hex[:12]
    return st.session_state["pg_session"]


def next_seq() -> int:
    st.session_state[SEQ] = st.session_state.get(SEQ, 0) + 1
    return st.session_state[SEQ]


# ---- the URL -----------------------------------------------------------------------------------


def sync_url() -> None:
    """Write the full config into the URL (keeping lang, hide and other page parameters)."""
    query = config().to_query()
    current = st.query_params.to_dict()
    _remember(query)
    if {k: v for k, v in current.items() if k in CONFIG_KEYS} == query and \
            page_params(current) == {k: v for k, v in current.items() if k not in CONFIG_KEYS}:
        return
    st.query_params.from_dict({**query, **page_params(current)})


def page_params(current: dict) -> dict:
    """Parameters beside the config (lang, hide, ...), with the speed when it is not the default."""
    out = {k: v for k, v in current.items() if k not in CONFIG_KEYS and k != "speed"}
    value = st.session_state.get("speed", DEFAULT_SPEED)
    if value != DEFAULT_SPEED and value in SPEEDS:
        out["speed"] = speed_text(value)
    return out


def show_messages(t) -> None:
    """Values a link carried that were skipped (shown once), and the last refused input."""
    for note in st.session_state.pop(NOTICES, []):
        st.warning(t("warning.url_skipped", message=note), icon=":material/link_off:")
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR], icon=":material/error:")
