"""Per-link names in the index: each matter's file names, titles and production names of a shared
document, matched and shown only within that matter.

File names are indexed whole (their key) and as their words' stems, in the same column and with the
same qualifiers, so `file:memo.pdf` and `file:rekognition` both match within the reader's scope.

Every name-derived term is indexed once per scope that may see it: qualified by the link's collection
(`col_1/rekognition-memo-pdf`) and by ALL_SCOPE, the scope of a reader of every collection. A query, a
filter or a facet of a reader looks only at its own qualifiers, so another matter's names never match,
count or show. Qualified terms are plain keyword terms, so the embedded and the distributed engines
index and query them identically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from search import index_fields as F
from search.analysis import stems
from search.fields import FIELDS
from search.query.fields import slug, value_keys
from search.records import LinkName

ALL_SCOPE = "*"  # never a collection id (those are generated word characters)
# Facet values qualified by collection: the production links' and the reviewers' marks' (search.marks).
SCOPED_FACETS: tuple[str, ...] = tuple(f.name for f in FIELDS if f.facet and f.projection in ("links", "marks"))
FILE_KEY = F.key_field("file")
TITLE_KEY = F.key_field("title")
PRODUCTION_KEY = F.key_field("production")
NAME_COLUMNS: tuple[str, ...] = ("production", PRODUCTION_KEY, FILE_KEY, TITLE_KEY)
_REGEX_SAFE = re.compile(r"[A-Za-z0-9_-]")


def reader_scopes(collection_ids: Sequence[str] | None) -> tuple[str, ...]:
    return (ALL_SCOPE,) if collection_ids is None else tuple(collection_ids)


def qualify(scope: str, value: str) -> str:
    return f"{scope}/{value}"


def qualified(values: Iterable[str], collection_ids: Sequence[str] | None) -> list[str]:
    """Each value under each of the reader's scopes."""
    return [qualify(scope, v) for scope in reader_scopes(collection_ids) for v in values]


def name_terms(links: Sequence[LinkName]) -> dict[str, list[str]]:
    """The index terms of a page's links: column -> qualified terms (sorted, for stable documents)."""
    columns: dict[str, set[str]] = {c: set() for c in NAME_COLUMNS}
    for link in links:
        production_keys = value_keys("production", [link.production_id, link.production_name])
        title_stems = set(stems(link.title))
        file_stems = set(stems(link.file_name))
        for scope in (link.collection_id, ALL_SCOPE):
            columns["production"].add(qualify(scope, link.production_id))
            columns[PRODUCTION_KEY] |= {qualify(scope, k) for k in production_keys}
            if key := slug(link.file_name):
                columns[FILE_KEY].add(qualify(scope, key))
            # The file name's words too, so `file:rekognition` finds FBI_OTD_Rekognition_Pilot.pdf.
            columns[FILE_KEY] |= {qualify(scope, s) for s in file_stems}
            columns[TITLE_KEY] |= {qualify(scope, s) for s in title_stems}
    return {c: sorted(v) for c, v in columns.items() if v}


def filter_values(facet: str, values: Sequence[str], collection_ids: Sequence[str] | None) -> list[str]:
    """The indexed values a facet filter looks up: a production id only among the reader's links."""
    return qualified(values, collection_ids) if facet in SCOPED_FACETS else list(values)


def facet_include(facet: str, collection_ids: Sequence[str] | None) -> dict[str, str]:
    """The `include` of a scoped facet's terms aggregation: only values of the reader's scopes are
    counted (one regex both engines read alike: word characters, `|`, `.*`, escaped punctuation)."""
    if facet not in SCOPED_FACETS:
        return {}
    alternatives = "|".join(_regex_literal(s) for s in reader_scopes(collection_ids))
    return {"include": f"({alternatives})/.*"}


def facet_value(facet: str, value: str) -> str:
    """A counted facet value as users see it (the production id, without its scope)."""
    return value.split("/", 1)[1] if facet in SCOPED_FACETS and "/" in value else value


def links_meta(links: Sequence[LinkName]) -> list[list[str]]:
    """Links as stored with each page (display only, never searched)."""
    return [[x.collection_id, x.production_id, x.production_name, x.file_name, x.title] for x in links]


def shown_names(meta: Mapping[str, Any], collection_ids: Sequence[str] | None) -> dict[str, Any]:
    """A hit's names as the reader may see them: from the reader's links only, oldest first."""
    mine = [
        LinkName(*(str(v) for v in link))
        for link in meta.get("links", ())
        if collection_ids is None or link[0] in collection_ids
    ]
    productions = {x.production_id: x.production_name for x in reversed(mine)}  # first link of each wins
    ids = tuple(dict.fromkeys(x.production_id for x in mine))
    return {
        "file_name": mine[0].file_name if mine else "",
        "title": mine[0].title if mine else "",
        # Aligned with production_ids: two productions may share a name ("Release 1").
        "production_ids": ids,
        "production_names": tuple(productions[i] for i in ids),
        "collection_ids": tuple(dict.fromkeys(x.collection_id for x in mine)),
    }


def export_names(meta: Mapping[str, Any], collection_ids: Sequence[str] | None) -> dict[str, Any]:
    shown = shown_names(meta, collection_ids)
    # The ids too: `foia check` compares each page's productions and collections with the catalog.
    return {k: shown[k] for k in ("file_name", "title", "production_names", "production_ids", "collection_ids")}


def _regex_literal(text: str) -> str:
    return "".join(c if _REGEX_SAFE.match(c) else "\\" + c for c in text)
