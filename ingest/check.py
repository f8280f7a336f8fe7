"""`foia check`: catalog <-> blob store <-> search index consistency, and the repairs that are safe.

What is checked, and what is done about it (with repair on):
- a document whose original is missing from the blob store: reported (nothing can bring it back);
- an original whose size differs from the catalog's: reported as damaged;
- a done document with fewer pages than it should have: queued again, when its original exists;
- a done document whose indexed pages differ from its catalog pages (missing, extra, twice): re-indexed;
- a done document with a page whose productions or collections in the index differ from the catalog's
  (a link the index never got, a link removed, a hand-edited index): re-indexed from the catalog;
- index entries of documents that are not done in the catalog (or unknown): removed from the index;
- originals no document refers to (orphans): reported, kept (deleting evidence is a person's decision);
- temporary files left by a crash mid-upload: removed once they are older than `stale_seconds`.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from catalog.blobstore import BlobStore
from catalog.models import Document, DocumentStatus
from catalog.protocols import DocumentReader
from search.backend import SearchRequest
from search.records import PageRecord

Scope = tuple[frozenset[str], frozenset[str]]  # a page's production ids and collection ids


class Requeue(Protocol):
    def requeue(self, document_id: str) -> None: ...


class CheckedCatalog(Protocol):
    """What `foia check` reads of the catalog, and its one repair there: queueing a document again."""

    @property
    def documents(self) -> DocumentReader: ...
    @property
    def jobs(self) -> Requeue: ...


class IndexReader(Protocol):
    def iter_hits(self, request: SearchRequest) -> Iterator[Any]: ...

    def delete_document(self, document_id: str) -> None: ...

    def commit(self) -> None: ...


class DocumentIndexer(Protocol):
    def records_for(self, document_id: str) -> list[PageRecord]: ...

    def index_document(self, document_id: str) -> int: ...


@dataclass
class CheckReport:
    documents: int = 0
    indexed_pages: int = 0
    originals_missing: list[str] = field(default_factory=list)
    originals_damaged: list[str] = field(default_factory=list)
    requeued: list[str] = field(default_factory=list)
    reindexed: list[str] = field(default_factory=list)
    rescoped: list[str] = field(default_factory=list)
    removed_from_index: list[str] = field(default_factory=list)
    orphan_blobs: list[str] = field(default_factory=list)
    stale_temp_files: list[str] = field(default_factory=list)
    needs_repair: list[str] = field(default_factory=list)  # found with repair off

    @property
    def problems_left(self) -> int:
        """What a person still has to look at (repairs already done do not count)."""
        return len(self.originals_missing) + len(self.originals_damaged) + len(self.needs_repair)

    @property
    def exit_code(self) -> int:
        return 1 if self.problems_left else 0

    def lines(self) -> list[str]:
        out = [f"checked {self.documents} documents, {self.indexed_pages} indexed pages"]
        for label, items in (
            ("original missing", self.originals_missing),
            ("original damaged (size differs)", self.originals_damaged),
            ("queued again (pages missing)", self.requeued),
            ("re-indexed", self.reindexed),
            ("re-indexed (productions or collections differ from the catalog)", self.rescoped),
            ("removed from the index (not a done document)", self.removed_from_index),
            ("orphan original (no document; kept)", self.orphan_blobs),
            ("stale temporary file removed", self.stale_temp_files),
            ("needs repair (run without --no-repair)", self.needs_repair),
        ):
            out.extend(f"{label}: {item}" for item in items)
        out.append("consistent" if not self.problems_left else f"{self.problems_left} problem(s) need a person")
        return out


@dataclass
class IndexedPages:
    counts: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    scopes: dict[str, dict[int, set[Scope]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))


def read_index(index: IndexReader) -> IndexedPages:
    """Every (document, page) the index holds, counted (a page indexed twice counts 2), with the
    productions and collections each copy carries."""
    found = IndexedPages()
    for hit in index.iter_hits(SearchRequest(query="")):
        found.counts[hit.document_id][hit.page_number] += 1
        found.scopes[hit.document_id][hit.page_number].add(
            (frozenset(hit.production_ids), frozenset(hit.collection_ids))
        )
    return found


def index_pages(index: IndexReader) -> dict[str, Counter[int]]:
    return read_index(index).counts


def run_check(
    catalog: CheckedCatalog,
    blobs: BlobStore,
    index: IndexReader,
    indexer: DocumentIndexer,
    *,
    repair: bool = True,
    stale_seconds: float = 3600.0,
) -> CheckReport:
    report = CheckReport()
    found = read_index(index)
    indexed = found.counts
    report.indexed_pages = sum(sum(c.values()) for c in indexed.values())
    searchable: set[str] = set()  # done documents with all their pages
    hashes: set[str] = set()
    for document in catalog.documents.iter_documents():
        report.documents += 1
        hashes.add(document.sha256)
        in_index = (indexed.get(document.id), found.scopes.get(document.id, {}))
        if _check_document(catalog, blobs, indexer, document, in_index, report, repair):
            searchable.add(document.id)
    # Pending, failed, requeued or unknown documents must have nothing searchable.
    for document_id in sorted(set(indexed) - searchable):
        _act(report, repair, report.removed_from_index, document_id, lambda d=document_id: index.delete_document(d))
    if repair and report.removed_from_index:
        index.commit()
    report.orphan_blobs = sorted(set(blobs.iter_hashes()) - hashes)
    report.stale_temp_files = _stale_temp_files(blobs, stale_seconds, repair)
    return report


def _check_document(
    catalog: CheckedCatalog,
    blobs: BlobStore,
    indexer: DocumentIndexer,
    document: Document,
    in_index: tuple[Counter[int] | None, dict[int, set[Scope]]],
    report: CheckReport,
    repair: bool,
) -> bool:
    """Checks one document; True when it is done and complete (its pages belong in the index)."""
    has_original = blobs.exists(document.sha256)
    if not has_original:
        report.originals_missing.append(f"{document.id} (sha256 {document.sha256})")
    elif _size(blobs, document.sha256) != document.size:
        report.originals_damaged.append(f"{document.id} (sha256 {document.sha256})")
    if document.status is not DocumentStatus.DONE:
        return False
    # The records the index should hold: the one projection of the catalog that indexing itself uses.
    records = indexer.records_for(document.id)
    numbers = [r.page_number for r in records]
    expected = set(range(1, (document.page_count or len(numbers)) + 1))
    if set(numbers) != expected:
        if has_original:
            _act(report, repair, report.requeued, document.id, lambda: catalog.jobs.requeue(document.id))
            return False
        return True  # no original to process again: keep what there is searchable, reported above
    counts, scopes = in_index
    if counts is None or set(counts) != expected or any(n > 1 for n in counts.values()):
        _act(report, repair, report.reindexed, document.id, lambda: indexer.index_document(document.id))
    elif any(scopes.get(r.page_number) != {_scope(r)} for r in records):
        _act(report, repair, report.rescoped, document.id, lambda: indexer.index_document(document.id))
    return True


def _scope(record: PageRecord) -> Scope:
    return frozenset(record.production_ids), frozenset(record.collection_ids)


def _act(report: CheckReport, repair: bool, done: list[str], item: str, action: Any) -> None:
    if repair:
        action()
        done.append(item)
    else:
        report.needs_repair.append(f"{item} -> {_label(report, done)}")


def _label(report: CheckReport, bucket: list[str]) -> str:
    if bucket is report.requeued:
        return "queue again"
    if bucket is report.reindexed or bucket is report.rescoped:
        return "re-index"
    return "remove from index"


def _size(blobs: BlobStore, sha256: str) -> int:
    try:
        return blobs.path(sha256).stat().st_size
    except (OSError, NotImplementedError):
        return -1


def _stale_temp_files(blobs: BlobStore, stale_seconds: float, repair: bool) -> list[str]:
    root = getattr(blobs, "root", None)
    if root is None:
        return []
    stale = [p for p in _files(Path(root) / "tmp") if time.time() - p.stat().st_mtime > stale_seconds]
    if repair:
        for path in stale:
            path.unlink(missing_ok=True)
    return [str(p) for p in stale]


def _files(folder: Path) -> Iterable[Path]:
    return (p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else ()
