"""The Playground page under AppTest: every control writes the config, links restore it, bad input is
refused with a message while the last good state stays."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

# The page file is app_pages/playground.py; import the engine package first so that, with app_pages/ on
# sys.path while the page runs, `import playground` still means the engine.
import playground.config  # noqa: F401
import playground.i18n  # noqa: F401
from playground.config import Config, Layer

PAGE = str(Path(__file__).resolve().parents[1] / "app_pages" / "playground.py")


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def cfg(at) -> Config:
    return at.session_state["pg_cfg"]


def trainer(at):
    return at.session_state["pg_trainer"]


@pytest.fixture(scope="module")
def base():
    return app()


def test_page_renders_required_controls(base):
    assert [b for b in base.button if b.key in ("play", "step", "reset")]
    assert base.selectbox(key="dataset").value == "circle"
    assert cfg(base) == Config()
    assert trainer(base).epoch == 0


@pytest.mark.parametrize("widget, key, value, field, expected", [
    ("selectbox", "dataset", "xor", "dataset", "xor"),
    ("slider", "noise", 25, "noise", 25.0),
    ("slider", "train_percent", 70, "train_percent", 70),
    ("slider", "n_samples", 300, "n_samples", 300),
    ("slider", "batch_size", 30, "batch_size", 30),
    ("selectbox", "learning_rate", 0.3, "learning_rate", 0.3),
    ("selectbox", "optimizer", "adam", "optimizer", "adam"),
    ("selectbox", "loss", "bce", "loss", "bce"),
    ("selectbox", "regularization", "l2", "regularization", "l2"),
    ("selectbox", "schedule", "cosine", "schedule", "cosine"),
    ("selectbox", "init", "he_normal", "init", "he_normal"),
    ("number_input", "seed", 7, "seed", 7),
    ("toggle", "shuffle", True, "shuffle", True),
    ("number_input", "early_stopping", 40, "early_stopping", 40),
    ("number_input", "epochs", 900, "epochs", 900),
    ("selectbox", "weight_decay", 1e-3, "weight_decay", 1e-3),
])
def test_each_control_writes_its_config_field(widget, key, value, field, expected):
    at = app()
    getattr(at, widget)(key=key).set_value(value).run()
    assert not at.exception
    assert getattr(cfg(at), field) == expected
    # and the URL carries it
    assert at.query_params[field] == Config().evolve(**{field: expected}).to_query()[field]


def test_optimizer_knobs_follow_the_optimizer():
    at = app({"optimizer": "momentum"})
    at.slider(key="momentum").set_value(0.5).run()
    assert cfg(at).momentum == 0.5
    at.selectbox(key="optimizer").set_value("adam").run()
    at.slider(key="beta1").set_value(0.8).run()
    assert cfg(at).beta1 == 0.8 and not [s for s in at.slider if s.key == "momentum"]


def test_regularization_rate_and_problem_type():
    at = app({"regularization": "l1"})
    at.selectbox(key="regularization_rate").set_value(0.03).run()
    assert cfg(at).regularization_rate == 0.03
    at.selectbox(key="problem").set_value("regression").run()
    assert cfg(at).problem == "regression" and cfg(at).dataset == "plane" and cfg(at).loss in ("square", "mse")


def test_features_toggle_and_keep_at_least_one():
    at = app()
    at.toggle(key="feature_x1sq").set_value(True).run()
    assert cfg(at).features == ["x1", "x2", "x1sq"]
    at.toggle(key="feature_x1").set_value(False).run()
    at.toggle(key="feature_x2").set_value(False).run()
    at.toggle(key="feature_x1sq").set_value(False).run()
    assert cfg(at).features == ["x1sq"]
    assert any("at least one feature" in e.value for e in at.error)


def test_network_builder_buttons_and_layer_menu():
    at = app()
    at.button(key="add_layer").click().run()
    assert [l.units for l in cfg(at).layers] == [4, 2, 2]
    at.button(key="layer0_plus").click().run()
    at.button(key="layer1_minus").click().run()
    assert [l.units for l in cfg(at).layers] == [5, 1, 2]
    at.selectbox(key="layer0_activation").set_value("relu").run()
    at.slider(key="layer0_dropout").set_value(0.2).run()
    at.toggle(key="layer1_batch_norm").set_value(True).run()
    at.slider(key="layer2_units").set_value(8).run()
    layers = cfg(at).layers
    assert layers[0] == Layer(5, "relu", 0.2, False) and layers[1].batch_norm and layers[2].units == 8
    at.button(key="layer1_remove").click().run()
    assert [l.units for l in cfg(at).layers] == [5, 8]
    at.selectbox(key="activation").set_value("sigmoid").run()
    assert {l.activation for l in cfg(at).layers} == {"sigmoid"}
    at.button(key="remove_layer").click().run()
    at.button(key="remove_layer").click().run()
    assert cfg(at).layers == []
    assert not at.exception


def test_step_reset_and_live_knob_keeps_the_run():
    at = app()
    for _ in range(3):
        at.button(key="step").click().run()
    tr = trainer(at)
    assert tr.epoch == 3
    first = [p.detach().clone() for p in tr.model_.parameters()]
    at.selectbox(key="learning_rate").set_value(0.1).run()
    assert trainer(at) is tr and tr.epoch == 3 and tr.config.learning_rate == 0.1  # live: no reset
    at.button(key="step").click().run()
    assert tr.epoch == 4
    at.button(key="reset").click().run()
    assert tr.epoch == 0
    again = Config().evolve(learning_rate=0.1)
    from playground.training import Trainer

    fresh = Trainer(again)
    for p, q in zip(tr.model_.parameters(), fresh.model_.parameters(), strict=True):
        assert np.array_equal(p.detach().numpy(), q.detach().numpy())  # same initial weights
    assert first  # the run before reset had weights too
    at.slider(key="noise").set_value(10).run()
    assert trainer(at) is not tr  # data changed: a fresh run


def test_play_trains_and_pause_stops():
    at = app()
    at.button(key="play").click().run()
    assert at.session_state["pg_playing"]
    before = trainer(at).epoch
    for _ in range(3):
        at.run()  # each run is a live tick while playing
    assert trainer(at).epoch > before
    bundle = views(at)["feed"]
    shown = [f["epoch"] for f in bundle["frames"]]
    assert shown == sorted(shown) and shown[-1] == trainer(at).epoch  # snapshots taken during the tick
    assert bundle["tick"]["epochs"] >= len(shown) and "points" in bundle["frames"][-1]
    at.button(key="play").click().run()
    assert not at.session_state["pg_playing"]
    stopped = trainer(at).epoch
    at.run()
    assert trainer(at).epoch == stopped


def views(at) -> dict:
    """The live canvas mounts by kind, with the data each was sent."""
    return {d["kind"]: d for d in (json.loads(e.proto.json) for e in at.get("bidi_component"))}


def test_views_are_mounted_and_the_feed_carries_the_run():
    at = app()
    at.button(key="step").click().run()
    at.button(key="step").click().run()
    v = views(at)
    assert {"epoch", "network", "metrics", "loss", "boundary", "gallery", "feed"} <= set(v)
    assert len(v["feed"]["frames"]) == 1  # paused: one complete picture
    frame = v["feed"]["frames"][-1]
    snap = trainer(at).snapshot()
    assert frame["epoch"] == 2 and frame["metrics"]["train_loss"] == pytest.approx(snap.train_loss)
    assert frame["network"]["sizes"] == [2, 4, 2, 1] and frame["loss"]["n"] == 3
    assert v["boundary"]["clickable"] is False and v["gallery"]["selected"] == "circle"


def test_query_parameters_restore_the_config():
    want = Config().evolve(dataset="spiral", noise=15.0, layers=[Layer(8, "relu"), Layer(3, "tanh", 0.1, True)],
                           features=["x1", "x2", "sinx1"], learning_rate=0.01, optimizer="adam", seed=42,
                           regularization="l2", regularization_rate=0.003, batch_size=5, train_percent=60)
    at = app(want.to_query())
    assert cfg(at) == want
    assert at.selectbox(key="dataset").value == "spiral"
    assert at.slider(key="noise").value == 15
    assert at.selectbox(key="optimizer").value == "adam"
    assert at.toggle(key="feature_sinx1").value is True


def test_bad_link_values_warn_and_keep_defaults():
    at = app({"noise": "loud", "layers": "4:tanh,oops", "learning_rate": "0.1"})
    assert cfg(at).noise == 0.0 and cfg(at).learning_rate == 0.1
    assert len(at.warning) >= 2


def test_hide_parameter_hides_controls():
    at = app({"hide": "noise,optimizer,share,layers"})
    keys = {w.key for w in [*at.slider, *at.selectbox, *at.button]}
    assert "noise" not in keys and "optimizer" not in keys and "add_layer" not in keys
    assert "learning_rate" in keys and "play" in keys


def test_divergence_shows_a_banner_with_advice():
    at = app({"dataset": "plane", "problem": "regression", "layers": "8:relu,8:relu", "learning_rate": "10"})
    at.button(key="play").click().run()
    for _ in range(10):
        if trainer(at).status == "diverged":
            break
        at.run()
    at.run()
    assert trainer(at).status == "diverged"
    assert not at.session_state["pg_playing"]
    assert any("diverged" in e.value and "learning rate" in e.value for e in at.error)
    at.selectbox(key="learning_rate").set_value(0.01).run()  # the advice, taken: a live change
    at.button(key="play").click().run()  # and play replays the run from its initial weights
    assert trainer(at).status == "running" and not at.error


CUSTOM = {"dataset": "custom", "points": "1:1:1,-1:-1:0,2:2:1,-2:-2:0"}


def test_custom_csv_good_and_bad():
    at = app(CUSTOM)
    before = cfg(at).points
    assert len(before) == 4
    at.file_uploader(key="csv_upload").set_value(("bad.csv", b"a,b,c\n1,2,3\n", "text/csv")).run()
    assert not at.exception
    assert cfg(at).points == before  # nothing lost
    assert any("Wrong columns" in e.value for e in at.error)
    good = b"x1,x2,label\n0,1,0\n1,0,1\n3,3,1\n"
    at.file_uploader(key="csv_upload").set_value(("good.csv", good, "text/csv")).run()
    assert cfg(at).points == [[0.0, 1.0, 0], [1.0, 0.0, 1], [3.0, 3.0, 1]]
    assert not at.error
    at.button(key="undo_point").click().run()
    assert cfg(at).points == before
    at.button(key="clear_points").click().run()
    assert cfg(at).points == []
    assert any("at least two points" in i.value for i in at.info)
    assert at.button(key="play").disabled


def test_config_upload_good_and_bad():
    at = app()
    want = Config().evolve(dataset="xor", layers=[Layer(3, "relu")], seed=9)
    at.file_uploader(key="config_upload").set_value(("c.json", want.to_json().encode(), "application/json")).run()
    assert cfg(at) == want and at.selectbox(key="dataset").value == "xor"
    bad = json.dumps({"dataset": "xor", "layers": "4:tanh", "noise": 500}).encode()
    at.file_uploader(key="config_upload").set_value(("c.json", bad, "application/json")).run()
    assert cfg(at) == want
    assert any("noise" in e.value for e in at.error)


def test_preset_loads():
    at = app()
    at.selectbox(key="preset").set_value("xor-hidden").run()
    assert cfg(at).dataset == "xor" and [l.units for l in cfg(at).layers] == [4]
    assert at.selectbox(key="dataset").value == "xor"


def test_inspect_renders_plotly_views_when_paused():
    at = app({"dataset": "blobs", "loss": "ce", "n_classes": "4"})
    at.button(key="step").click().run()
    at.toggle(key="inspect").set_value(True).run()
    assert not at.exception
    assert len(at.tabs) == 4


def test_chinese_text():
    at = app({"lang": "zh"})
    assert at.button(key="play").label == "播放"


def test_a_click_sent_with_the_previous_address_keeps_the_latest_change():
    at = app()
    stale = dict(at.query_params)
    at.slider(key="noise").set_value(25).run()
    at.query_params.clear()
    at.query_params.update(stale)  # the browser had not applied the newest address yet
    at.button(key="step").click().run()
    assert cfg(at).noise == 25.0 and trainer(at).epoch == 1
    at.query_params.clear()
    at.query_params.update(Config().evolve(dataset="gauss").to_query())  # a link followed in the session
    at.run()
    assert cfg(at).dataset == "gauss"


def test_epochs_per_tick_follow_the_measured_frame_cost_and_the_speed():
    from ui.playground_live import TICK_SECONDS, chunks, epochs_for_tick, snapshots_for_tick

    timing: dict = {}
    assert epochs_for_tick(timing, 0.0) == 1  # first tick: measure one epoch
    # a tick costs 40 ms outside training and an epoch 1 ms: training fills the rest of the tick
    timing.update(epoch=0.001, train=0.001, start=0.0)
    n = epochs_for_tick(timing, 0.041)
    assert abs(n - (TICK_SECONDS - 0.04) / 0.001) <= 2
    assert snapshots_for_tick({"cycle": TICK_SECONDS}, n) == 3 and sum(chunks(n, 3)) == n
    assert snapshots_for_tick({"cycle": TICK_SECONDS}, 2) == 2  # never more pictures than epochs
    # an overloaded page still trains a quarter of a tick each time
    timing.update(outside=5.0, start=0.0)
    assert epochs_for_tick(timing, 1.0) == int(0.25 * TICK_SECONDS / 0.001)
    # a speed of 10 epochs/s at 10 ticks/s trains one epoch per tick
    slow = {"epoch": 0.001, "train": 0.001, "cycle": 0.1, "outside": 0.05}
    total, now = 0, 0.0
    for _ in range(30):
        slow["start"] = now
        now += 0.1
        total += epochs_for_tick(slow, now, target=10)
    assert 28 <= total <= 31


def test_many_layers_get_one_compact_menu_each():
    at = app({"layers": "8:tanh,8:tanh,8:tanh,8:tanh,8:tanh"})
    keys = {b.key for b in at.button}
    assert "layer0_minus" not in keys and "add_layer" in keys
    at.slider(key="layer4_units").set_value(3).run()  # the width lives in the layer's menu
    assert [l.units for l in cfg(at).layers] == [8, 8, 8, 8, 3]


def test_speed_comes_from_the_link_and_goes_back_into_it():
    at = app({"speed": "max"})
    assert at.select_slider(key="speed").value == 0 and at.query_params["speed"] == "max"
    at.select_slider(key="speed").set_value(30).run()
    assert at.query_params["speed"] == "30"
    at.select_slider(key="speed").set_value(300).run()  # the default needs no parameter
    assert "speed" not in at.query_params
    assert app({"speed": "warp"}).select_slider(key="speed").value == 300
