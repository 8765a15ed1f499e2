"""The hostile corpus through the pages: every link opens every page that exists, with a visible warning
for what was skipped; hostile uploads leave a clear message and the previous data and model in place."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from hostile.corpus import (  # noqa: E402
    CONFIG_CASES,
    CSV_CASES,
    MALFORMED_WEIGHTS,
    MARKER,
    PICKLES,
    bounded,
    config_bytes,
    csv_bytes,
    query_cases,
    sweep_link_outcomes,
    weights_bytes,
)
from streamlit.testing.v1 import AppTest  # noqa: E402

import playground  # noqa: E402,F401  (the engine package, imported before any page script runs)
from playground.config import Config, ConfigError  # noqa: E402
from playground.datasets import DataError, parse_csv  # noqa: E402
from playground.training import Trainer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "app_pages"
PAGES = ["playground", "sweep", "lessons", "backprop", "optimizers", "activations"]
EXISTING = [p for p in PAGES if (PAGES_DIR / f"{p}.py").exists()]
QUERIES = query_cases()
# Pages that read nothing from the link but the language get a sample of the corpus: for them every case
# is the same page with different unknown parameters. Pages that read the link get every case.
SAMPLE = {"unknown_keys", "unknown_keys_only_junk", "script_tag_lang", "script_tag_dataset", "nul_bytes",
          "unicode_values", "right_to_left_override", "bad_percent_encoding", "repeated_key_last_bad",
          "very_long_string", "many_unknown_params", "everything_at_once", "long_number", "maximum_allowed"}
UNSAFE = re.compile(r"<\s*script|onerror\s*=|javascript:", re.I)


def reads_link(page: str) -> bool:
    """Does the page (or its ui/<page>_*.py helpers) read the experiment config from the link?"""
    sources = [PAGES_DIR / f"{page}.py", *sorted((ROOT / "ui").glob(f"{page}_*.py"))]
    return any("from_query" in p.read_text(encoding="utf-8") for p in sources)


def cases_for(page: str):
    full = reads_link(page)
    return [pytest.param(page, c, id=f"{page}-{c.name}") for c in QUERIES if full or c.name in SAMPLE]


def open_page(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGES_DIR / f"{page}.py"), default_timeout=120)
    at.query_params.update(params or {})
    at.run()
    return at


def messages(at: AppTest) -> list[str]:
    """Every warning, error, toast and info text on the page."""
    return [e.value for kind in ("warning", "error", "toast", "info") for e in getattr(at, kind)]


def assert_healthy(at: AppTest) -> None:
    assert not at.exception, [e.value[:300] for e in at.exception]
    for md in at.markdown:  # a value from the link is never rendered as live HTML
        if md.allow_html:
            assert not UNSAFE.search(md.value), md.value[:200]


def test_the_pages_are_found():
    """Guard: if the pages moved, every test below would silently vanish."""
    assert "playground" in EXISTING, f"no Playground page in {PAGES_DIR}"


@pytest.mark.parametrize("page,case", [p for page in EXISTING for p in cases_for(page)])
def test_hostile_link_opens_the_page(page, case):
    at = open_page(page, case.params())
    assert_healthy(at)
    if reads_link(page):  # what it skipped, it says (warning, toast or error naming the key)
        shown = " ".join(messages(at))
        for key in case.keys:
            assert key in shown, f"no visible warning names {key!r}: {shown[:300]}"


# ---- the Sweep page's own parameters -----------------------------------------------------------------

SWEEPS = query_cases("sweep_queries.txt")


@pytest.fixture(scope="module")
def sweep_outcomes():
    return sweep_link_outcomes(SWEEPS)


@pytest.mark.skipif("sweep" not in EXISTING, reason="app_pages/sweep.py does not exist yet")
@pytest.mark.parametrize("case", SWEEPS, ids=[c.name for c in SWEEPS])
def test_hostile_sweep_link_opens_the_sweep_page(case, sweep_outcomes):
    outcome = sweep_outcomes[case.name]["outcome"]
    if not bounded(outcome):  # opening it here would take the test process down with it
        pytest.fail(f"the engine does not bound this link ({outcome}); see test_hostile_engine")
    at = open_page("sweep", case.params())
    assert_healthy(at)
    if case.keys:
        assert messages(at), "a skipped value in the link shows no message"


# ---- uploads on the Playground: a clear message; the data, config and model stay -------------------

CUSTOM = {"dataset": "custom", "points": "1:1:0,2:2:1,-1:-1:0,-2:-2:1,3:-3:1,-3:3:0"}


def session(at: AppTest) -> tuple[Config, Trainer]:
    """The session's config and trainer, whatever keys the page keeps them under."""
    values = [at.session_state[k] for k in at.session_state.keys()]
    config = next(v for v in values if isinstance(v, Config))
    trainer = next(v for v in values if isinstance(v, Trainer))
    return config, trainer


def weights_of(trainer: Trainer) -> dict:
    return {k: v.clone() for k, v in trainer.model_.state_dict().items()}


def upload(at: AppTest, key: str, name: str, data: bytes, mime: str) -> AppTest:
    """Upload as a person can: the browser only offers files with the allowed extension, so rename."""
    matches = [w for w in at.file_uploader if w.key == key]
    assert matches, f"the Playground has no uploader with key {key!r}"
    allowed = matches[0].allowed_type
    if allowed and not any(name.endswith(ext) for ext in allowed):
        name = Path(name).stem + allowed[0]
    matches[0].set_value((name, data, mime))
    at.run()
    return at


def kept_problems(at: AppTest, before: tuple[Config, Trainer, dict], reason: str) -> list[str]:
    """What went wrong after a refused upload (nothing, if the page behaved)."""
    if at.exception:
        return [f"exception: {at.exception[0].value[:200]}"]
    config, trainer = session(at)
    problems = []
    if config != before[0]:
        problems.append("the config changed")
    if trainer is not before[1]:
        problems.append("the model was replaced")
    else:
        after = weights_of(trainer)
        if not all((after[k] == before[2][k]).all() for k in after):
            problems.append("the weights changed")
    shown = " ".join(messages(at))
    if reason[:40] not in shown:
        problems.append(f"the reason {reason[:50]!r} is not shown")
    return problems


def playground_with_custom_data() -> tuple[AppTest, tuple]:
    if "playground" not in EXISTING:
        pytest.skip("app_pages/playground.py does not exist yet")
    at = open_page("playground", CUSTOM)
    assert_healthy(at)
    config, trainer = session(at)
    assert len(config.points) == 6
    trainer.run(2)  # a model with some training in it, which a bad file must not lose
    return at, (config, trainer, weights_of(trainer))


# One session takes every hostile file of a kind in turn, as a determined student would: after each refusal
# the page must still hold the same config and model. Failures are collected so one run names them all.


def test_hostile_csv_uploads():
    at, before = playground_with_custom_data()
    failures = {}
    for name in sorted(n for n, (_, phrase) in CSV_CASES.items() if phrase is not None):
        data = csv_bytes(name)
        try:
            parse_csv(data, problem=before[0].problem)
            continue  # the engine takes this file (a bug reported by test_hostile_engine); nothing to refuse
        except DataError as err:
            reason = str(err)
        except Exception as err:  # the engine raises something else: the page must still survive
            reason = ""
            failures.setdefault(name, []).append(f"engine raised {type(err).__name__}")
        problems = kept_problems(upload(at, "csv_upload", name.removesuffix(".gz"), data, "text/csv"),
                                 before, reason)
        if problems:
            failures.setdefault(name, []).extend(problems)
    assert not failures, failures


def test_valid_csv_upload_replaces_the_points():
    at, before = playground_with_custom_data()
    data = csv_bytes("valid_tf_labels.csv")
    at = upload(at, "csv_upload", "valid.csv", data, "text/csv")
    assert_healthy(at)
    assert session(at)[0].points == parse_csv(data, problem=before[0].problem)


def test_hostile_config_uploads():
    at, before = playground_with_custom_data()
    failures = {}
    for name in sorted(CONFIG_CASES):
        data = config_bytes(name)
        try:
            Config.from_json(data)
            failures[name] = ["the engine accepted it"]
            continue
        except ConfigError as err:
            reason = str(err)
        except Exception as err:
            reason = ""
            failures.setdefault(name, []).append(f"engine raised {type(err).__name__}")
        problems = kept_problems(upload(at, "config_upload", name, data, "application/json"), before, reason)
        if problems:
            failures.setdefault(name, []).extend(problems)
    assert not failures, failures


def test_hostile_weights_uploads(tmp_path, monkeypatch):
    from playground.export import WeightsError, load_weights

    monkeypatch.chdir(tmp_path)  # a payload that ran would leave its marker here
    at, before = playground_with_custom_data()
    failures = {}
    for name in PICKLES + MALFORMED_WEIGHTS:
        data = weights_bytes(name)
        try:
            load_weights(Trainer(before[0]), data)
            failures[name] = ["the engine accepted it"]
            continue
        except WeightsError as err:
            reason = str(err)
        problems = kept_problems(upload(at, "weights_upload", name, data, "application/octet-stream"),
                                 before, reason)
        if (tmp_path / MARKER).exists():
            problems.append("the pickle payload ran")
        if problems:
            failures[name] = problems
    assert not failures, failures


# ---- one real browser: a script in the link stays text ----------------------------------------------


@pytest.mark.browser
def test_script_tags_in_the_link_never_run(page, app_url):
    from conftest import wait_for_app

    if "playground" not in EXISTING:
        pytest.skip("app_pages/playground.py does not exist yet")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    query = ("dataset=%3Cscript%3Ealert(1)%3C%2Fscript%3E&layers=%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E"
             "&optimizer=%22%3E%3Csvg%20onload%3Dalert(3)%3E&lang=%3Cscript%3Ealert(4)%3C%2Fscript%3E")
    page.goto(f"{app_url}/?{query}")
    wait_for_app(page)
    alerts = page.locator("[data-testid='stAlert'], [data-testid='stAlertContainer']")
    alerts.first.wait_for()
    text = " ".join(alerts.all_inner_texts())
    assert "dataset" in text and "layers" in text and "optimizer" in text
    assert "<script>" in text or "&lt;script&gt;" in text or "script" in text  # shown as text
    page.wait_for_timeout(1000)
    assert dialogs == []
    assert page.locator("img[src='x'], svg[onload]").count() == 0
    assert page.locator(".st-key-play").count() == 1  # the page itself opened
