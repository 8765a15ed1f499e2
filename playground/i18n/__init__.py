"""One catalogue for all user-visible text, in English and 简体中文.

Each module in this package owns the text of one page or part and defines
`TEXT = {"key": ("English", "中文"), ...}`; keys are prefixed with the module name's topic.
"""

from __future__ import annotations

import importlib
import pkgutil

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANG = "en"


def _load() -> dict[str, tuple[str, str]]:
    catalogue: dict[str, tuple[str, str]] = {}
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        text = importlib.import_module(f"{__name__}.{mod.name}").TEXT
        for key, pair in text.items():
            if key in catalogue:
                raise KeyError(f"text key {key!r} defined twice (again in {mod.name})")
            catalogue[key] = pair
    return catalogue


CATALOGUE = _load()


def text(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The text for `key` in `lang`, with {placeholders} filled from `values`."""
    pair = CATALOGUE[key]
    s = pair[1] if lang == "zh" else pair[0]
    return s.format(**values) if values else s


def has(key: str) -> bool:
    return key in CATALOGUE
