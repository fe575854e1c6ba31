"""Micro-drama Facts: Chinese articles into tables of quantitative claims, themes and keywords."""

from __future__ import annotations

__version__ = "0.1.0"
