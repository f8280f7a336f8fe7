"""Entity field values by name, alias and corrected name, on the ingested sample (real gazetteer, spaCy,
tantivy): `vendor:clearview`, `product:rekognition`, `vendor:AWS` find what the hidden id finds, in the
result list, the histogram, the batch, the viewer's hit pages and the export; a value naming nothing
suggests the closest entities; a renamed entity is found by its new name only in its own collection."""

from __future__ import annotations

from typing import Any

from api.entity_names import reader_entity_names
from tests.api.conftest import ApiStack


def _search(api: ApiStack, q: str) -> dict[str, Any]:
    answer = api.client.get("/api/v1/search", params={"q": q, "limit": 100})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _documents(body: dict[str, Any]) -> set[str]:
    return {i["document_id"] for i in body["items"]}


def test_names_and_aliases_find_what_the_id_finds(api: ApiStack) -> None:
    cases = {
        "vendor:clearview-ai": ("vendor:clearview", 'vendor:"Clearview AI"', "vendor:ClearviewAI"),
        "product:amazon-rekognition": ("product:rekognition", 'product:"AWS Rekognition"', "product:Rekognition"),
        "vendor:amazon": ("vendor:AWS", 'vendor:"Amazon Web Services"', "vendor:aws"),
    }
    for entity_id, queries in cases.items():
        by_id = _search(api, f'{entity_id.split(":")[0]}:"{entity_id}"')
        # The generated truth: the files whose pages mention the entity.
        said = {f.file_name for f in api.truth.files if entity_id in {e.replace("_", "-") for e in f.entity_ids}}
        assert said, entity_id
        assert {i["file_name"] for i in by_id["items"]} == said, entity_id
        for q in queries:
            body = _search(api, q)
            assert _documents(body) == _documents(by_id), q
            assert body["total_pages"] == by_id["total_pages"], q
            assert body["suggestions"] == [], q
            histogram = api.client.get("/api/v1/search/histogram", params={"q": q}).json()
            assert sum(b["documents"] for b in histogram["buckets"]) + histogram["undated_documents"] == len(said)
            hit_pages = sum(i["hit_pages"] for i in body["items"])
            viewer = sum(
                len(api.client.get(f"/api/v1/documents/{d}/hits", params={"q": q}).json()["pages"])
                for d in _documents(body)
            )
            assert viewer == hit_pages == body["total_pages"], q
    batch = api.client.post("/api/v1/search/batch", json={"queries": ["vendor:AWS", "vendor:amazon"]}).json()
    assert batch["items"][0]["documents"] == batch["items"][1]["documents"] > 0
    exported = api.client.get("/api/v1/search/export", params={"q": "vendor:AWS", "format": "ndjson"})
    assert len(exported.text.splitlines()) == _search(api, "vendor:amazon")["total_pages"]


def test_a_value_naming_nothing_suggests_the_closest_entities(api: ApiStack) -> None:
    body = _search(api, "vendor:clearveiw OR product:rekogniton")
    assert body["total_documents"] == 0
    suggestions = {s["field"]: s for s in body["suggestions"]}
    assert suggestions["vendor"]["value"] == "clearveiw"
    assert suggestions["vendor"]["entities"][0] == {"id": "vendor:clearview-ai", "name": "Clearview AI"}
    assert suggestions["product"]["entities"][0]["id"] == "product:amazon-rekognition"
    # Only entities of the field, and only ones the reader can find.
    known = {e.id for e in reader_entity_names(api.stack.catalog, None).entities}
    for s in body["suggestions"]:
        assert all(e["id"].startswith(s["field"] + ":") and e["id"] in known for e in s["entities"])
    assert _search(api, "vendor:clearview")["suggestions"] == []
    assert _search(api, "clearveiw")["suggestions"] == []  # words of the text are not field values


def test_a_corrected_name_is_found_only_in_the_collection_that_gave_it(api: ApiStack) -> None:
    catalog = api.stack.catalog
    own = catalog.productions.collection_by_name("default").id
    other = catalog.productions.ensure_collection("another matter").id
    before = _search(api, "vendor:clearview")
    answer = api.client.patch("/api/v1/entities/vendor:clearview-ai", json={"name": "Hoan's Company"})
    assert answer.status_code == 200, answer.text
    try:
        api.stack.run_until_idle()
        api.stack.index.refresh()
        renamed = _search(api, 'vendor:"Hoan\'s Company"')
        assert _documents(renamed) == _documents(before) and renamed["suggestions"] == []
        assert _documents(_search(api, "vendor:clearview")) == _documents(before)  # aliases still answer
        mine = reader_entity_names(catalog, [own])
        theirs = reader_entity_names(catalog, [other])
        assert mine.ids_for("vendor", "Hoan's Company") == ("vendor:clearview-ai",)
        # Another matter's reader: nothing of this collection can match or be suggested.
        assert theirs.entities == ()
        assert theirs.ids_for("vendor", "Hoan's Company") == ()
        assert theirs.suggest("vendor", "Hoans Company") == ()
    finally:
        assert api.client.delete("/api/v1/entities/vendor:clearview-ai/correction").status_code == 204
        api.stack.run_until_idle()
        api.stack.index.refresh()
