"""What the detector says about a page's redactions: its boxes with their codes, stamp and context."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.redactions.geometry import Rect


@dataclass(frozen=True)
class DetectedBox:
    rect: Rect
    source: str  # "text_layer" | "image"
    codes: tuple[str, ...] = ()
    label: str = ""  # the stamp only (nlp.stamps.stamp_label): never a word the box hides
    # Text-layer words still under the box (a failed redaction): flags the box, and goes no further
    # than this object (ingest/process.py stores the flag, never the words).
    leaked_text: str | None = None
    context: str = ""  # the visible words around the box: "... Contact [box] at ..."


@dataclass(frozen=True)
class PageRedactions:
    boxes: tuple[DetectedBox, ...]
    redacted_share: float  # share of the page's text area under boxes, 0..1

    @property
    def failed(self) -> bool:
        return any(b.leaked_text for b in self.boxes)
