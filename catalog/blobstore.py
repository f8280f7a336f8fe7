"""Originals stored once, by sha256, behind a small interface.

The local store is a content-addressed folder: ``ab/cd/<sha256>``. Writes go to a temporary file in the
same folder and are renamed into place after fsync, so a crash never leaves a half-written original under
its final name, and two writers of the same content simply race to the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 1 << 20


class BlobTooLarge(Exception):
    """The stream was longer than the caller allowed; nothing was stored."""


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool = False  # this call stored it (it was not there before)


class BlobStore(Protocol):
    def put_stream(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob: ...

    def put_file(self, path: Path) -> StoredBlob: ...

    def path(self, sha256: str) -> Path:
        """A local path to the original (the worker opens PDFs by path)."""
        ...

    def exists(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def iter_hashes(self) -> Iterator[str]: ...

    def discard(self, sha256: str) -> None:
        """Remove an original nothing refers to (one this process stored but could not record)."""
        ...


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "tmp").mkdir(exist_ok=True)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def put_file(self, path: Path) -> StoredBlob:
        with path.open("rb") as stream:
            return self.put_stream(stream)

    def put_stream(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob:
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root / "tmp", prefix="upload-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise BlobTooLarge(f"larger than the limit of {max_bytes} bytes")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path(sha)
            created = not final.exists()
            if created:
                final.parent.mkdir(parents=True, exist_ok=True)
                tmp.replace(final)
            else:
                tmp.unlink()
            return StoredBlob(sha256=sha, size=size, created=created)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def discard(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def iter_hashes(self) -> Iterator[str]:
        for path in self.root.glob("??/??/*"):
            if len(path.name) == 64:
                yield path.name
