"""The field registry: the one declaration of what a page record carries for search.

Each row names one field of the query language, the API's search filters and the facets, with its
kind, what it is used for, its labels and how a page record projects into it. Everything else is
derived from here: the entity types (search.records), the facets and filters (search.index_fields,
search.backend), the query-language fields (search.query.fields), both engines' columns (the tantivy
schema and its version, the Elasticsearch/OpenSearch mapping, through search.page_columns), the API's
filter parameters and labels, and `GET /api/v1/fields`, which the browser UI reads.

Adding a keyword facet is one row here (kind "keyword", facet and filterable) plus its values in the
page records (`PageRecord.keywords[name]`, filled by the indexer); tests/search/test_field_registry.py
adds one and finds it counted, filtered and queried.

Pure data: imports nothing of ours at run time (search.records imports this module).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pragma: no cover
    from search.records import PageRecord

FieldKind = Literal["entity", "keyword", "date", "text", "number"]
# How a page record fills a field's columns (search.page_columns):
# - "entities": the facet column holds the document's entity ids of this type, the key column the keys
#   of the page's own (search.query.fields.entity_keys);
# - "links": names and ids of each production link, qualified per collection (search.link_names);
# - "values": the values `values_of` reads from the record, as the facet column and as keys;
# - "bates": the page's Bates number (keys, and series + number for ranges);
# - "date": the document date (day and calendar buckets; `year` is its year bucket);
# - "marks": the reviewers' marks of the field's own kind (`PageRecord.marks`), qualified per collection like
#   the links (search.marks), so another matter's marks never match, count or show.
Projection = Literal["entities", "links", "values", "bates", "date", "marks"]
# How a value becomes a match key: "slug" lowercases and folds punctuation runs to "-"; "code" drops
# punctuation entirely, so `(b)(7)(C)`, `b7C` and `b7c` are one exemption code.
KeyRule = Literal["slug", "code"]
ValuesOf = Callable[["PageRecord"], Sequence[str]]


@dataclass(frozen=True)
class Field:
    name: str  # the query-language field, the API filter parameter and the facet name
    kind: FieldKind
    label: str  # a facet's heading: "Vendors"
    label_one: str  # one value's kind: "Vendor" (an entity's type as the UI shows it)
    description: str
    projection: Projection
    facet: bool = False  # counted in search responses
    filterable: bool = False  # a search filter (API parameter, SearchRequest.filters)
    queryable: bool = True  # `name:value` in the query language
    ranges: bool = False  # `name:[a TO b]`
    key_rule: KeyRule = "slug"
    values_of: ValuesOf | None = None  # projection "values": the page's values (default: record.keywords)

    def values(self, record: PageRecord) -> Sequence[str]:
        """The values a "values" field holds on this page."""
        if self.values_of is not None:
            return self.values_of(record)
        return record.keywords.get(self.name, ())

    def declared(self) -> dict[str, object]:
        """What the index depends on (not the labels): the schema version is a hash of it."""
        return {
            "name": self.name,
            "kind": self.kind,
            "projection": self.projection,
            "facet": self.facet,
            "filterable": self.filterable,
            "queryable": self.queryable,
            "ranges": self.ranges,
            "key_rule": self.key_rule,
        }


class UnknownField(KeyError):
    """A name the registry does not declare."""


@dataclass(frozen=True)
class Fields:
    """The registry: rows in the order the UI lists them."""

    rows: tuple[Field, ...]

    def __post_init__(self) -> None:
        names = [f.name for f in self.rows]
        if len(set(names)) != len(names):
            raise ValueError(f"a field is declared twice: {names}")
        for f in self.rows:
            if f.facet and not f.filterable:
                raise ValueError(f"{f.name}: a facet is filterable (its values are clicked to filter)")
            if (f.projection == "entities") != (f.kind == "entity"):
                raise ValueError(f"{f.name}: entity fields, and only they, are projected from entities")

    def __iter__(self) -> Iterator[Field]:
        return iter(self.rows)

    def __contains__(self, name: object) -> bool:
        return any(f.name == name for f in self.rows)

    def __getitem__(self, name: str) -> Field:
        for f in self.rows:
            if f.name == name:
                return f
        raise UnknownField(name)

    def adding(self, *rows: Field) -> Fields:
        """This registry with more rows (a new field is one row)."""
        return Fields((*self.rows, *rows))

    def names(self, *, kind: FieldKind | None = None, projection: Projection | None = None) -> tuple[str, ...]:
        return tuple(
            f.name
            for f in self.rows
            if (kind is None or f.kind == kind) and (projection is None or f.projection == projection)
        )

    @property
    def entity_types(self) -> tuple[str, ...]:
        return self.names(kind="entity")

    @property
    def facets(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.rows if f.facet)

    @property
    def filterable(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.rows if f.filterable)

    @property
    def queryable(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.rows if f.queryable)

    @property
    def keyword_columns(self) -> tuple[str, ...]:
        """Filterable fields held as a keyword column of their values (`year` is an integer bucket)."""
        return tuple(f.name for f in self.rows if f.filterable and f.projection != "date")

    @property
    def key_fields(self) -> tuple[str, ...]:
        """Query fields matched through a column of keys (`<name>_key`): all but the date fields."""
        return tuple(f.name for f in self.rows if f.queryable and f.projection != "date")

    def version(self) -> str:
        """A short hash of what the index depends on: a changed row changes it, so an index built from
        another registry is never misread (search.tantivy_backend refuses it)."""
        text = json.dumps([f.declared() for f in self.rows], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]

    def public(self) -> list[dict[str, object]]:
        """The rows as `GET /api/v1/fields` serves them."""
        return [
            {
                "name": f.name,
                "kind": f.kind,
                "label": f.label,
                "label_one": f.label_one,
                "description": f.description,
                "facet": f.facet,
                "filterable": f.filterable,
                "queryable": f.queryable,
                "ranges": f.ranges,
            }
            for f in self.rows
        ]


def _exemptions(record: PageRecord) -> Sequence[str]:
    return record.exemptions


def _entity(name: str, label: str, label_one: str, description: str, *, facet: bool = True) -> Field:
    return Field(
        name, "entity", label, label_one, description, "entities", facet=facet, filterable=True, queryable=True
    )


FIELDS = Fields(
    (
        _entity("vendor", "Vendors", "Vendor", "Companies selling surveillance technology (gazetteer or context)."),
        _entity("product", "Products", "Product", "Named products, each with its vendor (gazetteer)."),
        _entity(
            "technology",
            "Technologies",
            "Technology",
            "Kinds of technology: face recognition, cell-site simulators, ...",
        ),
        _entity("agency", "Agencies", "Agency", "Government agencies and their offices."),
        _entity("organization", "Organizations", "Organization", "Other organizations named in the records."),
        # People are filterable and queryable, not counted per search (too many distinct values).
        _entity("person", "People", "Person", "People named in the records.", facet=False),
        Field(
            "production",
            "keyword",
            "Productions",
            "Production",
            "The productions a document was released in (the reader's own links).",
            "links",
            facet=True,
            filterable=True,
        ),
        Field(
            "exemption",
            "keyword",
            "Exemption codes",
            "Exemption code",
            "FOIA exemption codes claimed on the page: b6, b7C, state citations.",
            "values",
            facet=True,
            filterable=True,
            key_rule="code",
            values_of=_exemptions,
        ),
        Field(
            "bates",
            "keyword",
            "Bates numbers",
            "Bates number",
            "The page's Bates number; a prefix with *, or a range [FBI-000117 TO FBI-000120].",
            "bates",
            ranges=True,
        ),
        Field(
            "file",
            "keyword",
            "File names",
            "File name",
            "The file name the reader's production gives the document, whole or by its words.",
            "links",
        ),
        Field(
            "title",
            "text",
            "Titles",
            "Title",
            "Words of the document title (the reader's own titles), in any order.",
            "links",
        ),
        Field(
            "tag",
            "keyword",
            "Tags",
            "Tag",
            "Review tags of the reader's matter on the document or the page: hot, relevant, privileged, ...",
            "marks",
            facet=True,
            filterable=True,
        ),
        Field(
            "note",
            "text",
            "Notes",
            "Note",
            "Words of the reviewers' notes on the page the reader may see (shared in the matter, or their own),"
            " in any order.",
            "marks",
        ),
        Field(
            "date",
            "date",
            "Dates",
            "Date",
            "The document date: 2019, 2019-06, 2019-06-30 or a range [2018-01-01 TO 2019-06-30].",
            "date",
            ranges=True,
        ),
        Field(
            "year",
            "date",
            "Years",
            "Year",
            "The year of the document date.",
            "date",
            facet=True,
            filterable=True,
        ),
    )
)
