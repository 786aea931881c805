"""Reading a local file that someone else named: a claims file's statement, a file of the
snapshot store. What names it may be written by anyone (a claims file in a pull request, a
store's index), so the file must stay in the folder it belongs to (:func:`resolve_within`: links
followed first, so that neither ``../`` nor a link leads out) and be a regular file of bounded
size (:func:`read_regular_file`: never a device such as ``/dev/zero``, which never ends, nor a
FIFO, whose reading waits for a writer).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["read_regular_file", "resolve_within"]

_CHUNK = 1 << 20


def resolve_within(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> Path:
    """``path`` with every link resolved, when that is in the folder ``root`` (resolved too) or
    below it; else :class:`PermissionError` naming both. A path that does not exist is
    resolved as far as it goes (a file about to be written)."""
    resolved = Path(os.path.realpath(path))
    base = Path(os.path.realpath(root))
    if not resolved.is_relative_to(base):
        raise PermissionError(f"{resolved} is outside {base}")
    return resolved


def read_regular_file(
    path: str | os.PathLike[str], *, max_bytes: int, resolved: bool = False
) -> bytes:
    """The bytes of the regular file ``path`` (links followed): :class:`OSError` when it is
    anything else (a device, a FIFO, a folder), or larger than ``max_bytes``, or cannot be read.

    The file is opened by its resolved name, without following a link there (one put in its
    place since) and without blocking, and what was opened is checked, not what the name named
    a moment earlier; then at most ``max_bytes`` + 1 bytes are read, for a file that grows while
    it is read. With ``resolved``, the caller has resolved the links of ``path`` already (a
    snapshot store, for each of its files), and it is not resolved again.
    """
    name = os.fspath(path) if resolved else os.path.realpath(path)
    if not stat.S_ISREG(os.stat(name).st_mode):
        raise OSError(f"{path} is not a regular file")
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
    descriptor = os.open(name, flags)
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            raise OSError(f"{path} is not a regular file")
        if opened.st_size > max_bytes:
            raise OSError(f"{path} is larger than {max_bytes:,} bytes")
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(descriptor, min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise OSError(f"{path} is larger than {max_bytes:,} bytes")
        return b"".join(chunks)
    finally:
        os.close(descriptor)
