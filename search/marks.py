"""The reviewers' marks in the index: each page's marks as qualified keyword terms, per field.

A field of projection "marks" (search.fields) reads the marks of its own kind (`Mark.kind == field.name`)
and fills its facet column and its key column with terms qualified exactly as production links are
(search.link_names): once by the mark's collection (`col_1/hot`) and once by ALL_SCOPE, the scope of a
reader of every collection. A reader's filter, facet and `tag:` query look only at its own qualifiers, so
another matter's tags never match, count or show, even on a shared document.

The projection is keyed by mark kind (PROJECTORS): another kind of mark is one more entry. The engines
update these columns alone when marks change (SearchBackend.update_marks), so `mark_columns` names them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from search import index_fields as F
from search.fields import FIELDS, Field, Fields
from search.link_names import ALL_SCOPE, qualify
from search.note_marks import NOTE_KIND, note_terms
from search.query.fields import query_key
from search.records import Mark, PageRecord

TAG_KIND = "tag"  # the kind of mark a review tag is (catalog.tags)
# A mark kind's terms on one page: field, the page's marks of that kind -> column -> terms.
Projector = Callable[[Field, Sequence[Mark], Fields], dict[str, set[str]]]


def _scopes(mark: Mark) -> tuple[str, ...]:
    return (mark.collection_id, ALL_SCOPE)


def tag_terms(field: Field, marks: Sequence[Mark], fields: Fields) -> dict[str, set[str]]:
    """A tag counts in the facet by its name and matches `tag:` by its key, both under each scope."""
    facet: set[str] = set()
    keys: set[str] = set()
    for mark in marks:
        key = query_key(field.name, mark.value, fields)
        for scope in _scopes(mark):
            facet.add(qualify(scope, mark.value))
            if key:
                keys.add(qualify(scope, key))
    out: dict[str, set[str]] = {}
    if field.filterable:
        out[field.name] = facet
    if field.queryable:
        out[F.key_field(field.name)] = keys
    return out


PROJECTORS: Mapping[str, Projector] = {TAG_KIND: tag_terms, NOTE_KIND: note_terms}


def mark_fields(fields: Fields = FIELDS) -> tuple[Field, ...]:
    return tuple(f for f in fields if f.projection == "marks")


def mark_columns(fields: Fields = FIELDS) -> tuple[str, ...]:
    """Every column a mark fills: what a partial update of a page's marks rewrites (emptied when none)."""
    columns: list[str] = []
    for f in mark_fields(fields):
        if f.filterable:
            columns.append(f.name)
        if f.queryable:
            columns.append(F.key_field(f.name))
    return tuple(columns)


def mark_terms(record: PageRecord, fields: Fields = FIELDS) -> dict[str, list[str]]:
    """Column -> sorted qualified terms of the page's marks; columns without terms are left out."""
    out: dict[str, list[str]] = {}
    for field in mark_fields(fields):
        project = PROJECTORS.get(field.name)
        if project is None:
            raise ValueError(f"{field.name}: no projection of marks of this kind (search.marks.PROJECTORS)")
        marks = [m for m in record.marks if m.kind == field.name]
        for column, terms in project(field, marks, fields).items():
            if terms:
                out[column] = sorted(terms)
    return out


def marks_update(record: PageRecord, fields: Fields = FIELDS) -> dict[str, list[str]]:
    """The page's mark columns as a partial update sets them: every column, empty lists included."""
    terms = mark_terms(record, fields)
    return {column: terms.get(column, []) for column in mark_columns(fields)}


class AppliedTagsFacts(Protocol):
    """A document's tags in every collection, as the catalog holds them (catalog.tags.AppliedTags)."""

    @property
    def document(self) -> Sequence[tuple[str, str]]: ...  # (collection id, tag name)
    @property
    def pages(self) -> Mapping[int, Sequence[tuple[str, str]]]: ...


def tag_marks(applied: AppliedTagsFacts, page_numbers: Iterable[int]) -> dict[int, tuple[Mark, ...]]:
    """Page number -> its tag marks: its document's tags (carried by each page) and its own, once each."""
    document = [Mark(c, TAG_KIND, tag) for c, tag in applied.document]
    out: dict[int, tuple[Mark, ...]] = {}
    for n in page_numbers:
        own = [Mark(c, TAG_KIND, tag) for c, tag in applied.pages.get(n, ())]
        if document or own:
            out[n] = tuple(dict.fromkeys([*document, *own]))
    return out
