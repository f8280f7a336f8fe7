"""Writing the redaction analytics tables (catalog/analytics.py): a document's boxes, page marks and
near-duplicate bands inside the job queue's complete_document transaction (catalog/jobs.py), and
rewriting stored labels."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from catalog.analytics import BANDS, band_buckets, encode_signature, page_bands, page_marks, redaction_boxes
from catalog.models import DocumentResult, PageMark, RedactionBox


def store_document_analytics(conn: Connection, document_id: str, result: DocumentResult, replace: bool = True) -> None:
    """The result's boxes, marks and bands; with `replace`, the document's stored ones go first (a page
    retry deletes only its pages' rows itself: catalog/retries.py)."""
    if replace:
        for table in (redaction_boxes, page_marks, page_bands):
            conn.execute(delete(table).where(table.c.document_id == document_id))
    if result.redaction_boxes:
        conn.execute(insert(redaction_boxes), [_box_row(document_id, b) for b in result.redaction_boxes])
    if result.page_marks:
        conn.execute(insert(page_marks), [_mark_row(document_id, m) for m in result.page_marks])
        bands = [
            {"band": band, "bucket": bucket, "document_id": document_id, "page_number": m.page_number}
            for m in result.page_marks
            if m.minhash
            for band, bucket in dict.fromkeys(band_buckets(m.minhash, BANDS))
        ]
        if bands:
            conn.execute(insert(page_bands), bands)


def relabel_boxes(conn: Connection, relabel: Callable[[str, str], str]) -> int:
    """Rewrite every stored box label as `relabel(label, source)` gives it; returns how many changed.
    Labels written before they held only the stamp may carry the words a failed redaction left under
    the box (ingest/reanalyze.py passes the stamp reader)."""
    rows = conn.execute(
        select(redaction_boxes.c.id, redaction_boxes.c.label, redaction_boxes.c.source).where(
            redaction_boxes.c.label != ""
        )
    ).all()
    changed = [{"box_id": r.id, "new_label": new} for r in rows if (new := relabel(r.label, r.source)) != r.label]
    if changed:
        conn.execute(
            update(redaction_boxes)
            .where(redaction_boxes.c.id == bindparam("box_id"))
            .values(label=bindparam("new_label")),
            changed,
        )
    return len(changed)


def _box_row(document_id: str, b: RedactionBox) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "page_number": b.page_number,
        "x0": round(b.x0, 2),
        "y0": round(b.y0, 2),
        "x1": round(b.x1, 2),
        "y1": round(b.y1, 2),
        "source": b.source,
        "codes": json.dumps(list(b.codes)),
        "label": b.label,
        "context": b.context,
        "leaked": b.leaked,
    }


def _mark_row(document_id: str, m: PageMark) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "page_number": m.page_number,
        "kind": m.kind,
        "redacted_share": m.redacted_share,
        "failed_redaction": m.failed_redaction,
        "minhash": encode_signature(m.minhash) if m.minhash else None,
    }
