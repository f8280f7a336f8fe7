"""Pure parts of the Elasticsearch/OpenSearch backend: mapping, page documents, request bodies."""

from __future__ import annotations

import datetime as dt

from search import index_fields as F
from search.aggregations import facet_values
from search.dsl_mapping import (
    PROJECT_ANALYZER,
    index_mappings,
    index_settings,
    page_source,
    text_analyzer,
    versioned_index_name,
)
from search.dsl_requests import (
    date_body,
    query_dsl,
    read_histogram,
    relevance_body,
    search_aggs,
)
from search.query.parser import parse_query
from tests.search.search_conformance import make_page


def test_english_is_the_project_analyzer_and_other_names_pass_through() -> None:
    assert text_analyzer("english") == PROJECT_ANALYZER
    assert text_analyzer("standard") == "standard"
    props = index_mappings("french")["properties"]
    assert props[F.TEXT]["analyzer"] == "french"
    assert props[F.TEXT]["fields"]["exact"]["analyzer"] == "foia_words"
    english = index_mappings()["properties"]
    assert english[F.TEXT]["analyzer"] == PROJECT_ANALYZER
    assert english["bates"] == {"type": "keyword"}
    assert english[F.MENTIONS]["type"] == "nested"
    assert "flattened" not in str(english)  # OpenSearch has no flattened type
    analysis = index_settings()["analysis"]
    assert analysis["analyzer"][PROJECT_ANALYZER]["filter"] == ["foia_long", "lowercase", "foia_porter2"]


def test_page_source_carries_the_same_fields_as_the_tantivy_document() -> None:
    page = make_page(
        "doc-1",
        2,
        "Clearview AI pilot",
        date=dt.date(2019, 6, 30),
        vendors=("vendor:clearview-ai",),
        exemptions=("b7C",),
        technology=("technology:face-recognition",),
        page_count=3,
    )
    src = page_source(page, 17)
    assert src[F.DOCUMENT_ID] == "doc-1" and src["page_id"] == "doc-1:2" and src[F.SEQ] == 17
    assert src[F.DATE] == "2019-06-30" and src[F.YEAR] == 2019 and src[F.HAS_DATE] == 1
    assert src[F.MONTH] == 2019 * 12 + 5
    assert src["vendor"] == ["vendor:clearview-ai"]
    assert set(src["vendor_key"]) == {"vendor-clearview-ai", "clearview-ai"}
    assert src["exemption"] == ["b7C"] and src["exemption_key"] == ["b7c"]
    assert src["page_entity"] == ["vendor:clearview-ai", "technology:face-recognition"]
    assert src[F.MENTIONS] == [{"entity": "vendor:clearview-ai", "count": 2}]
    assert src["bates"] == page.bates
    assert src["meta"]["page_count"] == 3
    undated = page_source(make_page("doc-2", 1, "x"), 1)
    assert undated[F.HAS_DATE] == 0 and F.DATE not in undated and F.DAY not in undated


def test_request_bodies() -> None:
    node = parse_query("zebra")
    query = query_dsl(
        node, {"vendor": ["vendor:amazon"]}, date_from=None, date_to=None, collection_ids=("c1",), max_seq=9
    )
    filters = query["bool"]["filter"]
    assert {"terms": {F.COLLECTION: ["c1"]}} in filters
    assert {"range": {F.SEQ: {"lte": 9}}} in filters
    aggs = search_aggs(
        node,
        {"vendor": ["vendor:amazon"]},
        facets=("vendor", "agency"),
        facet_size=10,
        histogram="month",
        date_from=None,
        date_to=None,
        collection_ids=None,
        max_seq=None,
        with_max_seq=True,
    )
    # The filtered facet is counted without its own filter (multi-select); the other one directly.
    assert "global" in aggs["g_vendor"] and "f_agency" in aggs
    assert "vendor" not in str(aggs["g_vendor"]["aggs"]["f"]["filter"]["bool"]["filter"])
    body = relevance_body(query, 40, 20, aggs)
    assert body["from"] == 40 and body["size"] == 21 and body["collapse"] == {"field": F.DOCUMENT_ID}
    dated = date_body(query, [None, "doc-9"], 5, True, {})
    source = dated["aggs"]["_order"]["composite"]
    assert source["after"] == {"d": None, "i": "doc-9"}
    assert source["sources"][0]["d"]["terms"]["missing_order"] == "last"


def test_readers_rank_facets_and_skip_empty_buckets() -> None:
    agg = {
        "buckets": [
            {"key": "b", "doc_count": 9, "docs": {"value": 3}},
            {"key": "a", "doc_count": 5, "docs": {"value": 3}},
            {"key": 2019, "doc_count": 1, "docs": {"value": 0}},
        ]
    }
    assert [(v.value, v.count) for v in facet_values(agg, 5, "vendor")] == [("a", 3), ("b", 3)]
    scoped = {"buckets": [{"key": "col_1/prd_9", "doc_count": 2, "docs": {"value": 2}}]}
    assert [v.value for v in facet_values(scoped, 5, "production")] == ["prd_9"]
    hist = read_histogram(
        "year",
        {"buckets": [{"key": 2019, "doc_count": 4, "docs": {"value": 2}, "mentions": {"e": {"n": {"value": 6.0}}}}]},
        1,
        "vendor:amazon",
    )
    assert hist.buckets[0].start == dt.date(2019, 1, 1)
    assert (hist.buckets[0].documents, hist.buckets[0].pages, hist.buckets[0].mentions) == (2, 4, 6)
    assert versioned_index_name("foia-pages", "1") == "foia-pages-v1"
