"""Reviewers' notes in the index: the words of each note on a page, qualified by who may find them.

A shared note is found by every reader of its collection, a private note by its author alone
(catalog/notes.py decides the same for reads). Its words' stems go to the `note` field's key column, each
qualified like the other marks (search.marks): a shared note's by its collection and by ALL_SCOPE; a
private note's by the same scopes joined to its author (`col_1@<digest>/pilot`). A reader's `note:` query
looks up its own scopes, and its own author scopes when the request names the reader
(SearchRequest.viewer): another matter's notes, and another reader's private notes, never match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

from search import index_fields as F
from search.analysis import stems, words
from search.fields import Field, Fields
from search.link_names import ALL_SCOPE, qualify, reader_scopes
from search.query.ast import And, FieldValue, KeyLookup, Node, Not, Or
from search.records import Mark

NOTE_KIND = "note"  # the kind of mark a note is, and its query field
NOTE_KEY = F.key_field(NOTE_KIND)


def viewer_scope(scope: str, viewer: str) -> str:
    """A scope narrowed to one reader. The reader's name is any text (a token's name): its digest keeps
    the term one plain word whatever the name holds."""
    return f"{scope}@{hashlib.sha256(viewer.encode()).hexdigest()[:20]}"


def note_scopes(mark: Mark) -> tuple[str, ...]:
    """The scopes a note's words are indexed under."""
    scopes = (mark.collection_id, ALL_SCOPE)
    return scopes if mark.viewer is None else tuple(viewer_scope(s, mark.viewer) for s in scopes)


def reader_note_scopes(collection_ids: Sequence[str] | None, viewer: str | None) -> tuple[str, ...]:
    """The scopes a reader's `note:` looks up: their collections' shared notes and their own private ones."""
    scopes = reader_scopes(collection_ids)
    return scopes if viewer is None else (*scopes, *(viewer_scope(s, viewer) for s in scopes))


def note_terms(field: Field, marks: Sequence[Mark], fields: Fields) -> dict[str, set[str]]:
    """The projector of kind "note" (search.marks.PROJECTORS): each note's stems under each of its scopes."""
    keys = {qualify(scope, stem) for mark in marks for stem in stems(mark.value) for scope in note_scopes(mark)}
    return {F.key_field(field.name): keys} if field.queryable else {}


class NoteFacts(Protocol):
    """A note as the catalog holds it (catalog.notes.Note)."""

    @property
    def collection_id(self) -> str: ...
    @property
    def page_number(self) -> int: ...
    @property
    def author(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def shared(self) -> bool: ...


def note_marks(notes: Iterable[NoteFacts], page_numbers: Iterable[int]) -> dict[int, tuple[Mark, ...]]:
    """Page number -> the marks of the notes on it (a private note's mark names its author)."""
    wanted = set(page_numbers)
    out: dict[int, list[Mark]] = {}
    for n in notes:
        if n.page_number in wanted:
            out.setdefault(n.page_number, []).append(
                Mark(n.collection_id, NOTE_KIND, n.text, None if n.shared else n.author)
            )
    return {page: tuple(marks) for page, marks in out.items()}


def scope_notes(node: Node, collection_ids: Sequence[str] | None, viewer: str | None) -> Node:
    """The tree with every `note:` resolved for this reader (pure): its words, in any order, each looked
    up among the reader's note scopes; a trailing `*` makes the last word a prefix (as `title:` does)."""
    if isinstance(node, FieldValue) and node.field == NOTE_KIND:
        scopes = reader_note_scopes(collection_ids, viewer)

        def lookup(token: str, prefix: bool = False) -> KeyLookup:
            return KeyLookup(NOTE_KEY, tuple(qualify(s, token) for s in scopes), prefix)

        if node.prefix:
            ws = words(node.value)
            if not ws:
                return KeyLookup(NOTE_KEY, ())
            last: Node = lookup(ws[-1], prefix=True)
            stem = stems(ws[-1])
            if stem and stem[0] != ws[-1]:
                last = Or((last, lookup(stem[0])))
            return _all([*(lookup(t) for t in stems(" ".join(ws[:-1]))), last])
        tokens = stems(node.value)
        return _all([lookup(t) for t in tokens]) if tokens else KeyLookup(NOTE_KEY, ())
    if isinstance(node, And):
        return And(tuple(scope_notes(c, collection_ids, viewer) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(scope_notes(c, collection_ids, viewer) for c in node.children))
    if isinstance(node, Not):
        return Not(scope_notes(node.child, collection_ids, viewer))
    return node


def _all(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))
