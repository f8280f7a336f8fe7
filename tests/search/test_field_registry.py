"""Adding a keyword facet is one registry row plus its value in the indexer.

The test adds a `language` row to the field registry (search.fields) and gives the pages their language
through the projection the indexer runs (search.projection.build_page_records); nothing else is written
for it. The new field is then counted as a facet, taken as a filter and matched as `language:fr` by
the embedded engine and by OpenSearch, declared in the DSL mapping, taken by the API's filter
parameters, and changes the schema version (an index built without it is refused).
"""

from __future__ import annotations

import datetime as dt
import inspect
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from api.filters import filters_dependency
from search.backend import InvalidRequest, SearchBackend, SearchRequest
from search.dsl_mapping import index_mappings, page_source
from search.fields import FIELDS, Field
from search.opensearch_backend import opensearch_backend
from search.projection import UnknownEntityType, build_page_records
from search.query import QuerySyntaxError, parse_query
from search.records import PageRecord
from search.tantivy_backend import TantivyBackend
from search.tantivy_schema import IndexSchemaMismatch, schema_version
from tests.conftest import service_url

LANGUAGE = Field(
    "language",
    "keyword",
    "Languages",
    "Language",
    "The language the page is written in.",
    "values",
    facet=True,
    filterable=True,
)
WITH_LANGUAGE = FIELDS.adding(LANGUAGE)  # the one row


@dataclass(frozen=True)
class Doc:
    id: str
    document_date: dt.date | None = dt.date(2019, 6, 30)
    bates_begin: str | None = None
    bates_end: str | None = None
    page_count: int | None = None


@dataclass(frozen=True)
class Page:
    number: int
    text: str
    bates: str | None = None
    exemptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    collection_id: str = "c1"
    production_id: str = "p1"
    production_name: str = "Release 1"
    file_name: str = "memo.pdf"
    title: str = "Memo"


@dataclass(frozen=True)
class Mention:
    page_number: int
    entity_id: str


# document -> the language of each of its pages: the value the indexer gives the new field
LANGUAGES = {"doc-en": ("en", "en"), "doc-fr": ("fr", "fr"), "doc-mixed": ("en", "fr")}


def records() -> list[PageRecord]:
    out: list[PageRecord] = []
    for doc_id, languages in LANGUAGES.items():
        pages = [Page(n, f"surveillance contract page {n}") for n in range(1, len(languages) + 1)]
        out += build_page_records(
            Doc(doc_id),
            pages,
            [Mention(1, "vendor:amazon")],
            [Link(file_name=f"{doc_id}.pdf")],
            {"vendor:amazon": "vendor"},
            keywords={n: {"language": (lang,)} for n, lang in enumerate(languages, start=1)},
        )
    return out


def expected_counts() -> dict[str, int]:
    return {lang: sum(lang in langs for langs in LANGUAGES.values()) for lang in ("en", "fr")}


def shows_the_new_facet(backend: SearchBackend) -> None:
    backend.index_pages(records())
    backend.commit()
    counted = backend.search(SearchRequest(facets=("language", "vendor")))
    assert {v.value: v.count for v in counted.facets["language"]} == expected_counts()
    filtered = backend.search(SearchRequest(filters={"language": ["fr"]}, facets=("language",)))
    assert {d.document_id for d in filtered.documents} == {"doc-fr", "doc-mixed"}
    # Multi-select: a facet is counted without its own filter.
    assert {v.value: v.count for v in filtered.facets["language"]} == expected_counts()
    queried = backend.search(SearchRequest(query="language:FR contract", facets=()))
    assert {d.document_id for d in queried.documents} == {"doc-fr", "doc-mixed"}
    assert queried.total_pages == 3  # language: matches the page, like every keyword query field
    assert backend.search(SearchRequest(query="NOT language:en", facets=())).total_pages == 3


def test_the_project_registry_does_not_know_the_field_yet() -> None:
    with pytest.raises(QuerySyntaxError, match="unknown field 'language'"):
        parse_query("language:fr")
    assert parse_query("language:fr", WITH_LANGUAGE) is not None
    assert WITH_LANGUAGE.version() != FIELDS.version()
    assert schema_version(WITH_LANGUAGE) != schema_version(FIELDS)


def test_a_new_keyword_facet_on_tantivy(tmp_path: Path) -> None:
    backend = TantivyBackend(tmp_path / "idx", fields=WITH_LANGUAGE)
    try:
        shows_the_new_facet(backend)
    finally:
        backend.close()
    # The project's backend refuses both the field and the index built with it.
    with pytest.raises(IndexSchemaMismatch):
        TantivyBackend(tmp_path / "idx")
    plain = TantivyBackend(tmp_path / "plain")
    try:
        with pytest.raises(InvalidRequest, match="unknown facet 'language'"):
            plain.search(SearchRequest(facets=("language",)))
    finally:
        plain.close()


@pytest.mark.opensearch
def test_a_new_keyword_facet_on_opensearch() -> None:
    url = service_url("FOIA_TEST_OPENSEARCH_URL", "the OpenSearch node (scripts/search-nodes)")
    backend = opensearch_backend(url, index=f"foia-test-{uuid.uuid4().hex[:10]}", fields=WITH_LANGUAGE)
    try:
        shows_the_new_facet(backend)
    finally:
        backend.destroy()
        backend.close()


def test_the_dsl_mapping_and_source_carry_the_new_field() -> None:
    props = index_mappings(fields=WITH_LANGUAGE)["properties"]
    assert props["language"] == props["language_key"] == {"type": "keyword"}
    assert "language" not in index_mappings()["properties"]
    assert index_mappings(fields=WITH_LANGUAGE)["_meta"] == {"foia_fields": WITH_LANGUAGE.version()}
    first = records()[0]
    src = page_source(first, 1, WITH_LANGUAGE)
    assert src["language"] == ["en"]
    assert src["language_key"] == ["en"]


def test_the_api_takes_the_new_filter() -> None:
    parameters = inspect.signature(filters_dependency(WITH_LANGUAGE)).parameters
    assert "language" in parameters
    assert "language" not in inspect.signature(filters_dependency()).parameters


def test_an_entity_type_the_registry_does_not_declare_is_refused() -> None:
    with pytest.raises(UnknownEntityType, match="location:chicago has type 'location'"):
        build_page_records(
            Doc("d"), [Page(1, "x")], [Mention(1, "location:chicago")], [Link()], {"location:chicago": "location"}
        )


def test_registry_rows_are_consistent() -> None:
    assert set(FIELDS.facets) <= set(FIELDS.filterable) <= {f.name for f in FIELDS}
    with pytest.raises(ValueError, match="declared twice"):
        FIELDS.adding(FIELDS["vendor"])
    with pytest.raises(ValueError, match="a facet is filterable"):
        FIELDS.adding(Field("x", "keyword", "X", "X", "", "values", facet=True))
