"""Mentions of platforms, genres, business models and audiences (extract/lexicon/mentions.toml).

Every spelling (canonical name or alias) is matched in one regex pass over the match form of the
text, longest first and without overlaps, so 女性观众 counts as an audience and not also as the genre
女性. Aliases map to their canonical name: B站 -> 哔哩哔哩, and 愛奇藝 -> 爱奇艺 through the match form.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import pandas as pd

from extract import schema
from extract.errors import LexiconError
from extract.lexmatch import TermPattern, compile_terms, find_terms, match_form, sentence_locator
from extract.normalize import to_match_form
from extract.schema import C
from extract.sentences import SentenceSpan, frame_spans

MENTIONS_FILE = "lexicon/mentions.toml"
CATEGORIES: tuple[str, ...] = ("platform", "company", "genre", "business_model", "audience")
# Column of mention_lexicon() that no output table has, so it is declared here.
ALIASES = "aliases"

Entry = tuple[str, str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _entries() -> tuple[Entry, ...]:
    """(category, canonical name, aliases) of every lexicon entry, parsed and checked once."""
    data = tomllib.loads(resources.files("extract").joinpath(MENTIONS_FILE).read_text("utf-8"))
    unknown = sorted(set(data) - set(CATEGORIES))
    if unknown:
        raise LexiconError(
            f"unknown mention categories {unknown} in extract/{MENTIONS_FILE}; use {', '.join(CATEGORIES)}"
        )
    entries = []
    for category in CATEGORIES:
        for name, aliases in data.get(category, {}).items():
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                raise LexiconError(
                    f"{category}.{name} in extract/{MENTIONS_FILE} must be a list of spellings, "
                    f'e.g. "哔哩哔哩" = ["B站"] (or [] for none)'
                )
            entries.append((category, name, tuple(a.strip() for a in aliases)))
    return tuple(entries)


def mention_lexicon() -> pd.DataFrame:
    """The lexicon as a frame of category, name and aliases (a tuple): (platform, 哔哩哔哩, ("B站", ...))."""
    rows = [{C.category: c, C.name: n, ALIASES: a} for c, n, a in _entries()]
    return pd.DataFrame(rows, columns=[C.category, C.name, ALIASES])


@lru_cache(maxsize=1)
def _matcher() -> tuple[TermPattern, dict[str, tuple[str, str]]]:
    """The regex of every spelling and the (category, name) each spelling stands for."""
    owner: dict[str, tuple[str, str]] = {}
    for category, name, aliases in _entries():
        for spelling in (name, *aliases):
            key = to_match_form(spelling)
            if owner.setdefault(key, (category, name)) != (category, name):
                raise LexiconError(
                    f"spelling {spelling!r} in extract/{MENTIONS_FILE} belongs to both {owner[key]} and "
                    f"{(category, name)}; keep it under one name"
                )
    return compile_terms(owner), owner


def mention_owner() -> dict[str, tuple[str, str]]:
    """Every spelling in match form, with the (category, canonical name) it stands for."""
    return dict(_matcher()[1])


def mention_columns(doc_id: str, text: str, spans: Sequence[SentenceSpan]) -> dict[str, list[object]]:
    """The "mentions" table's columns for one document, as lists: one row per mention."""
    pattern, owner = _matcher()
    locate = sentence_locator(spans)
    sent_ids: list[object] = []
    categories: list[object] = []
    names: list[object] = []
    surfaces: list[object] = []
    starts: list[object] = []
    ends: list[object] = []
    for start, end, spelling in find_terms(pattern, match_form(text)):
        sent_id = locate(start, end)
        if sent_id is None:
            continue
        category, name = owner[spelling]
        sent_ids.append(sent_id)
        categories.append(category)
        names.append(name)
        surfaces.append(text[start:end])
        starts.append(start)
        ends.append(end)
    return {C.doc_id: [doc_id] * len(sent_ids), C.sent_id: sent_ids, C.category: categories, C.name: names,
            C.surface: surfaces, C.start: starts, C.end: ends}


def find_mentions(doc_id: str, text: str, sentences: pd.DataFrame) -> pd.DataFrame:
    """The "mentions" table: one row per mention, with its canonical name and the surface as written."""
    return schema.frame("mentions", mention_columns(doc_id, text, frame_spans(sentences)))
