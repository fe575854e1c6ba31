"""Keywords by TF-IDF and TextRank, per document and for the corpus, from one jieba cut per document.

Candidates are dictionary words of two or more characters with a noun-like POS tag (or any word of the
domain user dictionary, so 出海 and 破圈 count), never stop words, numbers or Latin junk from URLs.
Phrases in Chinese quotation marks (“精品化显影”, “微短剧+”) are keyphrase candidates too: a phrase of
2-12 characters quoted ``c`` times weighs ``c / (c + 1)`` times the geometric mean of its words'
weights. The mean asks every word of the phrase to matter (“短剧精品基金” is not carried by 短剧
alone); the factor puts a phrase quoted once at half its words' weight and one quoted often close to it.
Keywords are reported in match form (Simplified), so a Traditional article adds to the same keyword.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

import jieba.analyse
import numpy as np
import pandas as pd

from extract import schema, segment
from extract.lexmatch import match_form
from extract.schema import C

TFIDF = "tfidf"
TEXTRANK = "textrank"
CORPUS_ID = "*"

# Noun-like tags: nouns, names, places, organisations, works, verbal nouns, idioms, abbreviations.
_POS = frozenset({"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "nw", "ng", "vn", "an", "l", "i", "j", "eng"})
_SPAN = 5  # TextRank co-occurrence window in tokens, as in jieba.analyse.TextRank
_DAMPING = 0.85
_ITERATIONS = 30

# Markdown images vanish, links keep their text, bare URLs vanish: their Latin junk is not language.
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_URL = re.compile(r"(?:https?://|www\.)[!-~]+")
# A speaker label opening an interview turn ("**澎湃新闻：**", "丁亚平："): counted once per turn it
# would swamp the article's vocabulary.
_SPEAKER = re.compile(r"^[\s*#>]*[\u4e00-\u9fff]{2,6}[\s*]*[：:][\s*]*", re.MULTILINE)
_QUOTED = re.compile(r"“([^“”\n]{2,40})”|「([^「」\n]{2,40})」|『([^『』\n]{2,40})』")
_PHRASE_SPLIT = re.compile(r"[、/]")
_PHRASE_BREAK = re.compile(r"[，。！？；：,.!?;:\s]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9]")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


@dataclass(frozen=True)
class DocTerms:
    """What keyword extraction keeps of one document's cut: its candidate words and quoted phrases.

    ``vocab`` is sorted; ``ids[j]`` is the vocab index of the j-th candidate occurrence and
    ``positions[j]`` its token index, so co-occurrence windows can be computed without the text.
    """

    vocab: tuple[str, ...]
    ids: np.ndarray
    positions: np.ndarray
    phrases: tuple[tuple[str, int], ...]


def doc_keywords(doc_id: str, text: str, top_k: int = 30) -> pd.DataFrame:
    """The "keywords" table of one document: top ``top_k`` by TF-IDF (jieba's IDF) and by TextRank."""
    return schema.frame("keywords", keyword_columns(doc_id, text, top_k))


def keyword_columns(doc_id: str, text: str, top_k: int = 30) -> dict[str, list[object]]:
    """``doc_keywords``'s table as plain column lists, to be appended to a batch's table."""
    terms = _doc_terms(text)
    counts = np.bincount(terms.ids, minlength=len(terms.vocab))
    idf, median = _jieba_idf()
    weights = counts / max(1, counts.sum()) * np.array([idf.get(w, median) for w in terms.vocab])
    tfidf = dict(zip(terms.vocab, weights.tolist(), strict=True))
    textrank = _textrank(terms.vocab, _pairs(terms.ids, terms.positions, len(terms.vocab)))
    return _columns(doc_id, {TFIDF: tfidf, TEXTRANK: textrank}, Counter(dict(terms.phrases)), top_k)


def corpus_keywords(texts: Mapping[str, str], top_k: int = 50) -> pd.DataFrame:
    """The "keywords" table of a corpus (doc_id ``"*"``): TF-IDF with the corpus's own IDF, and TextRank."""
    if len(texts) == 1:
        return doc_keywords(CORPUS_ID, next(iter(texts.values())), top_k)
    docs = [_doc_terms(text) for text in texts.values()]
    vocab = tuple(sorted({w for d in docs for w in d.vocab}))
    index = {w: i for i, w in enumerate(vocab)}
    size, n_docs = len(vocab), len(docs)
    tf = np.zeros(size)
    df = np.zeros(size)
    pairs = [np.empty(0, np.int64)]
    phrases: Counter[str] = Counter()
    for d in docs:
        ids = np.array([index[w] for w in d.vocab], dtype=np.int64)[d.ids]  # document ids -> corpus ids
        counts = np.bincount(ids, minlength=size)
        tf += counts / max(1, counts.sum())
        df += counts > 0
        pairs.append(_pairs(ids, d.positions, size))
        phrases.update(dict(d.phrases))
    # Smoothed IDF (as scikit-learn's): a word found in every document still weighs 1, not 0.
    weights = tf / n_docs * (np.log((1 + n_docs) / (1 + df)) + 1)
    tfidf = {w: x for w, x in zip(vocab, weights.tolist(), strict=True) if x > 0}
    textrank = _textrank(vocab, np.concatenate(pairs))
    return _table(CORPUS_ID, {TFIDF: tfidf, TEXTRANK: textrank}, phrases, top_k)


def merge_rankings(keywords: pd.DataFrame, top_k: int = 50) -> pd.DataFrame:
    """Corpus keywords (doc_id ``*``) from per-document rankings, each scaled to its top word and summed.

    Unlike ``corpus_keywords`` this needs no text, so a warm (cached) corpus run cuts nothing again.
    """
    per_doc = keywords[keywords[C.doc_id] != CORPUS_ID]
    if per_doc.empty:
        return schema.empty("keywords")
    top = per_doc.groupby([C.doc_id, C.method])[C.weight].transform("max")
    scored = per_doc.assign(**{C.weight: per_doc[C.weight] / top.where(top > 0, 1.0)})
    totals = scored.groupby([C.method, C.keyword], as_index=False)[C.weight].sum()
    totals = totals.sort_values([C.method, C.weight, C.keyword], ascending=[True, False, True])
    totals = totals.groupby(C.method).head(top_k)
    totals[C.rank] = totals.groupby(C.method).cumcount() + 1
    totals[C.doc_id] = CORPUS_ID
    return schema.conform(totals, "keywords")


def clean_text(text: str) -> str:
    """Match form of ``text`` without URLs, markdown images and speaker labels: what keywords are cut from."""
    out = _IMAGE.sub(" ", match_form(text))
    out = _LINK.sub(r"\1", out)
    out = _URL.sub(" ", out)
    return _SPEAKER.sub("", out)


def quoted_phrases(text: str) -> Counter[str]:
    """Keyphrase candidates in Chinese quotes with their counts, e.g. ``{"微短剧+": 1}`` for “微短剧+”."""
    found: Counter[str] = Counter()
    for m in _QUOTED.finditer(text):
        inner = next(g for g in m.groups() if g is not None).replace("*", "")
        for part in _PHRASE_SPLIT.split(inner):
            phrase = part.strip()
            if 2 <= len(phrase) <= 12 and _HAN.search(phrase) and not _PHRASE_BREAK.search(phrase):
                found[phrase] += 1
    return found


@lru_cache(maxsize=64)
def _doc_terms(text: str) -> DocTerms:
    """Cut a document once and keep its keyword candidates; cached so corpus keywords need no second cut."""
    clean = clean_text(text)
    tokens = segment.tokens(clean)
    chosen = _candidates().intersection(tokens)
    keep = [i for i, t in enumerate(tokens) if t in chosen]
    latin = {t for t in chosen if t[0] in _ALNUM or t[-1] in _ALNUM}
    if latin:
        offsets = list(accumulate(map(len, tokens), initial=0))
        keep = [
            i for i in keep
            if tokens[i] not in latin or not _inside_latin_word(clean, offsets[i], offsets[i + 1])
        ]
    words = [tokens[i] for i in keep]
    vocab = tuple(sorted(set(words)))
    index = {w: i for i, w in enumerate(vocab)}
    ids = np.array([index[w] for w in words], dtype=np.int64)
    positions = np.array(keep, dtype=np.int64)
    ids.flags.writeable = positions.flags.writeable = False  # shared through the cache
    return DocTerms(vocab, ids, positions, tuple(quoted_phrases(clean).items()))


def _inside_latin_word(text: str, start: int, end: int) -> bool:
    """True for a token cut out of a longer Latin word: AI from MAIN is not the keyword AI."""
    return (start > 0 and text[start] in _ALNUM and text[start - 1] in _ALNUM) or (
        end < len(text) and text[end - 1] in _ALNUM and text[end] in _ALNUM
    )


@lru_cache(maxsize=1)
def _candidates() -> frozenset[str]:
    """Every word worth ranking: 2+ characters, no digit, noun-like or a domain word, no stop word.

    Only dictionary words have a tag (domain words are dictionary words too), so the rule is applied once
    per process to the whole dictionary, and a document's tokens are chosen by one set intersection: per
    token, the rule cost twice the cut itself. A domain word is a candidate whatever its tag, so which of
    a word's two tags (jieba's, the user dictionary's) is read makes no difference.
    """
    stop, domain = segment.stopwords(), _domain_words()
    return frozenset(
        word for word, tag in segment.tagged_words()
        if len(word) >= 2 and word not in stop and not _DIGIT.search(word) and (word in domain or tag in _POS)
    )


@lru_cache(maxsize=1)
def _domain_words() -> frozenset[str]:
    """Every user-dictionary word: a candidate whatever its tag (出海 and 破圈 are verbs)."""
    return frozenset(word for word, _, _ in segment.user_words())


@lru_cache(maxsize=1)
def _jieba_idf() -> tuple[dict[str, float], float]:
    """jieba's general-Chinese IDF table and its median (the IDF of unseen words), loaded once."""
    return jieba.analyse.default_tfidf.idf_freq, jieba.analyse.default_tfidf.median_idf


def _pairs(ids: np.ndarray, positions: np.ndarray, size: int) -> np.ndarray:
    """Co-occurring candidate pairs (fewer than ``_SPAN`` tokens apart) as ``low * size + high`` codes."""
    codes = [np.empty(0, np.int64)]
    # Candidates are in text order at distinct tokens, so pairs within the window are at most
    # _SPAN - 1 candidates apart: one vectorised pass per lag replaces a nested Python loop.
    for lag in range(1, min(_SPAN, len(ids))):
        a, b = ids[:-lag], ids[lag:]
        keep = (positions[lag:] - positions[:-lag] < _SPAN) & (a != b)
        codes.append(np.minimum(a, b)[keep] * size + np.maximum(a, b)[keep])
    return np.concatenate(codes)


def _textrank(vocab: Sequence[str], pairs: np.ndarray) -> dict[str, float]:
    """TextRank scores of the co-occurrence graph, scaled as jieba does so that the top word is 1."""
    if pairs.size == 0:
        return {}
    codes, counts = np.unique(pairs, return_counts=True)
    size = len(vocab)
    a, b, w = codes // size, codes % size, counts.astype(np.float64)
    src, dst, weight = np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([w, w])
    out_sum = np.bincount(src, weights=weight, minlength=size)
    share = weight / np.where(out_sum[src] > 0, out_sum[src], 1.0)
    ws = np.full(size, 1.0 / size)
    for _ in range(_ITERATIONS):
        ws = (1 - _DAMPING) + _DAMPING * np.bincount(dst, weights=share * ws[src], minlength=size)
    nodes = np.unique(np.concatenate([a, b]))  # only words that co-occur with another are ranked
    ranked = ws[nodes]
    low, high = ranked.min(), ranked.max()
    scaled = (ranked - low / 10.0) / (high - low / 10.0)
    return {vocab[i]: float(v) for i, v in zip(nodes.tolist(), scaled.tolist(), strict=True)}


def _table(
    doc_id: str, scores: dict[str, dict[str, float]], phrases: Counter[str], top_k: int
) -> pd.DataFrame:
    """Rank each method's words plus quoted phrases and build the "keywords" table."""
    return schema.frame("keywords", _columns(doc_id, scores, phrases, top_k))


def _columns(
    doc_id: str, scores: dict[str, dict[str, float]], phrases: Counter[str], top_k: int
) -> dict[str, list[object]]:
    """Rank each method's words plus quoted phrases: the "keywords" table's columns."""
    cols: dict[str, list[object]] = {C.method: [], C.rank: [], C.keyword: [], C.weight: []}
    for method, weights in scores.items():
        ranked = _top(_with_phrases(weights, phrases), top_k)
        cols[C.method] += [method] * len(ranked)
        cols[C.rank] += range(1, len(ranked) + 1)
        cols[C.keyword] += [kw for kw, _ in ranked]
        cols[C.weight] += [wt for _, wt in ranked]
    return {C.doc_id: [doc_id] * len(cols[C.method]), **cols}


def _top(weights: Mapping[str, float], k: int) -> list[tuple[str, float]]:
    """The ``k`` heaviest (word, weight) pairs, heaviest first, ties by word; sorts only the head."""
    if len(weights) > k > 0:
        values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
        cutoff = np.partition(values, len(values) - k)[len(values) - k]
        weights = {w: x for w, x in weights.items() if x >= cutoff}
    return sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[: max(k, 0)]


def _with_phrases(weights: Mapping[str, float], phrases: Counter[str]) -> dict[str, float]:
    """Word weights plus each quoted phrase at ``c / (c + 1)`` of its words' geometric-mean weight."""
    merged = dict(weights)
    for phrase, count in phrases.items():
        parts = [weights[t] for t in _phrase_tokens(phrase) if weights.get(t, 0.0) > 0]
        if parts:
            mean = math.exp(sum(math.log(p) for p in parts) / len(parts))
            merged[phrase] = max(merged.get(phrase, 0.0), mean * count / (count + 1))
    return merged


@lru_cache(maxsize=4096)
def _phrase_tokens(phrase: str) -> tuple[str, ...]:
    """The words of a quoted phrase (cached: the same slogans recur across a corpus)."""
    return tuple(segment.tokens(phrase))
