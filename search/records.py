"""The page record: the one shape every search backend indexes.

One record per page, carrying its document's fields, so every hit cites a page.
Built by the ingest side from catalog rows; engines never see catalog objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from search.fields import FIELDS

# Entity types carried on each page, as the field registry declares them (they are query fields too).
ENTITY_FIELDS: tuple[str, ...] = FIELDS.entity_types


@dataclass(frozen=True)
class LinkName:
    """What one production calls a document: each matter names a shared original its own way, and
    those names are matched and shown only to readers of that link's collection (search.link_names)."""

    collection_id: str
    production_id: str
    production_name: str
    file_name: str  # without folders
    title: str  # the PDF's own /Title, else the title made from this link's file name


@dataclass(frozen=True)
class Mark:
    """A reviewer's mark on a page, from the catalog (search.marks projects it): a tag of a collection
    (kind "tag", value the tag's name), or another kind of work product. `viewer`: the one reader the mark
    is for (None: every reader of the collection)."""

    collection_id: str
    kind: str
    value: str
    viewer: str | None = None


@dataclass(frozen=True)
class PageRecord:
    document_id: str
    page_number: int  # 1-based
    text: str
    links: tuple[LinkName, ...]  # oldest first; the document's productions and collections come from them
    document_date: dt.date | None
    bates: str | None
    bates_begin: str | None  # the document's first Bates number
    bates_end: str | None  # the document's last Bates number
    page_count: int
    exemptions: tuple[str, ...]  # normalized codes on this page: "b6", "b7C", "IL 7(1)(c)"
    # entity ids found on this page, keyed by ENTITY_FIELDS member
    entities: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # entity ids found anywhere in the document (document-level facets)
    document_entities: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # mentions on the page: entity id -> count (for timelines' mention counts)
    mention_counts: dict[str, int] = field(default_factory=dict)
    # canonical names of the entity ids above, when known: `vendor:"Clearview AI"` matches by name
    entity_names: dict[str, str] = field(default_factory=dict)
    # values of the registry's other "values" fields on this page: field name -> values (search.fields)
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the reviewers' marks on this page (its document's tags included), each within its collection
    marks: tuple[Mark, ...] = ()

    @property
    def production_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(link.production_id for link in self.links))

    @property
    def collection_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(link.collection_id for link in self.links))

    @property
    def page_id(self) -> str:
        return f"{self.document_id}:{self.page_number}"
