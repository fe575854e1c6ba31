"""Keep a download that a button has just generated alive until the browser has fetched it.

Streamlit 1.67 stores the file a deferred ``st.download_button(data=callable)`` makes without tying it
to any session, so the orphan sweep that ends *every* session's script run marks it, and the next sweep
deletes it. With several readers at once, two other reruns often finish before the clicking browser asks
for ``/media/<id>``, and it gets a 404 (seen in ``tests/bench/load_test.py``). This module wraps the
media file manager so that files made by a click are not orphans for ``GRACE_SECONDS``; afterwards the
normal sweep removes them. It touches two private methods: if they are gone in a later Streamlit, it
changes nothing and says so once in the log.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

GRACE_SECONDS = 120.0
_MEDIA_ID = re.compile(r"/([^/?#.]+)(?:\.[^/?#]*)?$")
_LOG = logging.getLogger(__name__)


def protect(manager: Any, clock: Callable[[], float] = time.monotonic, grace: float = GRACE_SECONDS) -> bool:
    """Wrap ``manager`` (a MediaFileManager) so clicked downloads outlive ``grace`` seconds of sweeps."""
    if getattr(manager, "_microdrama_grace", False):
        return True
    execute = getattr(manager, "execute_deferred", None)
    inactive = getattr(manager, "_get_inactive_file_ids", None)
    if execute is None or inactive is None:
        _LOG.warning("this Streamlit's media file manager has changed; downloads get no grace period")
        return False
    fresh: dict[str, float] = {}
    lock = threading.Lock()

    def execute_deferred(file_id: str) -> str:
        """Generate the file as Streamlit does, and remember when its real id was made."""
        url = execute(file_id)
        match = _MEDIA_ID.search(url)
        if match:
            with lock:
                fresh[match.group(1)] = clock()
        return url

    def get_inactive_file_ids() -> set[str]:
        """Streamlit's orphans, minus the files a click made less than ``grace`` seconds ago."""
        now = clock()
        with lock:
            for key in [k for k, made in fresh.items() if now - made > grace]:
                del fresh[key]
            young = set(fresh)
        return set(inactive()) - young

    manager.execute_deferred = execute_deferred
    manager._get_inactive_file_ids = get_inactive_file_ids
    manager._microdrama_grace = True
    return True


def protect_runtime() -> bool:
    """:func:`protect` the running server's media file manager; False outside a server (AppTest, bare)."""
    try:
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return False
        return protect(Runtime.instance().media_file_mgr)
    except Exception as exc:  # never let a workaround stop the app
        _LOG.warning("could not give downloads a grace period: %s", exc)
        return False
