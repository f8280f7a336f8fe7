"""Per-link names: the pure rules that qualify index terms and scope queries, filters and facets."""

from __future__ import annotations

import re

from search.link_names import facet_include, facet_value, filter_values, name_terms, shown_names
from search.query.ast import And, KeyLookup, Or
from search.query.parser import parse_query
from search.query.scoped import scope_fields
from search.records import LinkName

A = LinkName("col_a", "prd_a", "Release 1", "alpha memo.pdf", "Alpha Memos")
B = LinkName("col_b", "prd_b", "Release 1", "bravo.pdf", "bravo")


def test_each_name_is_indexed_under_its_own_collection_and_the_all_scope() -> None:
    terms = name_terms([A, B])
    whole = ["*/alpha-memo-pdf", "*/bravo-pdf", "col_a/alpha-memo-pdf", "col_b/bravo-pdf"]
    file_words = ["*/alpha", "*/bravo", "*/memo", "*/pdf", "col_a/alpha", "col_a/memo", "col_a/pdf", "col_b/bravo"]
    assert terms["file_key"] == sorted([*whole, *file_words, "col_b/pdf"])
    assert "col_a/memo" in terms["title_key"] and "col_b/memo" not in terms["title_key"]
    assert {"col_a/prd_a", "col_b/prd_b", "*/prd_a", "*/prd_b"} == set(terms["production"])
    assert "col_b/release-1" in terms["production_key"] and "col_b/prd_a" not in terms["production_key"]


def test_queries_resolve_names_to_the_readers_scopes_only() -> None:
    assert scope_fields(parse_query("file:bravo*"), ["col_a"]) == KeyLookup("file_key", ("col_a/bravo",), True)
    assert scope_fields(parse_query("file:bravo"), ["col_a"]) == KeyLookup("file_key", ("col_a/bravo",))
    # A name of several words: the whole name, or its words in any order.
    assert scope_fields(parse_query("file:bravo.pdf"), None) == Or(
        (
            KeyLookup("file_key", ("*/bravo-pdf",)),
            And((KeyLookup("file_key", ("*/bravo",)), KeyLookup("file_key", ("*/pdf",)))),
        )
    )
    assert scope_fields(parse_query('title:"alpha memos"'), ["col_a"]) == And(
        (KeyLookup("title_key", ("col_a/alpha",)), KeyLookup("title_key", ("col_a/memo",)))
    )
    # A prefix also matches the stem of its own text, as page-text prefixes do.
    assert scope_fields(parse_query("title:memos*"), ["col_a"]) == Or(
        (KeyLookup("title_key", ("col_a/memos",), True), KeyLookup("title_key", ("col_a/memo",)))
    )
    assert scope_fields(parse_query("production:x"), ()) == KeyLookup("production_key", ())


def test_production_filters_and_facets_are_scoped() -> None:
    assert filter_values("production", ["prd_b"], ["col_a"]) == ["col_a/prd_b"]
    assert filter_values("vendor", ["vendor:x"], ["col_a"]) == ["vendor:x"]
    assert facet_include("vendor", ["col_a"]) == {}
    include = facet_include("production", ["col_a", "c.1"])["include"]
    assert re.fullmatch(include, "col_a/prd_a") and re.fullmatch(include, "c.1/p")
    assert not re.fullmatch(include, "col_b/prd_b") and not re.fullmatch(include, "cx1/p")
    assert facet_include("production", None) == {"include": "(\\*)/.*"}
    assert facet_value("production", "col_a/prd_a") == "prd_a"


def test_hits_show_the_first_of_the_readers_own_links() -> None:
    meta = {
        "links": [[A.collection_id, A.production_id, A.production_name, A.file_name, A.title], list(vars(B).values())]
    }
    assert shown_names(meta, ["col_b"]) == {
        "file_name": "bravo.pdf",
        "title": "bravo",
        "production_ids": ("prd_b",),
        "production_names": ("Release 1",),
        "collection_ids": ("col_b",),
    }
    everything = shown_names(meta, None)
    assert everything["file_name"] == "alpha memo.pdf"
    assert everything["production_names"] == ("Release 1", "Release 1")  # aligned with the two ids
    assert shown_names(meta, ["col_c"])["file_name"] == ""
