"""Chinese word segmentation: jieba's no-HMM cut, with the micro-drama user dictionary, one per process.

Text is cut in its match form (Simplified, half-width), so 微短劇 and 微短剧 give the same tokens. The
cut runs without jieba's HMM new-word guesser, which invents fragments such as 年微 (from 2024年微短剧);
the domain words it would have guessed live in ``userdict.txt``.

``tokens`` gives exactly ``tokenizer().lcut(text, HMM=False)`` (tests/test_segment.py and
tests/test_rjieba.py check it). It cuts with rjieba (jieba-rs, which embeds jieba's own dict.txt), ten
times faster than jieba_tokens, the pure-Python fallback when rjieba is not installed. rjieba is brought
into line with jieba in three places: its dictionary total, which it counts differently
(``_total_balance``); the rarer CJK ideographs, which it cuts as words and jieba as lone characters
(``_RJIEBA_ONLY_HAN``); and lone surrogates, which it cannot take. The cut is most of the language
analysis's time per document.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from itertools import chain

import jieba
import jieba.posseg

try:
    import rjieba
except ImportError:  # jieba alone gives the same tokens, ten times slower
    rjieba = None

from extract.errors import LexiconError
from extract.normalize import to_match_form

USERDICT = "lexicon/userdict.txt"
STOPWORDS = "lexicon/stopwords.txt"

logger = logging.getLogger(__name__)


def _lexicon_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a lexicon file beside this module."""
    text = resources.files("extract").joinpath(name).read_text("utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


@lru_cache(maxsize=1)
def user_words() -> tuple[tuple[str, int, str], ...]:
    """The user dictionary as (word, freq, tag) triples, e.g. ``("微短剧", 3000, "n")``."""
    entries = []
    for line in _lexicon_lines(USERDICT):
        parts = line.split()
        if (
            len(parts) != 3
            or not parts[1].isdigit()
            or int(parts[1]) < 1  # to jieba, frequency 0 means "never cut this word whole"
            or not parts[2].isalpha()
            or not parts[2].islower()
        ):
            raise LexiconError(
                f"bad line {line!r} in extract/{USERDICT}: write 'word freq tag', e.g. '微短剧 3000 n' "
                "(a positive freq, and every word needs a lower-case jieba POS tag, or POS filters drop it)"
            )
        entries.append((to_match_form(parts[0]), int(parts[1]), parts[2]))
    return tuple(entries)


@lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """The process's jieba tokenizer with the domain user dictionary, initialised eagerly."""
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    # Warm up now: jieba otherwise loads its 350k-word prefix dictionary lazily inside the first cut,
    # which makes the first document look ~1 s slower than the rest and skews per-document timings.
    tok.initialize()
    for word, freq, tag in user_words():
        tok.add_word(word, freq, tag)
    return tok


@lru_cache(maxsize=1)
def word_tags() -> Mapping[str, str]:
    """POS tag of every dictionary word (jieba's dictionary plus the user dictionary), e.g. 微短剧 -> n."""
    return dict(tagged_words())


def tagged_words() -> Iterator[tuple[str, str]]:
    """(word, POS tag) of jieba's dictionary, then of the user dictionary (whose tag wins where both have
    the word), without building a table: keywords judge every word once and keep only their verdict."""
    # Importing jieba.posseg already read the tag column of jieba's dictionary into its global
    # POSTokenizer: read that table rather than parse 350k lines again. posseg's own cut (5x slower than
    # lcut) is never used.
    yield from jieba.posseg.dt.word_tag_tab.items()
    yield from ((word, tag) for word, _, tag in user_words())


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words never reported as keywords: function words and interview boilerplate (澎湃新闻, 专访)."""
    return frozenset(to_match_form(w) for w in _lexicon_lines(STOPWORDS))


@lru_cache(maxsize=1)
def topic_words() -> frozenset[str]:
    """The corpus's own topic words (微短剧, 短剧): keywords of every document, left out of the lists."""
    return frozenset(to_match_form(w) for w in _lexicon_lines("lexicon/topic_words.txt"))


def cut(text: str) -> list[str]:
    """Tokens of ``to_match_form(text)``, e.g. ``cut("微短劇出海") == ["微短剧", "出海"]``."""
    return tokens(to_match_form(text))


# jieba's own block and white-space patterns (jieba.re_han_default, jieba.re_skip_default).
_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")
_SKIP = re.compile(r"(\r\n|\s)")
_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


# Ideographs that rjieba's word blocks hold and jieba's do not (jieba-rs 0.11's RE_HAN_DEFAULT less
# jieba.re_han_default): CJK Extension A, U+9FD6-9FFF, compatibility ideographs, Extensions B-F and the
# compatibility supplement. jieba cuts each one alone, and so must the blocks around it be cut.
_RJIEBA_ONLY_HAN = re.compile(
    "([\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0002A6DF\U0002A700-\U0002EBEF"
    "\U0002F800-\U0002FA1F])"
)
# A dictionary entry no text can reach (no word block holds "<"), carrying _total_balance's count.
_BALANCE_WORD = "<jieba total balance>"


def tokens(text: str) -> list[str]:
    """``tokenizer().lcut(text, HMM=False)``, cut by rjieba (else jieba_tokens); ``text`` is used as given."""
    seg = _rjieba()
    if seg is None:
        return jieba_tokens(text)
    try:
        if _RJIEBA_ONLY_HAN.search(text) is None:
            return seg.cut(text, False)
        out: list[str] = []
        for i, piece in enumerate(_RJIEBA_ONLY_HAN.split(text)):
            if i % 2:  # split() puts the captured ideographs at odd indexes
                out.append(piece)
            elif piece:
                out.extend(seg.cut(piece, False))
        return out
    except UnicodeEncodeError:  # a lone surrogate (from a surrogateescape decode) is no UTF-8 for Rust
        return jieba_tokens(text)


@lru_cache(maxsize=1)
def _rjieba() -> rjieba.Jieba | None:
    """rjieba with the user dictionary, totalled as jieba totals; None (and a warning) without rjieba."""
    if rjieba is None:
        logger.warning(
            "rjieba is not installed: segmenting with jieba, ten times slower (pip install rjieba)"
        )
        return None
    seg = rjieba.Jieba()  # jieba-rs's embedded dict.txt is jieba's own (tests/test_rjieba.py checks it)
    for word, freq, tag in user_words():
        seg.add_word(word, freq, tag)
    if balance := _total_balance():
        seg.add_word(_BALANCE_WORD, balance, "x")
    return seg


_DICT_LINE = re.compile(r"^(\S+) (\d+)", re.M)


def _total_balance() -> int:
    """How far rjieba's word-count total falls short of jieba's with the user dictionary, e.g. 14462."""
    # A word's log probability is its count over the total, so the cuts agree only if the totals do.
    # jieba adds every count it reads to the total, where rjieba replaces a word's earlier count: dict.txt
    # lists B超 twice, and 49 user words are jieba words already (短剧 19, made 3000).
    with jieba.Tokenizer().get_dict_file() as f:
        lines = f.read().decode("utf-8")
    counts: dict[str, int] = {}
    balance = 0
    for word, freq in chain(_DICT_LINE.findall(lines), ((w, f) for w, f, _ in user_words())):
        balance += counts.get(word, 0)
        counts[word] = int(freq)
    return balance


def jieba_tokens(text: str) -> list[str]:
    """``tokenizer().lcut(text, HMM=False)`` in pure Python, twice as fast as jieba's own; the fallback."""
    # It walks jieba's dictionary and best-path rule in one backward pass, without building jieba's DAG
    # dict, route tuples and generators.
    logp = _log_probs()
    out: list[str] = []
    for i, block in enumerate(_BLOCK.split(text)):
        if not block:
            continue
        if i % 2:  # split() puts the captured word blocks at odd indexes
            _cut_block(block, logp, out)
            continue
        for piece in _SKIP.split(block):
            if _SKIP.match(piece):
                out.append(piece)
            else:
                out.extend(piece)
    return out


# In _log_probs, a dictionary prefix that is no word itself maps to this (a log probability is <= 0).
_PREFIX_ONLY = 1.0


@lru_cache(maxsize=1)
def _log_probs() -> dict[str, float]:
    """Every dictionary word's log probability, and _PREFIX_ONLY for bare prefixes: one lookup per step."""
    tok = tokenizer()
    log_total = math.log(tok.total)
    return {w: math.log(f) - log_total if f else _PREFIX_ONLY for w, f in tok.FREQ.items()}


def _cut_block(block: str, logp: Mapping[str, float], out: list[str]) -> None:
    """Append the best-path words of one block, as jieba's no-HMM cut: same scores, same tie-breaks."""
    n = len(block)
    score = [0.0] * (n + 1)
    last = list(range(n))
    get = logp.get
    unknown = -math.log(tokenizer().total)  # a character not in the dictionary counts as frequency 1
    for k in range(n - 1, -1, -1):
        best: float | None = None
        i = k
        p = get(block[k])
        while p is not None:  # every prefix of a dictionary word is a key
            if p <= 0.0:
                s = p + score[i + 1]
                if best is None or s >= best:  # ties go to the longer word, as max() over (s, i) does
                    best, last[k] = s, i
            i += 1
            if i >= n:
                break
            p = get(block[k : i + 1])
        score[k] = score[k + 1] + unknown if best is None else best
    x, buf = 0, ""
    while x < n:
        y = last[x] + 1
        word = block[x:y]
        if y - x == 1 and word in _ALNUM:  # jieba glues runs of single Latin letters and digits
            buf += word
        else:
            if buf:
                out.append(buf)
                buf = ""
            out.append(word)
        x = y
    if buf:
        out.append(buf)
