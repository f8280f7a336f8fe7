"""Arrivals become originals in the blob store and files of a production, queued for the worker.

Used by the CLI (paths) and by the upload endpoint (streams). A file that cannot be taken (not a PDF,
empty, an unsafe archive member, over a limit) is recorded on the production with its reason, and the
rest of the upload goes on.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO, cast

import structlog

from catalog.archives import (
    ArchiveBudgetExceeded,
    BoundedReader,
    Member,
    is_junk,
    walk_members,
)
from catalog.blobstore import BlobStore, BlobTooLarge, StoredBlob
from catalog.database import document_id_for
from catalog.diskfull import DISK_FULL_REASON, is_disk_full
from catalog.errors import NotFound
from catalog.limits import Limits
from catalog.models import ProductionFile
from catalog.protocols import IntakeCatalog
from catalog.sniff import HEAD_BYTES, Kind, describe, sniff

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class NotStored:
    """A file the server had no room for (and, on a full catalog disk, could not even record)."""

    name: str
    reason: str


@dataclass
class IntakeReport:
    accepted: list[ProductionFile] = field(default_factory=list)
    rejected: list[ProductionFile] = field(default_factory=list)
    not_stored: list[NotStored] = field(default_factory=list)

    @property
    def files(self) -> list[ProductionFile]:
        return self.accepted + self.rejected


class _Prefixed:
    """The bytes already read to sniff the type, followed by the rest of the stream."""

    def __init__(self, head: bytes, rest: IO[bytes] | BoundedReader) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:size], self._head[size:]
            return data
        return self._rest.read(size)


class Intake:
    def __init__(
        self, catalog: IntakeCatalog, blobs: BlobStore, production_id: str, limits: Limits, spool_dir: Path
    ) -> None:
        self.catalog = catalog
        self.blobs = blobs
        self.production_id = production_id
        self.limits = limits
        self.spool_dir = spool_dir
        self.report = IntakeReport()

    # -- entry points ---------------------------------------------------------------------------

    def add_paths(self, paths: Iterable[Path]) -> IntakeReport:
        for path in paths:
            self.add_path(path)
        return self.report

    def add_path(self, path: Path, shown: str | None = None) -> None:
        name = shown or path.name
        if path.is_symlink():
            self._reject(name, "symbolic link not followed")
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if is_junk(child.name):
                    continue
                self.add_path(child, f"{name}/{child.name}")
        elif path.is_file():
            with path.open("rb") as stream:
                self.add_stream(name, stream)
        else:
            self._reject(name, "not a regular file or directory" if path.exists() else "no such file")

    def add_stream(self, name: str, stream: IO[bytes] | BoundedReader, depth: int = 0) -> None:
        try:
            head = stream.read(HEAD_BYTES)
        except (zipfile.BadZipFile, zlib.error, ArchiveBudgetExceeded, OSError, EOFError) as exc:
            self._reject(name, f"could not be read: {exc}")
            return
        kind = sniff(head)
        if kind is Kind.EMPTY:
            self._reject(name, "empty file")
        elif kind is Kind.OTHER:
            self._reject(name, f"not a PDF or zip archive: looks like {describe(head)}")
        elif kind is Kind.PDF:
            self._store_pdf(name, _Prefixed(head, stream))
        elif depth >= self.limits.max_archive_depth:
            self._reject(name, f"archive nested more than {self.limits.max_archive_depth} levels deep")
        else:
            self._expand_zip(name, _Prefixed(head, stream), depth)

    # -- kinds ----------------------------------------------------------------------------------

    def _store_pdf(self, name: str, stream: _Prefixed) -> None:
        try:
            blob = self.blobs.put_stream(cast(BinaryIO, stream), max_bytes=self.limits.max_file_bytes)
        except BlobTooLarge as exc:
            self._reject(name, f"file is {exc}")
            return
        except (zipfile.BadZipFile, zlib.error, ArchiveBudgetExceeded, EOFError) as exc:
            self._reject(name, f"could not be read from its archive: {exc}")
            return
        except OSError as exc:
            if not is_disk_full(exc):
                raise
            self._not_stored(name, exc)
            return
        try:
            record = self.catalog.productions.add_file(self.production_id, name, blob)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            self._discard_unrecorded(blob)
            self._not_stored(name, exc)
            return
        self.report.accepted.append(record)
        log.info("file_accepted", file=name, sha256=blob.sha256, size=blob.size, status=record.status.value)

    def _expand_zip(self, name: str, stream: _Prefixed, depth: int) -> None:
        # zipfile needs to seek; spool the archive to disk (never to memory), bounded by the file limit.
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        fd, spool_name = tempfile.mkstemp(dir=self.spool_dir, prefix="archive-", suffix=".zip")
        spool = Path(spool_name)
        try:
            try:
                with os.fdopen(fd, "wb") as out:
                    copied = _copy_bounded(stream, out, self.limits.max_file_bytes)
            except (zipfile.BadZipFile, zlib.error, ArchiveBudgetExceeded, EOFError) as exc:
                self._reject(name, f"could not be read from its archive: {exc}")
                return
            except OSError as exc:
                if not is_disk_full(exc):
                    raise
                self._not_stored(name, exc)
                return
            if copied is None:
                self._reject(name, f"archive is larger than the limit of {self.limits.max_file_bytes} bytes")
                return
            try:
                archive = zipfile.ZipFile(spool)
            except (zipfile.BadZipFile, OSError) as exc:
                self._reject(name, f"corrupt zip archive: {exc}")
                return
            with archive:
                self._expand_members(name, archive, depth)
        finally:
            spool.unlink(missing_ok=True)

    def _expand_members(self, name: str, archive: zipfile.ZipFile, depth: int) -> None:
        budget = self.limits.max_archive_total_bytes
        for item in walk_members(archive, self.limits):
            shown = f"{name}/{item.name}" if item.name else name
            if not isinstance(item, Member):
                self._reject(shown, item.reason)
                continue
            if budget <= 0:
                self._reject(shown, "archive expands past its total size limit: treated as a zip bomb")
                continue
            try:
                raw = archive.open(item.info)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as exc:
                self._reject(shown, f"archive member cannot be read: {exc}")
                continue
            allowed = min(self.limits.max_file_bytes, budget)
            bounded = BoundedReader(raw, allowed, what=f"member {item.name}")
            with raw:
                self.add_stream(shown, bounded, depth + 1)
            budget -= item.info.file_size

    def _reject(self, name: str, reason: str) -> None:
        try:
            record = self.catalog.productions.reject_file(self.production_id, name, reason)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            self._not_stored(name, exc)
            return
        self.report.rejected.append(record)
        log.warning("file_rejected", file=name, reason=reason)

    def _not_stored(self, name: str, exc: BaseException) -> None:
        self.report.not_stored.append(NotStored(name, DISK_FULL_REASON))
        log.error("file_not_stored", file=name, reason="disk full", error=str(exc))

    def _discard_unrecorded(self, blob: StoredBlob) -> None:
        """An original this call stored but the catalog could not record is removed, unless another upload
        of the same content recorded it meanwhile (then it is that one's original)."""
        if not blob.created:
            return
        try:
            self.catalog.documents.get_document(document_id_for(blob.sha256))
            return
        except NotFound:
            pass
        except Exception:  # the catalog cannot even be read: keep it (foia check lists it as an orphan)
            return
        self.blobs.discard(blob.sha256)


def _copy_bounded(src: _Prefixed, dst: IO[bytes], limit: int) -> int | None:
    total = 0
    while chunk := src.read(1 << 20):
        total += len(chunk)
        if total > limit:
            return None
        dst.write(chunk)
    return total


def remove_spool(spool_dir: Path) -> None:
    shutil.rmtree(spool_dir, ignore_errors=True)
