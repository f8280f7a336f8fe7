"""A document's title, as each reader may see it.

One original can be linked into productions of several matters, each link under the name its uploader
chose. The PDF's own /Title belongs to the record itself and is shown to everyone who may see the
document; a title made from a file name belongs to the link it came from and is shown only to readers of
that link's collection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from catalog.models import Production

# Shorter /Title values are placeholders ("1", "Doc", "-") more often than titles.
MIN_TITLE_CHARS = 4


def metadata_title(pdf_metadata: Mapping[str, str]) -> str | None:
    """The PDF's own /Title when it is usable, else None."""
    title = str(pdf_metadata.get("Title", "") or "").strip()
    return title if len(title) >= MIN_TITLE_CHARS else None


def title_from_name(name: str) -> str:
    """The file name without folders and extension: `2019/Rekognition memo.pdf` -> `Rekognition memo`."""
    stem = name.rsplit("/", 1)[-1]
    return stem.rsplit(".", 1)[0] if "." in stem else stem


def shown_name(name: str) -> str:
    """The file name without the folders it was uploaded from."""
    return name.rsplit("/", 1)[-1]


def reader_title(own_title: str | None, visible_names: Sequence[str]) -> str | None:
    """The PDF's own title, else the title of the reader's first link (`visible_names`: the names the
    document has in the reader's productions, oldest first)."""
    if own_title:
        return own_title
    return title_from_name(visible_names[0]) if visible_names else None


@dataclass(frozen=True)
class DocumentLink:
    """What one production calls a document: the names its readers (and only they) may see."""

    collection_id: str
    production_id: str
    production_name: str
    file_name: str  # without folders
    title: str  # the PDF's own /Title, else the title made from this link's file name, else the id


def document_links(
    document_id: str, own_title: str | None, links: Sequence[tuple[Production, str]]
) -> list[DocumentLink]:
    """Each link (production, uploaded name; oldest first) with the names it gives the document."""
    return [
        DocumentLink(p.collection_id, p.id, p.name, shown_name(name), reader_title(own_title, [name]) or document_id)
        for p, name in links
    ]
