"""The writers' lock of a database file and the store's errors: the lowest piece of metrics/data,
used by the build, the writer and the store alike."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from pathlib import Path

from metrics.core.bahasa import t


class StoreError(RuntimeError):
    """The database cannot be built or opened; the message says why, in the active language."""


class WriterBusy(StoreError):
    """Another writer held the lock longer than TIRU_LOCK_TIMEOUT; nothing was written."""


LOCK_TIMEOUT = 60.0  # seconds a writer waits for another one (TIRU_LOCK_TIMEOUT)


def lock_timeout() -> float:
    """TIRU_LOCK_TIMEOUT: how long a writer waits for the lock before it gives up (seconds)."""
    raw = os.environ.get("TIRU_LOCK_TIMEOUT", "").strip()
    if not raw:
        return LOCK_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:
        raise StoreError(t("basisdata.kunci_pengaturan", nilai=raw))
    return value


def lock_path(db_path: Path) -> Path:
    return Path(db_path).with_name(f".{Path(db_path).name}.lock")


def _holder(lock) -> str:
    """The pid the holder wrote into the lock file ("?" when it wrote none)."""
    lock.seek(0)
    return lock.read(32).strip() or "?"


@contextlib.contextmanager
def writers_lock(db_path: Path):
    """Exclusive lock of the database's writers (builds, writes, backups, restores).

    The holder writes its pid into the lock file. A writer that finds the lock taken says so
    and waits at most TIRU_LOCK_TIMEOUT seconds (a holder that was stopped or hangs would make
    it wait forever), then gives up with WriterBusy naming the holder's pid; nothing written."""
    path = lock_path(db_path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # never truncate: the holder's pid is in it
    with os.fdopen(fd, "r+", encoding="ascii", errors="replace") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            timeout = lock_timeout()
            print(t("basisdata.menunggu_penulis", nama=Path(db_path).name, pid=_holder(lock), detik=f"{timeout:g}"),
                  file=sys.stderr, flush=True)
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise WriterBusy(t("basisdata.kunci_habis", pid=_holder(lock), nama=Path(db_path).name,
                                           detik=f"{timeout:g}", kunci=path)) from None
                    time.sleep(0.05)
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        try:
            yield
        finally:
            lock.seek(0)
            lock.truncate()
            lock.flush()
