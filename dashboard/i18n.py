"""The dashboard's UI strings in Chinese and English, read once from dashboard/i18n.toml."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

LANGS: tuple[str, ...] = ("zh", "en")
LANG_NAMES: dict[str, str] = {"zh": "中文", "en": "English"}
_FILE = Path(__file__).with_name("i18n.toml")


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    """Every string as ``{"section.name": {"zh": ..., "en": ...}}``, parsed once."""
    data = tomllib.loads(_FILE.read_text("utf-8"))
    return {f"{sec}.{name}": texts for sec, entries in data.items() for name, texts in entries.items()}


def t(key: str, lang: str = "zh", **values: object) -> str:
    """UI string ``key`` in ``lang``, placeholders filled, e.g. ``t("tab.facts", "en") == "Facts"``."""
    try:
        texts = strings()[key]
    except KeyError:
        raise KeyError(f"no UI string {key!r}; add it to dashboard/i18n.toml") from None
    text = texts.get(lang) or texts["zh"]
    return text.format(**values) if values else text
