"""Atomic file writes: a file is either as it was or complete, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

__all__ = ["fsync_directory", "replace_file", "write_atomically"]


def fsync_directory(directory: Path) -> None:
    """Flush ``directory`` to disk (a file created or renamed in it is there after a power
    cut); nothing where the filesystem does not let a folder be opened."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_atomically(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so that ``path`` is either absent, as before, or complete.
    With ``sync`` (the default) the file and its folder are flushed to disk, so that this holds
    after a power cut too; without, after a crash of the process only."""
    replace_file(path, data, sync=sync)
    if sync:
        fsync_directory(path.parent)


def replace_file(path: Path, data: bytes | Iterable[bytes], *, sync: bool) -> None:
    """Write ``data`` (bytes, or chunks of them written as they come) under a temporary name
    (flushed to disk with ``sync``) and rename it to ``path``; the folder is not flushed."""
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=".tmp-", suffix=path.suffix, delete=False
    ) as handle:
        temporary = Path(handle.name)
        try:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for chunk in data:
                    handle.write(chunk)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
            os.chmod(handle.name, 0o644)  # temporary files are private; the store's are not
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
