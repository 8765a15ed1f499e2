"""The optimizer race page, run headless with AppTest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import playground.race  # noqa: F401  (the package, before AppTest puts app_pages/ (with playground.py) on the path)

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "optimizers.py")


def progress(at) -> int:
    """The step shown above the map."""
    for md in at.markdown:
        m = re.search(r"(?:Step|第) (\d+)", md.value)
        if m:
            return int(m.group(1))
    raise AssertionError("no progress line on the page")


@pytest.fixture
def at():
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    assert not app.exception
    return app


def test_loads_with_the_ravine_race(at):
    assert at.selectbox(key="opt_surface").value == "ravine"
    assert at.number_input(key="opt_ravine_start_x").value == -9.0
    assert at.multiselect(key="opt_optimizers").value == ["sgd", "momentum", "nesterov", "adam"]
    assert at.number_input(key="opt_ravine_momentum_momentum").value == 0.99
    assert progress(at) == 0
    assert at.button(key="opt_play_button").label == "Play"


def test_step_play_pause_reset(at):
    at.button(key="opt_step").click().run()
    assert not at.exception and progress(at) == 1
    at.button(key="opt_play_button").click().run()
    assert at.button(key="opt_pause_button").label == "Pause"
    playing = progress(at)
    assert playing > 1
    at.run()  # one more frame
    assert progress(at) > playing
    at.button(key="opt_step").click().run()  # Step while playing pauses, without a step of its own
    assert at.button(key="opt_play_button").label == "Play"
    paused = progress(at)
    at.run()
    assert progress(at) == paused
    at.button(key="opt_reset").click().run()
    assert not at.exception and progress(at) == 0


def test_too_large_a_step_is_shown_as_diverged(at):
    at.number_input(key="opt_ravine_sgd_learning_rate").set_value(0.5).run()
    for _ in range(3):
        at.button(key="opt_step").click().run()
    assert not at.exception
    table = next(md.value for md in at.markdown if "| SGD |" in md.value)
    sgd_row = next(line for line in table.splitlines() if "| SGD |" in line)
    assert "diverged at step 2" in sgd_row
    assert "diverged" not in next(line for line in table.splitlines() if "| Adam |" in line)
    assert any("Lower its learning rate" in w.value for w in at.warning)


def test_changing_the_surface_or_start_restarts_the_race(at):
    at.button(key="opt_step").click().run()
    at.selectbox(key="opt_surface").set_value("himmelblau").run()
    assert not at.exception and progress(at) == 0
    assert at.number_input(key="opt_himmelblau_start_y").value == -4.5
    at.button(key="opt_step").click().run()
    at.number_input(key="opt_himmelblau_start_x").set_value(1.0).run()
    assert progress(at) == 0
    assert any("(1.000, -4.500)" in md.value for md in at.markdown)  # every lane back at the new start


def test_no_optimizer_and_every_surface(at):
    at.multiselect(key="opt_optimizers").set_value([]).run()
    assert not at.exception and any("at least one optimizer" in i.value for i in at.info)
    at.multiselect(key="opt_optimizers").set_value(["rmsprop", "adagrad", "adamw"]).run()
    for name in ("bowl", "rosenbrock", "beale", "saddle"):
        at.selectbox(key="opt_surface").set_value(name).run()
        at.button(key="opt_step").click().run()
        assert not at.exception and progress(at) == 1, name


def test_chinese():
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["lang"] = "zh"
    app.run()
    assert not app.exception
    assert app.title[0].value == "损失曲面上的优化器"
    assert app.button(key="opt_play_button").label == "播放"
