"""Every lesson's stated outcome, checked headless with the real engine; its links and texts, checked too."""

from __future__ import annotations

import math
import time
from urllib.parse import parse_qs, urlparse

import pytest
import torch

from playground.config import Config
from playground.i18n import CATALOGUE, text
from playground.lessons import LESSONS, PARTS, TOPICS, Lesson, lesson

IDS = [item.id for item in LESSONS]
# Lessons with a single run are checked for discrimination against runs of another lesson that must fail them.
FOILS = {"gauss_line": ("xor_hidden", "main"), "overfitting": ("l2", "main")}


@pytest.fixture(scope="module")
def trained():
    """Every lesson trained once, to its epoch budget (one intra-op thread: tiny networks run fastest so)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    runs, seconds = {}, {}
    try:
        for item in LESSONS:
            start = time.perf_counter()
            runs[item.id] = item.train()
            seconds[item.id] = time.perf_counter() - start
    finally:
        torch.set_num_threads(threads)
    print("lesson training seconds:", {k: round(v, 1) for k, v in seconds.items()})
    return runs


def test_the_course_is_covered():
    assert len(LESSONS) >= 12
    assert len(set(IDS)) == len(IDS)
    must = {"xor_hidden", "xor_cross", "circle_squares", "spiral", "lr_high", "lr_low", "overfitting", "l2",
            "dropout", "l1", "vanishing", "dead_relu", "zero_init", "adam", "batch_size"}
    assert must <= set(IDS)
    assert {item.topic for item in LESSONS} == set(TOPICS)
    with pytest.raises(KeyError, match="unknown lesson"):
        lesson("no_such_lesson")


@pytest.mark.parametrize("lesson_id", IDS)
def test_lesson_outcome_holds(trained, lesson_id):
    item = lesson(lesson_id)
    outcome = item.claim(trained[lesson_id])
    assert outcome.holds, f"{lesson_id}: {outcome.numbers}"
    assert outcome.numbers and all(math.isfinite(v) for v in outcome.numbers.values())
    # the lesson's own seed is what the link opens: it trained the exact config from the link
    for name, config in item.runs.items():
        assert trained[lesson_id][name][0].config == config
        assert trained[lesson_id][name][0].epoch <= config.epochs


@pytest.mark.parametrize("lesson_id", IDS)
def test_lesson_claim_discriminates(trained, lesson_id):
    """The claim is not true of any runs: with the main run and a comparison swapped, it fails."""
    item = lesson(lesson_id)
    runs = trained[lesson_id]
    if item.variants:
        other = item.variants[0]
        swapped = {**runs, "main": runs[other], other: runs["main"]}
    else:
        foil_id, foil_run = FOILS[lesson_id]
        swapped = {"main": trained[foil_id][foil_run]}
    assert not item.claim(swapped).holds


@pytest.mark.parametrize("lesson_id", IDS)
def test_result_text_names_only_measured_numbers(trained, lesson_id):
    item = lesson(lesson_id)
    numbers = item.claim(trained[lesson_id]).numbers
    for lang in ("en", "zh"):
        message = text(item.key("result"), lang, **item.facts(), **numbers)
        assert message and "{" not in message


@pytest.mark.parametrize("item", LESSONS, ids=IDS)
def test_links_open_the_exact_config_in_the_language(item: Lesson):
    for run, config in item.runs.items():
        for lang in ("en", "zh"):
            url = urlparse(item.link(run, lang))
            assert url.path == "/"
            params = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            assert params.pop("lang") == lang
            read, warnings = Config.from_query(params)
            assert warnings == [] and read == config


@pytest.mark.parametrize("item", LESSONS, ids=IDS)
def test_every_text_exists_in_both_languages(item: Lesson):
    facts = item.facts()
    for part in PARTS:
        assert item.key(part) in CATALOGUE, item.key(part)
        if part != "result":
            for lang in ("en", "zh"):
                assert text(item.key(part), lang, **facts).strip()
    for run in item.variants:
        assert item.label_key(run) in CATALOGUE
    assert f"lessons.topic.{item.topic}" in CATALOGUE
    # the page shows exactly these keys for a lesson: nothing in the catalogue is orphaned
    own = {k for k in CATALOGUE if k.startswith(f"lessons.{item.id}.")}
    assert own == {item.key(p) for p in PARTS} | {item.label_key(r) for r in item.variants}


def test_epoch_budgets_stay_modest():
    """The Playground trains them live in class; the test trains them all in a couple of minutes."""
    for item in LESSONS:
        for config in item.runs.values():
            assert config.epochs <= 1000 and config.n_samples <= 500
