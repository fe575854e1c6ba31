"""Micro-drama Facts: Chinese articles into tables of quantitative claims, themes and keywords.

>>> from extract import extract_claims
>>> row = extract_claims("2024年微短剧市场规模达504.4亿元").iloc[0]
>>> row["surface"], float(row["value"]), row["unit"], row["metric"], int(row["year"])
('504.4亿元', 50440000000.0, 'CNY', 'market_size', 2024)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> module. Imported on first use, so `import extract.schema` stays light and jieba loads
# only when something needs it.
_EXPORTS = {
    "find_numbers": "extract.numbers",
    "parse_number": "extract.numbers",
    "extract_claims": "extract.claims",
    "extract_corpus": "extract.pipeline",
    "extract_document": "extract.pipeline",
    "Corpus": "extract.pipeline",
    "load_document": "extract.corpus",
    "parse_document": "extract.corpus",
    "Document": "extract.corpus",
    "ExtractError": "extract.errors",
    "DocumentError": "extract.errors",
    "SchemaError": "extract.errors",
    "CacheError": "extract.errors",
}

__all__ = [
    "CacheError",
    "Corpus",
    "Document",
    "DocumentError",
    "ExtractError",
    "SchemaError",
    "__version__",
    "extract_claims",
    "extract_corpus",
    "extract_document",
    "find_numbers",
    "load_document",
    "parse_document",
    "parse_number",
]

if TYPE_CHECKING:
    from extract.claims import extract_claims
    from extract.corpus import Document, load_document, parse_document
    from extract.errors import CacheError, DocumentError, ExtractError, SchemaError
    from extract.numbers import find_numbers, parse_number
    from extract.pipeline import Corpus, extract_corpus, extract_document


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first access."""
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
