"""Chinese and English display labels for metric, unit and qualifier codes (extract/lexicon/labels.toml)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

LANGS: tuple[str, ...] = ("zh", "en")


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, dict[str, str]]]:
    """The label file, parsed once per process."""
    return tomllib.loads(resources.files("extract").joinpath("lexicon/labels.toml").read_text("utf-8"))


def label(kind: str, code: str, lang: str = "zh") -> str:
    """Display label of a code, e.g. ``label("metric", "jobs") == "就业岗位"``; unknown codes echo back."""
    return _labels().get(kind, {}).get(code, {}).get(lang, code)


def labels(kind: str, lang: str = "zh") -> dict[str, str]:
    """Every code of ``kind`` mapped to its label, e.g. ``labels("metric", "en")["jobs"] == "Jobs"``."""
    return {code: names.get(lang, code) for code, names in _labels().get(kind, {}).items()}
