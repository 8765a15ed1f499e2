"""The Sweeps page under AppTest: a small sweep runs and shows its grid, links seed the page, too-big
sweeps are refused with the reason, bad values get a message, stop keeps what finished."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

# The page file is app_pages/sweep.py beside app_pages/playground.py; import the engine package first so that,
# with app_pages/ on sys.path while the page runs, `import playground` still means the engine.
import playground.i18n  # noqa: F401
import playground.sweep_figures  # noqa: F401
from playground import sweep as sw
from playground import vectorized
from playground.config import Config

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "sweep.py")

pytestmark = pytest.mark.skipif(not vectorized.AVAILABLE, reason="the vectorised engine needs numba")


def app(query: dict | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=240)
    if query:
        at.query_params.update(query)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def small(at: AppTest, lr: str = "0.01,0.1", seeds: str = "1,2", epochs: int = 20) -> AppTest:
    at.text_input(key="sweep_values1").set_value(lr)
    at.text_input(key="sweep_values2").set_value(seeds)
    at.number_input(key="sweep_epochs").set_value(epochs)
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_loads_with_a_cost_estimate_and_no_results():
    at = app()
    assert at.title[0].value == "Hyperparameter sweep"
    assert at.selectbox(key="sweep_knob1").value == "learning_rate"
    assert any("networks in 1 vectorised group" in i.value for i in at.info)
    assert not at.button(key="sweep_start").disabled
    assert at.button(key="sweep_stop").disabled


def test_a_small_sweep_runs_and_shows_every_cell():
    at = small(app())
    assert any("4 networks" in i.value for i in at.info)
    at.button(key="sweep_start").click().run()
    assert not at.exception, at.exception
    assert any("Trained 4 networks" in s.value for s in at.success)
    result = at.session_state["sweep_result_data"]
    assert result.statuses() == ["done"] * 4
    # the page's numbers are the engine's: each cell equals its config trained alone
    from playground.training import Trainer

    config = result.lanes[3].config
    assert (config.learning_rate, config.seed, config.epochs) == (0.1, 2, 20)
    trainer = Trainer(config)
    trainer.run(20)
    assert result.lanes[3].test_loss == pytest.approx(trainer.snapshot().test_loss, rel=1e-9)
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert [r["status"] for r in rows] == ["done"] * 4
    # the best cell is selected and its details and link are shown
    best = result.best()
    assert at.selectbox(key="sweep_cell").value == best
    assert any("Best:" in c.value for c in at.caption)


def test_the_link_seeds_the_sweep_and_the_page_writes_it_back():
    at = app({"dataset": "xor", "epochs": "15", "vary1": "activation:relu,tanh", "vary2": "learning_rate:0.01,0.1",
              "metric": "test_accuracy"})
    assert at.selectbox(key="sweep_knob1").value == "activation"
    assert at.multiselect(key="sweep_choices1").value == ["relu", "tanh"]
    assert at.text_input(key="sweep_values2").value == "0.01,0.1"
    assert at.selectbox(key="sweep_metric").value == "test_accuracy"
    assert at.number_input(key="sweep_epochs").value == 15
    at.button(key="sweep_start").click().run()
    assert not at.exception, at.exception
    result = at.session_state["sweep_result_data"]
    assert {lane.config.dataset for lane in result.lanes} == {"xor"}
    assert [lane.config.layers[0].activation for lane in result.lanes] == ["relu", "relu", "tanh", "tanh"]
    params = at.query_params
    assert params["vary1"] == ["activation:relu,tanh"] or params["vary1"] == "activation:relu,tanh"
    assert "dataset" in params and "metric" in params


def test_a_too_big_sweep_is_refused_with_the_reason():
    at = small(app(), lr="log:0.0001:1:20", seeds=",".join(str(s) for s in range(1, 15)))
    assert any("Too many networks: 280" in e.value for e in at.error)
    assert at.button(key="sweep_start").disabled
    wide = {"n_samples": "2000", "layers": "32:tanh,32:tanh,32:tanh,32:tanh"}
    at = small(app(wide), lr="0.01", seeds=",".join(str(s) for s in range(1, 21)), epochs=5000)
    assert any("Too slow" in e.value for e in at.error), [e.value for e in at.error]
    assert at.button(key="sweep_start").disabled


def test_bad_values_give_a_message_and_keep_the_page():
    at = small(app(), lr="0.01,fast")
    assert not at.exception
    assert any("learning_rate" in e.value and "fast" in e.value for e in at.error)
    assert at.button(key="sweep_start").disabled
    at.text_input(key="sweep_values1").set_value("0.01").run()
    assert not at.error and not at.button(key="sweep_start").disabled


def test_stop_keeps_what_finished():
    spec = sw.SweepSpec(Config(epochs=2000), [sw.Axis("width", [2, 3]), sw.Axis("seed", [1, 2])])
    run = sw.SweepRun(spec)
    while run.current is None or run.current[2].epoch < 20:
        run.advance(0.05)
    at = app(state={"sweep_run": run, "sweep_stop_requested": True})
    assert any("Stopped: 0 of 4 networks finished" in w.value for w in at.warning)
    assert not at.button(key="sweep_start").disabled and at.button(key="sweep_stop").disabled
    assert run.done and run.stopped
    assert at.session_state["sweep_result_data"].statuses().count("stopped") == 2


def test_the_page_speaks_chinese():
    at = app({"lang": "zh"})
    assert at.title[0].value == "超参数扫描"
    assert at.button(key="sweep_start").label == "开始扫描"
