"""Documents packed in a .zip archive: each supported member read as its own file, safely.

Only member bytes come out, never a path on disk: a member name such as ``../../etc/passwd`` is reduced to
its last component by whoever stores it, links and directories are skipped, and caps on the number of
members and on the uncompressed bytes (checked while reading, not trusted from the archive's header) stop
a zip bomb. A bad member is reported and the others still load.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from extract.corpus import MAX_REPORT_BYTES, REPORT_SUFFIXES
from extract.errors import DocumentError

MAX_MEMBERS = 200
MAX_TOTAL_BYTES = 50 * 1024 * 1024  # uncompressed, over all members
MAX_MEMBER_BYTES = 5 * 1024 * 1024  # one article, as for a single upload
# A PDF or Word report inside an archive may be as big as one uploaded on its own.
MAX_REPORT_MEMBER_BYTES = MAX_REPORT_BYTES
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Unpacked:
    """What an archive held: (member name, bytes) of each readable document, and (member, why) of the rest."""

    members: list[tuple[str, bytes]] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


def read_zip(name: str, data: bytes, suffixes: tuple[str, ...], *, max_members: int = MAX_MEMBERS,
             max_total: int = MAX_TOTAL_BYTES, max_member: int | None = None) -> Unpacked:
    """The documents inside the zip ``data`` whose names end in one of ``suffixes`` (``.md``, ``.txt``…).

    ``max_member`` caps every member; by default an article may unpack to ``MAX_MEMBER_BYTES`` and a PDF
    or Word report to ``MAX_REPORT_MEMBER_BYTES``, as when each is uploaded alone.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError(f"{name}: not a readable .zip archive ({exc}); re-create the archive") from None
    out = Unpacked()
    total = 0
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > max_members:
            raise DocumentError(f"{name}: {len(infos)} files in the archive, over the limit of "
                                f"{max_members}; split it into smaller archives")
        for info in infos:
            member = info.filename
            base = PurePosixPath(member.replace("\\", "/")).name
            if base.startswith(".") or not base.lower().endswith(suffixes):
                out.problems.append((member, f"skipped: only {', '.join(suffixes)} files are read"))
                continue
            if _is_link(info):
                out.problems.append((member, "skipped: a link, not a file"))
                continue
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                # bzip2 and LZMA inflate a whole chunk at once, past any cap: refused, not read
                out.problems.append((member, "skipped: unsupported compression (only stored or deflated)"))
                continue
            if info.flag_bits & 0x1:
                out.problems.append((member, "skipped: encrypted; unpack it with its password first"))
                continue
            cap = max_member if max_member is not None else _member_cap(base)
            try:
                body = _read_capped(archive, info, min(cap, max_total - total))
            except _TooBig:
                limit = min(cap, max_total - total)
                out.problems.append((member, f"skipped: larger than {limit // (1024 * 1024)} MB unpacked"))
                if max_total - total < cap:
                    out.problems.extend((i.filename, "skipped: the archive's unpacked size limit was reached")
                                        for i in infos[infos.index(info) + 1:])
                    break
                continue
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
                out.problems.append((member, f"skipped: cannot be unpacked ({exc})"))
                continue
            total += len(body)
            out.members.append((member, body))
    return out


def _member_cap(base: str) -> int:
    """The unpacked size a member of this type may reach: a report more than an article."""
    return MAX_REPORT_MEMBER_BYTES if base.lower().endswith(REPORT_SUFFIXES) else MAX_MEMBER_BYTES


class _TooBig(Exception):
    """A member unpacked past its cap."""


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """A member's bytes, stopping as soon as they pass ``cap`` (the header's sizes can lie)."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            size += len(chunk)
            if size > cap:
                raise _TooBig
            chunks.append(chunk)
    return b"".join(chunks)


def _is_link(info: zipfile.ZipInfo) -> bool:
    """True for a symbolic link stored by a Unix zip (its mode in the high bits of external_attr)."""
    return (info.external_attr >> 16) & 0o170000 == 0o120000
