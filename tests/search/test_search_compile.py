"""Both compilers as pure functions: DSL dicts compared whole, tantivy queries by structure."""

from __future__ import annotations

import datetime as dt

from search.query import parse_query
from search.query.compile_dsl import (
    MATCH_NONE,
    compile_dsl,
    facet_agg_dsl,
    filters_dsl,
)
from search.query.compile_tantivy import compile_tantivy
from search.tantivy_schema import build_schema

SCHEMA = build_schema()


def dsl(text: str) -> object:
    return compile_dsl(parse_query(text), collection_ids=None)


def tq(text: str) -> str:
    return repr(compile_tantivy(parse_query(text), SCHEMA, collection_ids=None))


def test_dsl_terms_phrases_and_booleans() -> None:
    assert dsl("") == {"match_all": {}}
    assert dsl("police") == {"match_phrase": {"text": {"query": "police"}}}
    assert dsl('"face recognition"') == {"match_phrase": {"text": {"query": "face recognition"}}}
    assert dsl("a OR b") == {
        "bool": {
            "should": [{"match_phrase": {"text": {"query": "a"}}}, {"match_phrase": {"text": {"query": "b"}}}],
            "minimum_should_match": 1,
        }
    }
    assert dsl("a -b") == {
        "bool": {
            "must": [{"match_phrase": {"text": {"query": "a"}}}],
            "must_not": [{"match_phrase": {"text": {"query": "b"}}}],
        }
    }
    assert dsl("NOT a") == {"bool": {"must_not": [{"match_phrase": {"text": {"query": "a"}}}]}}


def test_dsl_slop_and_proximity_use_intervals() -> None:
    assert dsl('"face recognition"~3') == {
        "intervals": {"text": {"match": {"query": "face recognition", "max_gaps": 3, "ordered": True}}}
    }
    a = {"match": {"query": "rekognition", "max_gaps": 0, "ordered": True}}
    b = {"match": {"query": "police", "max_gaps": 0, "ordered": True}}
    assert dsl("rekognition w/10 police") == {
        "intervals": {"text": {"all_of": {"ordered": False, "max_gaps": 9, "intervals": [a, b]}}}
    }
    assert dsl("rekognition pre/1 police") == {
        "intervals": {"text": {"all_of": {"ordered": True, "max_gaps": 0, "intervals": [a, b]}}}
    }
    either = dsl("(amazon OR microsoft) w/2 contract*")
    assert either == {
        "intervals": {
            "text": {
                "all_of": {
                    "ordered": False,
                    "max_gaps": 1,
                    "intervals": [
                        {
                            "any_of": {
                                "intervals": [
                                    {"match": {"query": "amazon", "max_gaps": 0, "ordered": True}},
                                    {"match": {"query": "microsoft", "max_gaps": 0, "ordered": True}},
                                ]
                            }
                        },
                        {"prefix": {"prefix": "contract", "analyzer": "keyword"}},
                    ],
                }
            }
        }
    }


def test_dsl_prefix_includes_its_stem() -> None:
    assert dsl("surveil*") == {"prefix": {"text": {"value": "surveil"}}}
    assert dsl("surveillance!") == {
        "bool": {
            "should": [{"prefix": {"text": {"value": "surveillance"}}}, {"term": {"text": {"value": "surveil"}}}],
            "minimum_should_match": 1,
        }
    }


def test_dsl_fields_and_dates() -> None:
    assert dsl("vendor:Cellebrite") == {"term": {"vendor_key": {"value": "cellebrite"}}}
    assert dsl('vendor:"Clearview AI"') == {"term": {"vendor_key": {"value": "clearview-ai"}}}
    assert dsl("exemption:(b)(7)(C)") == {"term": {"exemption_key": {"value": "b7c"}}}
    assert dsl("bates:FBI-0001*") == {"prefix": {"bates_key": {"value": "fbi-0001"}}}
    assert dsl("title:memos") == {"bool": {"filter": [{"terms": {"title_key": ["*/memo"]}}]}}
    assert compile_dsl(parse_query("file:Memo"), collection_ids=["c1", "c2"]) == {
        "bool": {"filter": [{"terms": {"file_key": ["c1/memo", "c2/memo"]}}]}
    }
    start = (dt.date(2018, 1, 1) - dt.date(1970, 1, 1)).days
    end = (dt.date(2019, 6, 30) - dt.date(1970, 1, 1)).days
    assert dsl("date:[2018-01-01 TO 2019-06-30]") == {"range": {"day_index": {"gte": start, "lte": end}}}
    assert dsl("date:[* TO 2019-06-30]") == {"range": {"day_index": {"lte": end}}}


def test_dsl_words_without_tokens_match_nothing() -> None:
    assert dsl("x" * 60) == MATCH_NONE


def test_dsl_filters_and_facets() -> None:
    clauses = filters_dsl(
        {"vendor": ["vendor:a", "vendor:b"], "year": ["2019"], "agency": [], "production": ["p1"]},
        collection_ids=["c1"],
        max_seq=99,
        exclude_facet=None,
    )
    assert clauses == [
        {"terms": {"collection_id": ["c1"]}},
        {"range": {"indexed_seq": {"lte": 99}}},
        {"terms": {"production": ["c1/p1"]}},
        {"terms": {"vendor": ["vendor:a", "vendor:b"]}},
        {"terms": {"year": [2019]}},
    ]
    assert filters_dsl({"vendor": ["x"]}, collection_ids=None, exclude_facet="vendor") == []
    assert facet_agg_dsl("vendor", 10)["aggs"] == {"docs": {"cardinality": {"field": "document_id"}}}


def test_tantivy_terms_are_stemmed_and_fields_exact() -> None:
    assert tq("Policies") == 'Query(TermQuery(Term(field=0, type=Str, "polici")))'
    assert "PhraseQuery" in tq("FBI-000123")
    assert '(0, Term(field=0, type=Str, "fbi")), (1, Term(field=0, type=Str, "000123"))' in tq("FBI-000123")
    assert '"cellebrite"' in tq("vendor:Cellebrite")
    assert "RangeQuery" in tq("date:2019") or "FastField" in tq("date:2019")


def test_tantivy_pre_is_exact_offsets_and_w_is_two_sloppy_phrases() -> None:
    pre = tq("contract pre/3 amazon")
    assert pre.count("PhraseQuery") == 3
    assert '(3, Term(field=0, type=Str, "amazon"))' in pre
    w = tq("contract w/3 amazon")
    assert w.count("PhraseQuery") == 2
    assert w.count("slop: 2") == 2


def test_tantivy_empty_tokens_match_nothing() -> None:
    assert "EmptyQuery" in tq("x" * 60)
