"""One sender at a time, across threads and processes: an OS file lock in the data dir.

``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows. Both locks belong to an open file
and are released by the operating system when the process dies (even on SIGKILL or a
crash), so a killed program never leaves the lock behind. A thread lock in front makes two
threads of one process exclude each other too.
"""
from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Iterator

if os.name == "nt":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


SENDER_LOCK_FILE = "outbox.lock"


def sender_lock_for(outbox_path: str | os.PathLike[str]) -> "SenderLock":
    """The one lock every copy of the program uses for the outbox at ``outbox_path``."""
    return SenderLock(Path(outbox_path).parent / SENDER_LOCK_FILE)


class SenderLock:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False when another thread or process holds it."""
        if not self._thread_lock.acquire(blocking=False):
            return False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            self._thread_lock.release()
            raise
        if not _try_lock(fd):
            os.close(fd)
            self._thread_lock.release()
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)
            self._thread_lock.release()

    @contextlib.contextmanager
    def hold(self) -> Iterator[bool]:
        acquired = self.acquire()
        try:
            yield acquired
        finally:
            if acquired:
                self.release()
