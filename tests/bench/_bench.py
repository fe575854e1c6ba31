"""Pieces the generated-corpus benches share: their options, and each step run in a fresh interpreter."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys


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
