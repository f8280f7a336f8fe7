"""Contracts every list keeps (docs/API.md): the entity list honours q and the search filters for every
type, batch takes its filters as JSON fields, and a cursor the server did not hand out is a 400."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import ApiStack


def _total(api: ApiStack, **params: object) -> int:
    response = api.client.get("/api/v1/search", params={"limit": 1, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["total_documents"])


def _entities(api: ApiStack, **params: object) -> list[dict[str, Any]]:
    response = api.client.get("/api/v1/entities", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_entity_list_counts_within_the_search_for_every_type(api: ApiStack) -> None:
    everything = _entities(api)
    for narrowing in ({"q": "clearview"}, {"q": "rekognition", "date_from": "2018-01-01"}):
        listed = _entities(api, **narrowing)
        assert listed and listed != everything, narrowing
        for item in listed:
            assert item["documents"] == _total(api, **narrowing, **{item["type"]: item["id"]}), (narrowing, item)
        assert [i["documents"] for i in listed] == sorted((i["documents"] for i in listed), reverse=True)
    agency = next(i for i in everything if i["type"] == "agency")
    for item in _entities(api, agency=agency["id"]):
        # As on /search, a type is counted without its own filter (multi-select), with every other one.
        narrowing = {} if item["type"] == "agency" else {"agency": agency["id"]}
        assert item["documents"] == _total(api, **narrowing, **{item["type"]: item["id"]}), item


def test_entity_list_refuses_what_search_refuses(api: ApiStack) -> None:
    bad = api.client.get("/api/v1/entities", params={"q": "(a"})
    assert bad.status_code == 400 and bad.json()["position"] == 0
    person = api.client.get("/api/v1/entities", params={"type": "person", "q": "clearview"})
    assert person.status_code == 400 and "person" in person.json()["detail"]


def test_batch_takes_filters_as_json_fields(api: ApiStack) -> None:
    vendor = _entities(api, type="vendor")[0]["id"]
    queries = ["rekognition", "clearview"]
    body = {"queries": queries, "vendor": [vendor], "date_from": "2018-01-01"}
    items = api.client.post("/api/v1/search/batch", json=body).json()["items"]
    for query, item in zip(queries, items, strict=True):
        assert item["documents"] == _total(api, q=query, vendor=vendor, date_from="2018-01-01"), item
        assert f"vendor={vendor.replace(':', '%3A')}" in item["link"]
    unfiltered = api.client.post("/api/v1/search/batch", json={"queries": queries}).json()["items"]
    assert [i["documents"] for i in items] != [i["documents"] for i in unfiltered]
    unknown = api.client.post("/api/v1/search/batch", json={"queries": ["x"], "vendors": [vendor]})
    assert unknown.status_code == 422
    twice = api.client.post(f"/api/v1/search/batch?vendor={vendor}", json={"queries": ["x"], "vendor": [vendor]})
    assert twice.status_code == 400 and "vendor" in twice.json()["detail"]


def test_lists_refuse_cursors_they_did_not_issue(api: ApiStack) -> None:
    files = f"/api/v1/productions/{api.production_id}/files"
    for url in (files, "/api/v1/productions", "/api/v1/entities"):
        response = api.client.get(url, params={"cursor": "garbage"})
        assert response.status_code == 400, url
        assert response.json()["type"].endswith("/problems/invalid-cursor"), url
    first = api.client.get(files, params={"limit": 1}).json()
    assert first["next_cursor"]
    second = api.client.get(files, params={"limit": 1, "cursor": first["next_cursor"]}).json()
    assert second["items"] and second["items"][0]["id"] != first["items"][0]["id"]
