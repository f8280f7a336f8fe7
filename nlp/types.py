"""What `nlp/` hands back for a page: plain data, no spaCy objects."""

from __future__ import annotations

from dataclasses import dataclass, field

# Entity types. The gazetteer's four; the statistical NER's organizations are typed vendor, agency or
# organization by their context (nlp/orgtype.py), its people are "person". A mirror of the search field
# registry's entity fields (search/fields.py; nlp imports nothing of ours): tests/nlp/test_entity_types.py
# fails when the two differ, and the indexer refuses a type the registry does not declare.
ENTITY_TYPES: tuple[str, ...] = ("vendor", "product", "technology", "agency", "organization", "person")


@dataclass(frozen=True)
class Mention:
    entity_id: str  # stable id: gazetteer id ("vendor:cellebrite") or "organization:<normalized key>"
    entity_type: str  # one of ENTITY_TYPES
    name: str  # canonical name
    start: int  # character offsets into the page text
    end: int
    text: str  # the text as matched on the page
    # For an office, center or division: the agency it belongs to, where the text says so ("FDA's Center
    # for ...") or the gazetteer does. A search for the agency can take in its offices through it.
    parent_id: str | None = None


@dataclass(frozen=True)
class ExemptionMention:
    code: str  # normalized: "b6", "b7C", or a state citation such as "IL 7(1)(c)"
    kind: str  # "federal" or "state"
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DateMention:
    iso: str  # "2019-06-30"
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PageFacts:
    mentions: tuple[Mention, ...] = ()
    exemptions: tuple[ExemptionMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    bates: str | None = None  # normalized page stamp, e.g. "FBI-000123"


@dataclass(frozen=True)
class DocumentDate:
    iso: str | None  # None when neither the text nor the metadata gives one
    source: str  # "text:memo_date", "text:email_sent", "text:letter_date", "metadata:creation", "none", ...


@dataclass(frozen=True)
class EntityInfo:
    """One gazetteer entry, as the catalog stores it."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    vendor_id: str | None = None  # for a product: the vendor who sells it
    parent_id: str | None = None  # for an agency's office or center: the agency
    description: str = ""
    extra: dict[str, str] = field(default_factory=dict)
