"""Command line: ``python -m extract PATH... --out DIR`` writes every table as CSV and Parquet; with
``--scheduler`` (a Dask cluster) as a folder of Parquet partitions per table."""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from extract.corpus import iter_paths
from extract.errors import ExtractError
from extract.pipeline import extract_corpus_with_stats
from extract.schema import C
from extract.tabular import DOCS_PER_PART, use_jemalloc, write_partitioned, write_tables


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, kept separate so that tests and docs can inspect it."""
    parser = argparse.ArgumentParser(
        prog="microdrama-facts",
        description="Extract quantitative claims, themes and keywords from Chinese micro-drama articles.",
    )
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (.md .txt .html .pdf .docx)")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the tables (default: out)")
    parser.add_argument("--workers", type=int, default=1, help="processes to extract with (default: 1)")
    parser.add_argument("--cache-dir", type=Path, default=None, help="cache folder (default: ~/.cache/...)")
    parser.add_argument("--no-cache", action="store_true", help="extract everything again, ignore the cache")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="extract on a Dask cluster (tcp://host:8786) and write each table as a folder "
                             "of Parquet partitions (out/claims/part-00000.parquet...); needs [distributed]")
    parser.add_argument("--docs-per-part", type=int, default=DOCS_PER_PART, metavar="N",
                        help=f"with --scheduler: documents per partition (default: {DOCS_PER_PART})")
    parser.add_argument("--reviews", type=Path, default=None, metavar="FILE",
                        help="apply a reviews file (CSV or JSON Lines, as the dashboard exports it)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code (2 for no input, 1 when every file failed)."""
    args = build_parser().parse_args(argv)
    if not args.paths:
        print(
            "microdrama-facts: no input. Give files or folders, e.g. `python -m extract seeds/ --out out/`.",
            file=sys.stderr,
        )
        return 2
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        print(f"microdrama-facts: not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    use_jemalloc()  # the CLI owns its process: a warm run reads the cache faster with jemalloc
    with tempfile.TemporaryDirectory(prefix="microdrama-archives-") as unpacked:
        members: dict[str, tuple[str, str]] = {}
        paths = _expand_archives(args.paths, Path(unpacked), members)
        return _run(args, paths, members)


def _run(args: argparse.Namespace, paths: list[Path], members: dict[str, tuple[str, str]]) -> int:
    """Extract ``paths`` (archives already unpacked; ``members`` maps each unpacked file to its archive and
    member name) and write the tables."""
    files = iter_paths(paths)
    if not files:
        print("microdrama-facts: no .md, .txt, .html, .pdf or .docx files in the given paths.",
              file=sys.stderr)
        return 2
    bar = tqdm(total=len(files), unit="file", disable=args.quiet or len(files) < 2, file=sys.stderr)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    with _cluster(args.scheduler) as executor:
        corpus, stats = extract_corpus_with_stats(
            paths,
            workers=max(1, args.workers),
            cache_dir=args.cache_dir,
            use_cache=not args.no_cache,
            progress=progress,
            executor=executor,
        )
    bar.close()
    tables = _named_as_given(corpus.tables(), members)
    if args.reviews is not None:
        try:
            tables, orphans = _reviewed(tables, args.reviews)
        except (OSError, ValueError, ExtractError) as exc:
            print(f"microdrama-facts: cannot apply {args.reviews}: {exc}", file=sys.stderr)
            return 2
        print(f"applied {args.reviews}: {len(corpus.claims) - len(tables['claims'])} claims left out, "
              f"{len(orphans)} reviews match nothing", file=sys.stderr)
    if args.scheduler:
        written = write_partitioned(tables, args.out, docs_per_part=max(1, args.docs_per_part))
    else:
        written = write_tables(tables, args.out)
    print(
        f"{stats.files} files: {len(corpus.documents)} documents ({stats.cached} from cache, "
        f"{stats.extracted} extracted), {len(tables['claims'])} claims, {len(corpus.themes)} theme tags, "
        f"{len(corpus.errors)} errors in {stats.seconds:.2f} s. Wrote {len(written)} files to {args.out}/"
    )
    errors = tables["errors"][[C.file, C.stage, C.reason]]
    for file, stage, reason in errors.itertuples(index=False, name=None):
        print(f"  error [{stage}] {file}: {reason}", file=sys.stderr)
    return 1 if stats.files and not len(corpus.documents) else 0


def _reviewed(tables: dict, path: Path) -> tuple[dict, object]:
    """The tables under the reviews in ``path``, read into a private, temporary review database."""
    import tempfile

    from extract.reviewed import review_tables
    from extract.reviews import ReviewStore

    with tempfile.TemporaryDirectory(prefix="microdrama-reviews-") as tmp:
        store = ReviewStore(Path(tmp) / "reviews.db")
        store.import_file(path)
        return review_tables(tables, store.reviews(), store.exclusions())


def _named_as_given(tables: dict, members: dict[str, tuple[str, str]]) -> dict:
    """The tables with each unpacked archive member's path (a temporary file, gone after the run) named
    as the user knows it, ``文章.zip › dir/乙.txt``, and its file name as in the archive."""
    if not members:
        return tables

    def shown(path: str) -> str:
        return f"{members[path][0]} › {members[path][1]}" if path in members else path

    def base(path: str, name: str) -> str:
        return Path(members[path][1].replace("\\", "/")).name if path in members else name

    docs, errors = tables["documents"].copy(), tables["errors"].copy()
    paths = docs[C.path].tolist()
    names = [base(p, n) for p, n in zip(paths, docs[C.file_name].tolist(), strict=True)]
    docs[C.file_name] = pd.array(names, dtype=docs[C.file_name].dtype)
    docs[C.path] = pd.array([shown(p) for p in paths], dtype=docs[C.path].dtype)
    errors[C.file] = pd.array([shown(f) for f in errors[C.file].tolist()], dtype=errors[C.file].dtype)
    return {**tables, "documents": docs, "errors": errors}


def _expand_archives(paths: Sequence[Path], folder: Path, members: dict[str, tuple[str, str]]) -> list[Path]:
    """``paths`` with each .zip archive (given, or found in a given folder) replaced by a folder of its
    readable members, unpacked safely into ``folder`` (extract/archive.py); bad members are reported.
    ``members`` gets each unpacked file's path -> (archive, member name)."""
    from extract.archive import read_zip
    from extract.corpus import SUPPORTED_SUFFIXES

    out: list[Path] = []
    archives: list[Path] = []
    for p in paths:
        if p.is_file() and p.suffix.lower() == ".zip":
            archives.append(p)
        else:
            out.append(p)
            if p.is_dir():
                archives += sorted(a for a in p.rglob("*.zip") if not a.name.startswith("."))
    for i, archive in enumerate(archives):
        target = folder / f"{i:03d}-{archive.stem}"
        try:
            unpacked = read_zip(str(archive), archive.read_bytes(), SUPPORTED_SUFFIXES)
        except (OSError, ExtractError) as exc:
            print(f"  error [read] {archive}: {exc}", file=sys.stderr)
            continue
        for member, why in unpacked.problems:
            print(f"  {archive} › {member}: {why}", file=sys.stderr)
        for j, (member, body) in enumerate(unpacked.members):
            name = Path(member.replace("\\", "/")).name
            path = target / f"{j:04d}-{name}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            members[str(path)] = (str(archive), member)
        if unpacked.members:
            out.append(target)
    return out


@contextlib.contextmanager
def _cluster(address: str | None) -> Iterator[Executor | None]:
    """The executor of a Dask cluster at ``address`` (its workers must see the same files), else None."""
    if not address:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise SystemExit("microdrama-facts: --scheduler needs dask.distributed: "
                         "pip install 'microdrama-facts[distributed]'") from None
    with Client(address, timeout="30s") as client:
        # Not pure: a batch's result depends on the files' contents, not only on their paths.
        yield client.get_executor(pure=False)
