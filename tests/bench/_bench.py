"""Pieces the generated-corpus benches share: their options, each step run in a fresh interpreter, and a
store of reviews of a corpus's claims."""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys

import pandas as pd

from extract.reviews import ClaimKey, ReviewStore, key_of


def run_child(code: str, *args: str) -> dict[str, float]:
    """Run ``code`` with ``args`` in a new Python (no step inherits another's warm caches) and return the
    JSON its last line of output holds."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"step {args[0] if args else ''} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def corpus_options(description: str) -> argparse.Namespace:
    """The options of a bench over a generated corpus: --docs, --rounds and --seed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--docs", type=int, default=1000, help="documents to generate (default 1000)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the fastest counts")
    parser.add_argument("--seed", type=int, default=0, help="generator seed")
    return parser.parse_args()


def store_reviews(store: ReviewStore, claims: pd.DataFrame, documents: pd.DataFrame, n: int,
                  spare: int = 0) -> tuple[list[ClaimKey], list[float]]:
    """Store ``n`` reviews of random claims in ``store``: confirmations, corrections of the value,
    rejections and pins in turn, every 50th an orphan (its span no longer holds its surface). Returns the
    keys and values of those claims and of ``spare`` more, not reviewed, for later changes."""
    rng = random.Random(0)
    picked = claims.sample(min(n + spare, len(claims)), random_state=0)
    keys = [key_of(claim, documents) for _, claim in picked.iterrows()]
    values = picked["value"].astype(float).tolist()
    for i, key in enumerate(keys[:n]):
        if i % 50 == 0:
            key = ClaimKey(key.content_hash, key.start, key.end + 1, key.surface + "x")  # an orphan
        kind = i % 4
        if kind == 0:
            store.confirm(key)
        elif kind == 1:
            store.correct(key, {"value": values[i] * rng.uniform(0.9, 1.1)})
        elif kind == 2:
            store.reject(key)
        else:
            store.pin(key)
    return keys, values
