"""Scope a parsed query's name fields to the reader: `file:`, `title:`, `production:` and `tag:` become lookups
of the terms qualified by the reader's collections (search.link_names), before any engine compiles the
tree. Both compilers call it first, so no path can match another matter's names.
"""

from __future__ import annotations

from collections.abc import Sequence

from search import index_fields as F
from search.analysis import stems, words
from search.fields import FIELDS
from search.link_names import FILE_KEY, PRODUCTION_KEY, TITLE_KEY, qualified
from search.query.ast import And, FieldValue, KeyLookup, Node, Not, Or
from search.query.fields import query_key

# The keyword fields of the reviewers' marks (`tag:`) are looked up among the reader's qualifiers too.
MARK_KEYWORD_FIELDS: dict[str, str] = {
    f.name: F.key_field(f.name) for f in FIELDS if f.projection == "marks" and f.kind == "keyword"
}
NAME_FIELDS: dict[str, str] = {
    "file": FILE_KEY,
    "production": PRODUCTION_KEY,
    "title": TITLE_KEY,
    **MARK_KEYWORD_FIELDS,
}


def scope_fields(node: Node, collection_ids: Sequence[str] | None) -> Node:
    """The same tree with every name field resolved for the reader (pure)."""
    if isinstance(node, FieldValue) and node.field in NAME_FIELDS:
        if node.field == "title":
            return _title(node, collection_ids)
        if node.field == "file" and not node.prefix:
            return _file(node, collection_ids)
        key = query_key(node.field, node.value)
        keys = qualified([key], collection_ids) if key else []
        return KeyLookup(NAME_FIELDS[node.field], tuple(keys), node.prefix)
    if isinstance(node, And):
        return And(tuple(scope_fields(c, collection_ids) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(scope_fields(c, collection_ids) for c in node.children))
    if isinstance(node, Not):
        return Not(scope_fields(node.child, collection_ids))
    return node


def _file(node: FieldValue, collection_ids: Sequence[str] | None) -> Node:
    """The whole file name (`file:memo.pdf`) or its words in any order (`file:rekognition pilot`)."""
    key = query_key("file", node.value)
    whole = KeyLookup(FILE_KEY, tuple(qualified([key], collection_ids)) if key else ())
    tokens = stems(node.value)
    if not tokens or tokens == [key]:
        return whole
    return Or((whole, _all([KeyLookup(FILE_KEY, tuple(qualified([t], collection_ids))) for t in tokens])))


def _title(node: FieldValue, collection_ids: Sequence[str] | None) -> Node:
    """Title words, in any order (the title is indexed as its stems, one term each). A trailing `*`
    makes the last word a prefix, which also matches that word's own stem (as page-text prefixes do)."""

    def lookup(token: str, prefix: bool = False) -> KeyLookup:
        return KeyLookup(TITLE_KEY, tuple(qualified([token], collection_ids)), prefix)

    if not node.prefix:
        tokens = stems(node.value)
        return _all([lookup(t) for t in tokens]) if tokens else KeyLookup(TITLE_KEY, ())
    ws = words(node.value)
    if not ws:
        return KeyLookup(TITLE_KEY, ())
    last: Node = lookup(ws[-1], prefix=True)
    stem = stems(ws[-1])
    if stem and stem[0] != ws[-1]:
        last = Or((last, lookup(stem[0])))
    return _all([*(lookup(t) for t in stems(" ".join(ws[:-1]))), last])


def _all(nodes: list[Node]) -> Node:
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))
