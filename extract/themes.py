"""Theme tagging: every sentence gets every theme of the taxonomy (extract/lexicon/themes.toml) it triggers.

One regex pass over the whole document finds the triggers (overlaps included: 平台竞争 and 竞争 both
count); bisect on sentence starts maps each hit to its sentence. A trigger that begins with a shorter
trigger of another theme (算法推荐 holds 算法) tags the sentence with both themes.
"""

from __future__ import annotations

import tomllib
from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache
from importlib import resources

import pandas as pd

from extract import schema
from extract.errors import LexiconError
from extract.lexmatch import (
    TermPattern,
    compile_terms,
    find_terms,
    is_word_prefix,
    match_form,
    sentence_locator,
)
from extract.normalize import to_match_form
from extract.schema import C
from extract.sentences import SentenceSpan, frame_spans

THEMES_FILE = "lexicon/themes.toml"
# Columns of taxonomy(): not an output table, so they are declared here rather than in schema.py.
LABEL_ZH = "label_zh"
LABEL_EN = "label_en"
TRIGGERS = "triggers"

Theme = tuple[str, str, str, tuple[str, ...]]


@lru_cache(maxsize=1)
def _themes() -> tuple[Theme, ...]:
    """(id, zh label, en label, triggers) of every theme in file order, parsed and checked once."""
    data = tomllib.loads(resources.files("extract").joinpath(THEMES_FILE).read_text("utf-8"))
    themes = []
    for theme_id, spec in data.items():
        triggers = spec.get("triggers") if isinstance(spec, dict) else None
        if (
            not isinstance(triggers, list)
            or not triggers
            or not all(isinstance(t, str) and t.strip() for t in triggers)
            or not isinstance(spec.get("zh"), str)
            or not isinstance(spec.get("en"), str)
        ):
            raise LexiconError(
                f"theme {theme_id!r} in extract/{THEMES_FILE} needs zh = '...', en = '...' and a non-empty "
                "list of trigger strings, e.g. triggers = [\"监管\", \"审核\"]"
            )
        normal = tuple(dict.fromkeys(to_match_form(t.strip()) for t in triggers))
        themes.append((theme_id, spec["zh"], spec["en"], normal))
    return tuple(themes)


def taxonomy() -> pd.DataFrame:
    """The theme taxonomy: theme_id, label_zh, label_en and triggers (a tuple), in display order."""
    rows = [
        {C.theme_id: tid, LABEL_ZH: zh, LABEL_EN: en, TRIGGERS: triggers}
        for tid, zh, en, triggers in _themes()
    ]
    return pd.DataFrame(rows, columns=[C.theme_id, LABEL_ZH, LABEL_EN, TRIGGERS])


@lru_cache(maxsize=1)
def _matcher() -> tuple[TermPattern, dict[str, tuple[tuple[str, str], ...]]]:
    """The trigger regex, and for each trigger the (theme, trigger) pairs it stands for, longest first."""
    owners: dict[str, list[str]] = {}
    for theme_id, _, _, triggers in _themes():
        for trigger in triggers:
            owners.setdefault(trigger, []).append(theme_id)
    hits: dict[str, tuple[tuple[str, str], ...]] = {}
    for trigger in owners:
        # The regex reports only the longest trigger at a position: credit the shorter triggers that
        # start it too, longest first so each theme keeps its most specific trigger.
        inner = sorted(
            (p for p in owners if p == trigger or is_word_prefix(p, trigger)), key=len, reverse=True
        )
        pairs: dict[str, str] = {}
        for p in inner:
            for theme_id in owners[p]:
                pairs.setdefault(theme_id, p)
        hits[trigger] = tuple(pairs.items())
    return compile_terms(owners), hits


def theme_columns(doc_id: str, text: str, spans: Sequence[SentenceSpan]) -> dict[str, list[object]]:
    """The "themes" table's columns for one document, as lists: one row per (sentence, theme) with the
    first trigger that matched and its span."""
    pattern, hits = _matcher()
    locate = sentence_locator(spans)
    seen: set[tuple[int, str]] = set()
    sent_ids: list[object] = []
    theme_ids: list[object] = []
    triggers: list[object] = []
    starts: list[object] = []
    ends: list[object] = []
    # Hits come in text order and sentences are in text order, so rows come out sorted by sentence.
    for start, end, trigger in find_terms(pattern, match_form(text), overlapping=True):
        sent_id = locate(start, end)
        if sent_id is None:
            continue
        for theme_id, term in hits[trigger]:
            if (sent_id, theme_id) not in seen:
                seen.add((sent_id, theme_id))
                sent_ids.append(sent_id)
                theme_ids.append(theme_id)
                triggers.append(term)
                starts.append(start)
                ends.append(start + len(term))
    return {C.doc_id: [doc_id] * len(sent_ids), C.sent_id: sent_ids, C.theme_id: theme_ids,
            C.trigger: triggers, C.start: starts, C.end: ends}


def tag_sentences(doc_id: str, text: str, sentences: pd.DataFrame) -> pd.DataFrame:
    """The "themes" table: one row per (sentence, theme) with the first trigger that matched and its span."""
    return schema.frame("themes", theme_columns(doc_id, text, frame_spans(sentences)))


def sentence_themes(themes: pd.DataFrame) -> dict[tuple[str, int], tuple[str, ...]]:
    """Theme ids of each (doc_id, sent_id) in taxonomy order, e.g. ``{("d1", 0): ("regulation", "ai")}``."""
    order = {theme_id: i for i, (theme_id, *_) in enumerate(_themes())}
    grouped: dict[tuple[str, int], set[str]] = {}
    columns = (themes[C.doc_id].tolist(), themes[C.sent_id].tolist(), themes[C.theme_id].tolist())
    for doc_id, sent_id, theme_id in zip(*columns, strict=True):
        grouped.setdefault((doc_id, int(sent_id)), set()).add(theme_id)
    return {
        key: tuple(sorted(ids, key=lambda t: (order.get(t, len(order)), t))) for key, ids in grouped.items()
    }


def claim_themes(claims: pd.DataFrame, themes: pd.DataFrame) -> pd.Series:
    """Each claim's sentence themes joined by "|", the theme whose trigger is nearest the figure first."""
    joined = nearest_themes(
        zip(claims[C.sent_id].tolist(), claims[C.start].tolist(), strict=True),
        zip(themes[C.sent_id].tolist(), themes[C.theme_id].tolist(), themes[C.start].tolist(), strict=True),
    )
    return pd.Series(pd.array(joined, dtype="string"), index=claims.index, name=C.themes)


def nearest_themes(
    claims: Iterable[tuple[Hashable, int]], themes: Iterable[tuple[Hashable, str, int]]
) -> list[str]:
    """For each claim's (sentence key, start), its sentence's themes (given as (sentence key, theme_id,
    start)) joined by "|", nearest trigger first; "" for a claim without a sentence (key None or NA).

    A key is a sent_id within one document, or (doc_id, sent_id) across a batch of documents.
    """
    claims = list(claims)
    wanted = {key for key, _ in claims}
    by_sentence: dict[Hashable, list[tuple[int, str]]] = {}
    for key, theme_id, start in themes:
        if key in wanted:  # most sentences hold no figure
            by_sentence.setdefault(key, []).append((start, theme_id))
    return [
        "|".join(t for _, t in sorted(by_sentence.get(key, []), key=lambda hit: (abs(hit[0] - pos), hit[1])))
        if not _missing(key)
        else ""
        for key, pos in claims
    ]


def _missing(key: Hashable) -> bool:
    """True for a sentence key that names no sentence: None, NA, or a (doc_id, NA) pair."""
    if isinstance(key, tuple):
        key = key[-1]
    return key is None or key is pd.NA or (isinstance(key, float) and key != key)
