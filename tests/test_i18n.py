"""The one catalogue: every entry in both languages, every key the UI names exists, placeholders agree."""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

import playground.i18n as i18n
from playground.i18n import CATALOGUE, LANGUAGES, has, text

ROOT = Path(__file__).resolve().parents[1]
# `t("key"` or `text("key"` as a call of its own (not `st.text(`), the key a whole plain literal (f-strings
# and `"prefix." + name` are dynamic keys; the tests of the page that builds them check those).
KEY_CALL = re.compile(r"(?<![\w.])(?:t|text)\(\s*([\"'])([^\"'{}\n]+)\1\s*[,)]")
HAN = re.compile(r"[\u4e00-\u9fff]")
# Glossary terms (English -> the Chinese the course material uses): an entry naming the English term
# names the Chinese one too.
GLOSSARY = {
    "learning rate": "学习率",
    "hidden layer": "隐藏层",
    "decision boundary": "决策边界",
    "overfitting": "过拟合",
    "vanishing gradient": "梯度消失",
    "batch size": "批量大小",
    "backpropagation": "反向传播",
    "gradient descent": "梯度下降",
    "test set": "测试集",
    "training set": "训练集",
}


def ui_sources() -> list[Path]:
    files = [ROOT / "streamlit_app.py"]
    for folder in ("app_pages", "ui"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if f.exists()]


def placeholders(s: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(s) if name is not None}


def test_every_entry_has_english_and_chinese():
    assert len(CATALOGUE) > 50
    for key, pair in CATALOGUE.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        en, zh = pair
        assert isinstance(en, str) and en.strip(), f"{key}: English missing"
        assert isinstance(zh, str) and zh.strip(), f"{key}: Chinese missing"


def test_chinese_texts_are_written_in_chinese():
    """A zh entry copied from English is a missing translation (names and symbols may stay as they are)."""
    for key, (en, zh) in CATALOGUE.items():
        if HAN.search(zh) or zh != en:
            continue
        # identical texts are fine only when there is nothing to translate: names, symbols, numbers
        words = re.findall(r"[A-Za-z]{4,}", re.sub(r"\{[^}]*\}", "", en))
        assert len(words) <= 2, f"{key}: the Chinese text is the English one ({en!r})"


def test_placeholders_match_between_languages():
    for key, (en, zh) in CATALOGUE.items():
        assert placeholders(en) == placeholders(zh), f"{key}: {placeholders(en)} != {placeholders(zh)}"


def test_every_key_used_in_the_ui_exists():
    used: dict[str, list[str]] = {}
    sources = ui_sources()
    assert any(p.name == "lang.py" for p in sources) and any(p.parent.name == "app_pages" for p in sources)
    for path in sources:
        for match in KEY_CALL.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(match.group(2), []).append(str(path.relative_to(ROOT)))
    assert "app.language" in used  # the scan finds the language picker's own label
    missing = {key: files for key, files in used.items() if key not in CATALOGUE}
    assert not missing, f"keys used but not in the catalogue: {missing}"


def test_the_scan_sees_calls_and_ignores_other_texts():
    source = ('x = t("a.b")\ny = text(\n  "c.d", lang)\nst.text("plain words")\nz = t(f"e.{k}")\n'
              'w = t("f." + name)\nv = t(\'g.h\', n=2)\n')
    assert [m.group(2) for m in KEY_CALL.finditer(source)] == ["a.b", "c.d", "g.h"]


def test_modules_keep_their_own_prefix_and_no_key_twice():
    """Each page's module owns the keys of its topic; the loader refuses a key defined twice."""
    seen: dict[str, str] = {}
    for mod in pkgutil.iter_modules(i18n.__path__):
        module = importlib.import_module(f"playground.i18n.{mod.name}")
        for key in module.TEXT:
            assert key not in seen, f"{key} in {mod.name} and {seen[key]}"
            seen[key] = mod.name
            if mod.name not in ("common",):
                assert key.startswith(f"{mod.name}."), f"{key} lives in {mod.name}.py"
    assert set(seen) == set(CATALOGUE)


def test_glossary_terms_are_used():
    for key, (en, zh) in CATALOGUE.items():
        low = en.lower()
        for term, chinese in GLOSSARY.items():
            if term in low:
                assert chinese in zh, f"{key}: {term!r} should read {chinese!r} in Chinese: {zh!r}"


def test_text_picks_the_language_and_fills_placeholders():
    assert set(LANGUAGES) == {"en", "zh"}
    assert text("lessons.count", "en", n=3) == "3 lessons"
    assert text("lessons.count", "zh", n=3) == "共 3 个实验"
    assert text("lessons.title", "fr") == text("lessons.title", "en")  # unknown language: English
    assert has("lessons.title") and not has("lessons.no_such_key")
    with pytest.raises(KeyError):
        text("lessons.no_such_key", "en")


def _picker_app():
    import streamlit as st

    from ui.lang import language_picker, t

    language_picker()
    st.title(t("app.title"))


@pytest.mark.parametrize("start", ["en", "zh", "xx", None])
def test_the_language_picker_reads_and_writes_the_url(start):
    """ui/lang.py: `lang` in the URL picks the language (bad or missing: English) and is written back."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_picker_app, default_timeout=30)
    if start:
        at.query_params["lang"] = start
    at.run()
    assert not at.exception
    lang = start if start in LANGUAGES else "en"
    assert at.title[0].value == text("app.title", lang)
    assert at.query_params["lang"] == lang
    other = "en" if lang == "zh" else "zh"
    at.selectbox(key="lang_picker").select(other).run()
    assert not at.exception
    assert at.title[0].value == text("app.title", other)
    assert at.query_params["lang"] == other
    assert at.sidebar.selectbox(key="lang_picker").label == text("app.language", other)
