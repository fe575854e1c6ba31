"""Downloads made by a click survive other readers' reruns (a Streamlit 1.67 race found by the load test)."""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from dashboard import media_grace


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        """The current fake time."""
        return self.now


def _clicked_download(manager: MediaFileManager, storage: MemoryMediaFileStorage) -> str:
    """Register a deferred CSV as a download button does, click it, and return the stored file's name."""
    placeholder = manager.add_deferred(lambda: b"a,b\r\n1,2\r\n", "text/csv", "coords-1", "x.csv")
    url = manager.execute_deferred(placeholder)
    name = url.rsplit("/", 1)[-1]
    assert storage.get_file(name).content == b"a,b\r\n1,2\r\n"
    return name


def _sweep(manager: MediaFileManager, times: int = 2) -> None:
    """What the end of ``times`` other sessions' script runs does to unreferenced files."""
    for _ in range(times):
        manager.remove_orphaned_files()


def test_without_protection_two_reruns_delete_the_file() -> None:
    """The race itself: the control that shows the other tests measure something."""
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    name = _clicked_download(manager, storage)
    _sweep(manager)
    with pytest.raises(MediaFileStorageError):
        storage.get_file(name)


def test_protected_file_outlives_reruns_then_goes() -> None:
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    clock = Clock()
    assert media_grace.protect(manager, clock=clock, grace=60)
    name = _clicked_download(manager, storage)
    _sweep(manager, times=5)
    assert storage.get_file(name).content.startswith(b"a,b")
    clock.now += 61
    _sweep(manager)
    with pytest.raises(MediaFileStorageError):
        storage.get_file(name)


def test_protect_is_idempotent_and_clicks_still_regenerate() -> None:
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    assert media_grace.protect(manager) and media_grace.protect(manager)
    first = _clicked_download(manager, storage)
    second = _clicked_download(manager, storage)
    assert storage.get_file(first).content == storage.get_file(second).content


def test_an_unknown_manager_is_left_alone() -> None:
    class Other:
        """A media manager without the methods the workaround wraps."""

    other = Other()
    assert media_grace.protect(other) is False
    assert not hasattr(other, "_microdrama_grace")


def test_outside_a_server_nothing_is_patched() -> None:
    assert media_grace.protect_runtime() is False
