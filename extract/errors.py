"""The package's exceptions: a small tree whose messages say what to do."""

from __future__ import annotations


class ExtractError(Exception):
    """Base of every error this package raises on purpose."""


class SchemaError(ExtractError):
    """A table does not match its declared schema."""


class DocumentError(ExtractError):
    """A file cannot be read as a document (bad encoding, binary, broken front matter...)."""


class CacheError(ExtractError):
    """A cache file is corrupt or unreadable; it is rebuilt and reported."""


class LexiconError(ExtractError):
    """A language data file in extract/lexicon/ is malformed; the message names the file and line."""
