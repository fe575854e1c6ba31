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
import sys
from array import array
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import jieba.analyse
import numpy as np
import pandas as pd

from extract import schema, segment
from extract.normalize import to_match_form
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


@dataclass(frozen=True)
class DocTerms:
    """What keyword extraction keeps of one document's cut: candidate words, their token positions, quotes."""

    words: tuple[str, ...]
    positions: array
    phrases: tuple[tuple[str, int], ...]


def doc_keywords(doc_id: str, text: str, top_k: int = 30) -> pd.DataFrame:
    """The "keywords" table of one document: top ``top_k`` by TF-IDF (jieba's IDF) and by TextRank."""
    terms = _doc_terms(text)
    counts = Counter(terms.words)
    total = sum(counts.values())
    idf, median = _jieba_idf()
    tfidf = {w: c / total * idf.get(w, median) for w, c in counts.items()}
    textrank = _textrank(_edges(terms))
    phrases = Counter(dict(terms.phrases))
    return _table(doc_id, {TFIDF: tfidf, TEXTRANK: textrank}, phrases, top_k)


def corpus_keywords(texts: Mapping[str, str], top_k: int = 50) -> pd.DataFrame:
    """The "keywords" table of a corpus (doc_id ``"*"``): TF-IDF with the corpus's own IDF, and TextRank."""
    docs = [_doc_terms(text) for text in texts.values()]
    if len(docs) == 1:
        only = doc_keywords(CORPUS_ID, next(iter(texts.values())), top_k)
        return only
    counts = [Counter(d.words) for d in docs]
    n_docs = len(docs)
    df = Counter(w for c in counts for w in c)
    # Smoothed IDF (as scikit-learn's): a word found in every document still weighs 1, not 0.
    idf = {w: math.log((1 + n_docs) / (1 + k)) + 1 for w, k in df.items()}
    tfidf: Counter[str] = Counter()
    for c in counts:
        total = sum(c.values())
        for w, k in c.items():
            tfidf[w] += k / total * idf[w] / n_docs
    edges: Counter[tuple[str, str]] = Counter()
    for d in docs:
        edges.update(_edges(d))
    phrases: Counter[str] = Counter()
    for d in docs:
        phrases.update(dict(d.phrases))
    return _table(CORPUS_ID, {TFIDF: dict(tfidf), TEXTRANK: _textrank(edges)}, phrases, top_k)


def clean_text(text: str) -> str:
    """Match form of ``text`` without URLs, markdown images and speaker labels: what keywords are cut from."""
    out = _IMAGE.sub(" ", to_match_form(text))
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


@lru_cache(maxsize=1024)
def _doc_terms(text: str) -> DocTerms:
    """Cut a document once and keep its keyword candidates; cached so corpus keywords need no second cut."""
    clean = clean_text(text)
    tokens = segment.tokenizer().lcut(clean, HMM=False)
    verdict: dict[str, bool] = {}
    words: list[str] = []
    positions = array("I")
    for i, tok in enumerate(tokens):
        ok = verdict.get(tok)
        if ok is None:
            ok = verdict[tok] = _is_candidate(tok)
        if ok:
            words.append(sys.intern(tok))
            positions.append(i)
    return DocTerms(tuple(words), positions, tuple(quoted_phrases(clean).items()))


def _is_candidate(token: str) -> bool:
    """True for a word worth ranking: 2+ characters, no digit, noun-like or a domain word, no stop word."""
    if len(token) < 2 or token in segment.stopwords() or _DIGIT.search(token):
        return False
    return token in _domain_words() or segment.word_tags().get(token) in _POS


@lru_cache(maxsize=1)
def _domain_words() -> frozenset[str]:
    """Every user-dictionary word: a candidate whatever its tag (出海 and 破圈 are verbs)."""
    return frozenset(word for word, _, _ in segment.user_words())


@lru_cache(maxsize=1)
def _jieba_idf() -> tuple[dict[str, float], float]:
    """jieba's general-Chinese IDF table and its median (the IDF of unseen words), loaded once."""
    return jieba.analyse.default_tfidf.idf_freq, jieba.analyse.default_tfidf.median_idf


def _edges(terms: DocTerms) -> Counter[tuple[str, str]]:
    """Co-occurrence counts of candidate pairs at most ``_SPAN - 1`` tokens apart (self-pairs skipped)."""
    edges: Counter[tuple[str, str]] = Counter()
    words, pos = terms.words, terms.positions
    n = len(words)
    for k in range(n):
        a, limit = words[k], pos[k] + _SPAN
        m = k + 1
        while m < n and pos[m] < limit:
            b = words[m]
            if a != b:
                edges[(a, b) if a < b else (b, a)] += 1
            m += 1
    return edges


def _textrank(edges: Mapping[tuple[str, str], int]) -> dict[str, float]:
    """TextRank scores of a weighted co-occurrence graph, scaled as jieba does so the top word is 1."""
    if not edges:
        return {}
    nodes = sorted({w for pair in edges for w in pair})
    index = {w: i for i, w in enumerate(nodes)}
    a = np.fromiter((index[x] for x, _ in edges), dtype=np.int64, count=len(edges))
    b = np.fromiter((index[y] for _, y in edges), dtype=np.int64, count=len(edges))
    w = np.fromiter(edges.values(), dtype=np.float64, count=len(edges))
    src, dst, weight = np.concatenate([a, b]), np.concatenate([b, a]), np.concatenate([w, w])
    out_sum = np.bincount(src, weights=weight, minlength=len(nodes))
    share = weight / out_sum[src]
    ws = np.full(len(nodes), 1.0 / len(nodes))
    for _ in range(_ITERATIONS):
        ws = (1 - _DAMPING) + _DAMPING * np.bincount(dst, weights=share * ws[src], minlength=len(nodes))
    low, high = ws.min(), ws.max()
    scaled = (ws - low / 10.0) / (high - low / 10.0)
    return dict(zip(nodes, scaled.tolist(), strict=True))


def _table(
    doc_id: str, scores: dict[str, dict[str, float]], phrases: Counter[str], top_k: int
) -> pd.DataFrame:
    """Rank each method's words plus quoted phrases and build the "keywords" table."""
    rows = []
    for method, weights in scores.items():
        merged = _with_phrases(weights, phrases)
        ranked = sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))[:top_k]
        rows += [
            {C.doc_id: doc_id, C.method: method, C.rank: r, C.keyword: kw, C.weight: wt}
            for r, (kw, wt) in enumerate(ranked, start=1)
        ]
    if not rows:
        return schema.empty("keywords")
    return schema.conform(pd.DataFrame(rows), "keywords")


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
    return tuple(segment.tokenizer().lcut(phrase, HMM=False))
