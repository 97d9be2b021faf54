"""Reading the files a user names: regular files only, never more than a limit.

A FIFO, a socket or a device named on the command line (or swapped in while tfshift walks a
tree) would block a plain open() forever or stream without end, so files are opened
non-blocking and checked with fstat before a byte is read; what is not a regular file is one
line. Reads that go into memory whole (JSON documents, archive members) stop at a limit, so a
hostile file costs its limit, not the machine's memory.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tfshift.errors import TfshiftError

KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
         (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
         (stat.S_ISDIR, "a folder"))


class NotRegularFile(TfshiftError):
    """A path that is a FIFO, socket or device where a file is needed."""


class TooLarge(TfshiftError):
    """A file or archive member larger than tfshift reads into memory."""


def special_kind(mode: int) -> str | None:
    """What a file of this st_mode is, when it is not a regular file; None for a regular one."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in KINDS if test(mode)), "not a regular file")


def check_regular(path: str | os.PathLike[str]) -> None:
    """NotRegularFile unless `path` (followed through links) is a regular file or a folder."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing or unreadable: the caller's own message says so
    kind = special_kind(mode)
    if kind is not None and not stat.S_ISDIR(mode):
        raise NotRegularFile(f"{path}: {kind}, not a file; tfshift reads regular files and folders")


def read_bytes(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The whole file, opened without blocking and checked to be regular; TooLarge past
    `limit` bytes (read no further than that)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, "rb", closefd=True) as fh:
        info = os.fstat(fd)
        kind = special_kind(info.st_mode)
        if kind is not None:
            raise NotRegularFile(f"{path}: {kind}, not a file; tfshift reads regular files and folders")
        if limit is not None and info.st_size > limit:
            raise TooLarge(f"{path}: {_size(info.st_size)}, over the {_size(limit)} tfshift reads "
                           "into memory for it (a damaged or hostile file?)")
        data = fh.read() if limit is None else fh.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise TooLarge(f"{path}: over the {_size(limit)} tfshift reads into memory for it")
    return data


def read_member(zf, name: str, limit: int, where: str | Path) -> bytes:
    """A zip member, read whole but never past `limit` bytes (whatever its header claims)."""
    info = zf.getinfo(name)
    if info.file_size > limit:
        raise TooLarge(f"{where}: {name} inside it unpacks to {_size(info.file_size)}, over the "
                       f"{_size(limit)} tfshift reads into memory for it (a zip bomb?)")
    with zf.open(info) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{where}: {name} inside it unpacks past {_size(limit)} (a zip bomb?)")
    return data


def check_archive(zf, where: str | Path, *, max_members: int = 100_000,
                  max_total: int = 64 << 30) -> None:
    """TooLarge or NotRegularFile-like errors for an archive no one should unpack: member names
    that climb out of the folder it unpacks into (zip-slip: absolute, `..`, drive letters,
    backslashes), the same name twice (which one a reader takes differs), too many members, or
    more than `max_total` bytes unpacked in all."""
    infos = zf.infolist()
    if len(infos) > max_members:
        raise TooLarge(f"{where}: {len(infos)} members in one archive (a zip bomb?)")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        drive = len(name) > 2 and name[0].isalpha() and name[1] == ":" and name[2] in "/\\"
        if name.startswith(("/", "\\")) or "\\" in name or ".." in parts or drive:
            raise ArchivePathError(f"{where}: member {name!r} would unpack outside its folder "
                                   "(zip-slip); refusing the archive")
        if name in seen:
            raise ArchivePathError(f"{where}: member {name!r} appears twice; refusing the archive")
        seen.add(name)
        total += info.file_size
    if total > max_total:
        raise TooLarge(f"{where}: unpacks to {_size(total)} in all (a zip bomb?)")


class ArchivePathError(TfshiftError):
    """An archive whose member names are unsafe to unpack."""


def _size(n: int) -> str:
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.3g} {unit}"
    return f"{n} bytes"
