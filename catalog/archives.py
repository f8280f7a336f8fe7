"""Walk zip archives safely: no path escapes, no links, no bombs, bounded nesting.

Nothing is ever extracted to a path taken from the archive: members are streamed straight into the
content-addressed blob store, so a member named ``../../etc/passwd`` cannot write anywhere. Such names
are still refused, because a production that contains them is hostile or broken and the user should know.
"""

from __future__ import annotations

import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from catalog.limits import Limits

JUNK_PARTS = {"__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini", ".git", ".svn"}


@dataclass(frozen=True)
class Member:
    name: str  # the member's name, decoded and normalised to forward slashes
    info: zipfile.ZipInfo


@dataclass(frozen=True)
class MemberProblem:
    name: str
    reason: str


def decode_name(info: zipfile.ZipInfo) -> str:
    # Without the UTF-8 flag, zipfile decodes names as cp437; keep that (it never fails) but make it
    # printable, so a non-UTF-8 name is shown as something rather than lost.
    return info.filename.replace("\\", "/")


def unsafe_name_reason(name: str) -> str | None:
    if "\x00" in name:
        return "member name contains a NUL byte"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "member has an absolute path"
    if ".." in PurePosixPath(name).parts:
        return "member path escapes the archive (contains '..')"
    return None


def is_junk(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(p in JUNK_PARTS or p.startswith("._") for p in parts)


def is_symlink(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def walk_members(archive: zipfile.ZipFile, limits: Limits) -> Iterator[Member | MemberProblem]:
    """Members worth reading, and the ones refused with their reason; junk is skipped silently."""
    infos = archive.infolist()
    if len(infos) > limits.max_archive_members:
        yield MemberProblem(
            name="",
            reason=f"archive has {len(infos)} members, more than the limit of {limits.max_archive_members}",
        )
        return
    seen: dict[str, int] = {}
    for info in infos:
        name = decode_name(info)
        if info.is_dir() or is_junk(name):
            continue
        # Duplicate names are legal in zip files; keep every copy, told apart by a counter.
        seen[name] = seen.get(name, 0) + 1
        shown = name if seen[name] == 1 else f"{name} (copy {seen[name]})"
        reason = unsafe_name_reason(name)
        if reason is None and is_symlink(info):
            reason = "member is a symbolic link"
        if reason is None and info.flag_bits & 0x1:
            reason = "member is encrypted"
        if reason is None and info.file_size > limits.max_file_bytes:
            reason = f"member is {info.file_size} bytes uncompressed, more than the limit of {limits.max_file_bytes}"
        if (
            reason is None
            and info.compress_size > 0
            and info.file_size / info.compress_size > limits.max_compression_ratio
        ):
            reason = (
                f"member expands {info.file_size / info.compress_size:.0f}x "
                f"(limit {limits.max_compression_ratio:.0f}x): treated as a zip bomb"
            )
        yield MemberProblem(shown, reason) if reason else Member(shown, info)


class BoundedReader:
    """A read-only stream that refuses to yield more than `budget` bytes, whatever the header said."""

    def __init__(self, raw: IO[bytes], budget: int, what: str) -> None:
        self._raw = raw
        self._left = budget
        self._budget = budget
        self._what = what

    def read(self, size: int = -1) -> bytes:
        want = self._left + 1 if size < 0 else min(size, self._left + 1)
        data = self._raw.read(want)
        self._left -= len(data)
        if self._left < 0:
            raise ArchiveBudgetExceeded(f"{self._what} expands past {self._budget} bytes: treated as a zip bomb")
        return data

    def close(self) -> None:
        self._raw.close()


class ArchiveBudgetExceeded(Exception):
    pass
