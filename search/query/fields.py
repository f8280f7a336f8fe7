"""Query-language fields and the one rule that decides when a field value matches.

Rule: a keyword field matches when the *keys* of the query value and of the stored value are equal.
A key is the value lowercased with every run of non-alphanumeric characters folded to one "-"
(`slug`). Entity values index three keys: the id ("vendor:clearview-ai" -> "vendor-clearview-ai"),
the id without its type ("clearview-ai") and the canonical name when known ("Clearview AI" ->
"clearview-ai"); so `vendor:cellebrite`, `vendor:"vendor:cellebrite"`, `vendor:"Clearview AI"` and
`vendor:clearview_ai` all match case-insensitively. Exemptions drop punctuation entirely so that
`(b)(7)(C)`, `b7C` and `b7c` are the same code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from search.fields import FIELDS, Fields

# All derived from the field registry (search.fields).
ENTITY_QUERY_FIELDS: tuple[str, ...] = FIELDS.entity_types
KEYWORD_QUERY_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.queryable and f.kind in ("entity", "keyword"))
TEXT_QUERY_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.queryable and f.kind == "text")
DATE_QUERY_FIELDS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.queryable and f.kind == "date")
QUERY_FIELDS: tuple[str, ...] = FIELDS.queryable

_NON_ALNUM = re.compile(r"[\W_]+")


def slug(value: str) -> str:
    return _NON_ALNUM.sub("-", value.lower()).strip("-")


def exemption_key(value: str) -> str:
    return _NON_ALNUM.sub("", value.lower())


def query_key(field: str, value: str, fields: Fields = FIELDS) -> str:
    """The key a query value is looked up by in `field`'s key column (by the field's key rule)."""
    code = field in fields and fields[field].key_rule == "code"
    return exemption_key(value) if code else slug(value)


@lru_cache(maxsize=65536)
def entity_keys(entity_id: str, name: str | None = None) -> frozenset[str]:
    """Cached: the same few thousand entities recur on every page being indexed."""
    keys = {slug(entity_id)}
    if ":" in entity_id:
        keys.add(slug(entity_id.split(":", 1)[1]))
    if name:
        keys.add(slug(name))
    keys.discard("")
    return frozenset(keys)


def value_keys(field: str, values: Sequence[str], fields: Fields = FIELDS) -> set[str]:
    keys = {query_key(field, v, fields) for v in values}
    keys.discard("")
    return keys
