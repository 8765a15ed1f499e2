"""The backpropagation page, run headless with AppTest: stepping, editing, iterating, both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playground.i18n import text

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "backprop.py")


def page(lang: str = "en") -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    return at


def heading(at: AppTest) -> str:
    """The current step's title (the markdown line that names its phase)."""
    return next(m.value for m in at.markdown if m.value.startswith("###"))


def formulas(at: AppTest) -> list[str]:
    return [x.value for x in at.latex]


def loss_points(at: AppTest) -> list[float]:
    chart = next(c for c in at.get("plotly_chart") if "st-key-bp_loss_chart" in c.proto.id or c.key == "bp_loss_chart")
    return json.loads(chart.proto.spec)["data"][0]["y"]


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_page_runs_in_both_languages(lang):
    at = page(lang)
    assert at.title[0].value == text("backprop.title", lang)
    assert text("backprop.step.hidden_forward", lang, j=1) in heading(at)
    assert text("backprop.phase.forward", lang) in heading(at)
    for key in ("bp_next", "bp_all", "bp_iterate"):
        click(at, key)
    assert not at.error


def test_next_and_previous_step_through_the_walkthrough():
    at = page()
    first_heading, first = heading(at), formulas(at)
    assert at.button(key="bp_prev").disabled
    assert r"0.1 \times 1 + 0.2 \times 2 + 0.1" in " ".join(first)
    click(at, "bp_next")
    assert heading(at) != first_heading and "Hidden neuron 2" in heading(at)
    assert r"0.3 \times 1 + 0.4 \times 2 + 0.2" in " ".join(formulas(at))
    for _ in range(4):
        click(at, "bp_next")
    assert text("backprop.phase.backward", "en") in heading(at)
    assert any("8.32" in f for f in formulas(at))
    for _ in range(7):
        click(at, "bp_next")
    assert "The loss after the update" in heading(at) and at.button(key="bp_next").disabled  # the last step
    click(at, "bp_prev")
    assert "Hidden layer" in heading(at)


def test_show_all_lists_every_step():
    at = click(page(), "bp_all")
    titles = [m.value for m in at.markdown if m.value.startswith("####")]
    assert len(titles) == 13  # 2-3-1: 5 forward, 5 backward, 3 update
    assert at.button(key="bp_all").label == text("backprop.one", "en")
    click(at, "bp_next")
    assert len([m for m in at.markdown if m.value.startswith("####")]) == 0


def test_editing_a_weight_changes_the_numbers():
    at = page()
    before = formulas(at)
    at.number_input(key="bp_w1_0_0").set_value(0.5).run()
    assert not at.exception
    after = " ".join(formulas(at))
    assert after != " ".join(before)
    assert r"0.5 \times 1 + 0.2 \times 2 + 0.1" in after and "= 1" in after
    assert loss_points(at) == [pytest.approx((0.7 * 1.0 + 0.8 * 1.3 + 0.9 * 2.0 + 0.9) ** 2)]


def test_next_iteration_lowers_the_loss_and_updates_the_weights():
    at = page()
    assert len(loss_points(at)) == 1
    click(at, "bp_iterate")
    points = loss_points(at)
    assert len(points) == 2 and points[1] < points[0]
    assert at.number_input(key="bp_w2_0").value == pytest.approx(0.65008)
    assert at.number_input(key="bp_b2").value == pytest.approx(0.8168)
    click(at, "bp_iterate")
    assert len(loss_points(at)) == 3 and loss_points(at)[2] < loss_points(at)[1]
    click(at, "bp_reset")
    assert loss_points(at) == [pytest.approx(17.3056)]
    assert at.number_input(key="bp_w2_0").value == pytest.approx(0.7)


def test_every_activation_and_loss_renders():
    at = page()
    for name, symbol in (("sigmoid", r"\sigma"), ("tanh", r"\tanh"), ("leaky_relu", "LeakyReLU"), ("elu", "ELU"),
                         ("gelu", r"\Phi"), ("silu", "SiLU"), ("softplus", "softplus"), ("linear", r"\mathrm{id}"),
                         ("relu", "ReLU")):
        at.selectbox(key="bp_f").set_value(name).run()
        assert not at.exception and not at.error
        assert symbol in " ".join(formulas(at))
    for loss in ("square", "mae", "huber", "mse"):
        at.selectbox(key="bp_loss").set_value(loss).run()
        assert not at.exception and not at.error


def test_cross_entropy_switches_the_output_to_sigmoid():
    at = page()
    at.selectbox(key="bp_loss").set_value("bce").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="bp_g").value == "sigmoid"
    assert at.info and "Sigmoid" in at.info[0].value


def test_bad_input_keeps_the_last_good_numbers():
    at = page()
    at.selectbox(key="bp_loss").set_value("hinge").run()  # y = 0 is not a class label for the hinge loss
    assert not at.exception
    assert at.error and text("backprop.error.hinge_target", "en") in at.error[0].value
    assert r"0.1 \times 1 + 0.2 \times 2 + 0.1" in " ".join(formulas(at))
    at.number_input(key="bp_y").set_value(1.0).run()
    assert not at.exception and not at.error
    click(at, "bp_all")
    assert r"\max(0,\ 1 - 1 \times 4.16)" in " ".join(formulas(at))


def test_hidden_size_random_weights_and_the_course_example():
    at = page()
    at.radio(key="bp_hidden").set_value(4).run()
    assert not at.exception
    click(at, "bp_all")
    assert len([m for m in at.markdown if m.value.startswith("####")]) == 15
    assert any("h4" in f or "{4}" in f for f in formulas(at))
    weights = at.number_input(key="bp_w1_0_0").value
    click(at, "bp_random")
    assert at.number_input(key="bp_w1_0_0").value != weights
    click(at, "bp_example")
    assert at.number_input(key="bp_w1_0_0").value == pytest.approx(0.1)
    assert at.radio(key="bp_hidden").value == 3
