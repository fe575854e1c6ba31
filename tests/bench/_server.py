"""A real ``streamlit run`` of the dashboard on a free loopback port, and its memory sampled while it runs.

For bench scripts that drive the app from outside, e.g. ``with AppServer(env) as server: ... server.url``;
the server gets its own process group, so stopping it also stops what it started (kaleido's chromium).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
START_TIMEOUT = 120.0
_PAGE = os.sysconf("SC_PAGE_SIZE")


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` now (0 once it is gone), from /proc so no psutil is needed."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def peak_rss_bytes(pid: int) -> int:
    """The kernel's high-water mark of ``pid``'s resident memory (VmHWM), or 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` in the process tree (children, grandchildren...)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields after the last ")" are fixed.
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def start_time(pid: int) -> int | None:
    """When ``pid`` started (clock ticks after boot), to tell a process from a later one given its pid."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
        return int(stat[stat.rindex(b")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


@dataclass
class MemoryPeak:
    """Peak resident memory seen by a :class:`MemorySampler`: the server alone, and with its children."""

    server: int = 0
    tree: int = 0
    tree_processes: int = 1
    samples: int = 0


class MemorySampler(threading.Thread):
    """Samples the RSS of a process and of its process tree every ``interval`` seconds, keeping the peak."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        """Watch ``pid``; call ``start()`` to begin and ``stop()`` to end and read ``peak``."""
        super().__init__(name="rss-sampler", daemon=True)
        self.pid, self.interval, self.peak = pid, interval, MemoryPeak()
        self._done = threading.Event()

    def run(self) -> None:
        """Sample until stopped (the tree's total over-counts pages that processes share, e.g. libraries)."""
        while not self._done.is_set():
            self.sample()
            self._done.wait(self.interval)

    def sample(self) -> None:
        """One sample of the server's RSS and the total RSS of the server and its descendants."""
        own = rss_bytes(self.pid)
        others = descendants(self.pid)
        tree = own + sum(rss_bytes(p) for p in others)
        peak = self.peak
        peak.server, peak.samples = max(peak.server, own), peak.samples + 1
        if tree > peak.tree:
            peak.tree, peak.tree_processes = tree, 1 + len(others)

    def stop(self) -> MemoryPeak:
        """Stop sampling (after one last sample) and return the peak."""
        self._done.set()
        if self.is_alive():
            self.join(timeout=5)
        self.sample()
        return self.peak


class AppServer:
    """``streamlit run dashboard/app.py`` on 127.0.0.1 with ``env`` added, as a context manager."""

    def __init__(self, env: Mapping[str, str], log: Path, app_args: tuple[str, ...] = ()) -> None:
        """Prepare the command; nothing runs until ``start()`` (or ``with``)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env}
        self.log = log
        self.cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(self.port),
                    "--server.address", "127.0.0.1", "--server.headless", "true",
                    "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        if app_args:
            self.cmd += ["--", *app_args]
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = START_TIMEOUT) -> AppServer:
        """Start the server in its own process group and wait until its health endpoint answers."""
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_until_up(timeout)
        return self

    def wait_until_up(self, timeout: float) -> None:
        """Poll ``/_stcore/health`` until it answers 200; raise with the server's log if it dies or hangs."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with code {self.proc.returncode} before answering; "
                                   f"its log ({self.log}):\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"streamlit did not answer {self.url}/_stcore/health within {timeout:.0f} s "
                           f"(a slow machine? raise the timeout); its log ({self.log}):\n{self.log_text()}")

    def log_text(self) -> str:
        """What the server has printed so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        """Stop the server's process group and anything it started elsewhere, waiting for it to exit."""
        if self.proc is None or self.proc.poll() is not None:
            return
        # e.g. a chromium that kaleido put in a session of its own; kept with start times to skip reused pids
        strays = [(pid, start_time(pid)) for pid in descendants(self.proc.pid)]
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        for pid, started in strays:
            if started is None or start_time(pid) != started:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def __enter__(self) -> AppServer:
        """Start the server."""
        return self.start()

    def __exit__(self, *exc: object) -> None:
        """Always stop the server, whatever happened inside the ``with``."""
        self.stop()
