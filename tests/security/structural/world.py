"""Two matters ingested for real, one document released in both, and every string that belongs to one
matter only: the world every isolation case of the structural suite runs in.

Each matter's names (collection, production, file names, titles, tokens) and the words and organization
only its own records mention are built around codewords that occur nowhere else (not in the other
matter, not in the shared record, not in the UI or the OpenAPI document), so finding one in the other
matter's responses is a leak and never a coincidence. Matter B links the shared record first, under its
own file name, so that the record's catalog title is derived from B's name (the record has an empty
/Title): what matter A sees of that record must come from A's own link. A second shared record is released
by each matter only in a production both matters call "Release 1": a name is no proof of whose
production it is.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.config import ApiSettings
from catalog.blobstore import LocalBlobStore
from catalog.database import document_id_for
from catalog.intake import Intake
from catalog.limits import Limits
from catalog.sql import SqlCatalog
from foia.asgi import served_app
from ingest.indexing import Indexer
from ingest.screening import Screener, collection_names
from ingest.worker import Worker, WorkerConfig
from nlp import document_date
from search.backend import SearchRequest
from tests import factories
from tests.security.conftest import _backend

COMMON_PRODUCTION = "Release 1"  # a production name both matters use
SHARED_TEXT = "Date: January 9, 2018\nA memo released in both matters mentions Microsoft and Clearview AI. (b)(6)"
# Matter B uploads it with the rest; matter A links it once everything is indexed.
LATE_TEXT = "Date: August 8, 2016\nA notice one matter added to its release later mentions Microsoft. (b)(6)"
REISSUED_TEXT = "Date: May 2, 2017\nA letter both matters released as Release 1 mentions Microsoft. (b)(5)"


@dataclass(frozen=True)
class MatterNames:
    """What one matter calls things. Every value contains one of `codewords` (long enough that no random
    token, cookie or id can hold one by chance)."""

    key: str
    collection: str
    production: str
    own_file: str
    own_title: str  # the /Title of the matter's own record
    shared_file: str  # the matter's file name for the shared record
    reissue_file: str  # its file name for the record it released in its production called COMMON_PRODUCTION
    late_file: str  # its file name for the record matter A links only after it was indexed for B
    word: str  # a word only this matter's record holds
    organization: str  # an organization only this matter's record names (not in the gazetteer)
    bates: str
    reader: str
    uploader: str
    codewords: tuple[str, ...]

    def text(self) -> str:
        return (
            f"Federal agency memo\nDate: {'March 3, 2019' if self.key == 'a' else 'June 5, 2020'}\n"
            "The office met Clearview AI about face recognition and signed a contract.\n"
            f"{self.word} reviewers met {self.organization} about the contract. (b)(7)(C)\n{self.bates}"
        )


MATTER_NAMES = {
    "a": MatterNames(
        key="a",
        collection="halvorsen-v-dhs",
        production="Orchidane release 1",
        own_file="tamberlyx-memo.pdf",
        own_title="Wendricott Memorandum",
        shared_file="Shared copy Ospreyfield.pdf",
        reissue_file="ospreyfield-reissue.pdf",
        late_file="ospreyfield-late-notice.pdf",
        word="Kestrovian",
        organization="Brindlemoor Analytics LLC",
        bates="KSV-004512",
        reader="alice-halvorsen",
        uploader="ulla-halvorsen",
        codewords=(
            "halvorsen",
            "orchidane",
            "tamberlyx",
            "wendricott",
            "ospreyfield",
            "kestrovian",
            "brindlemoor",
            "KSV-004512",
        ),
    ),
    "b": MatterNames(
        key="b",
        collection="quillfeather-v-fbi",
        production="Zanthrop release 1",
        own_file="qwyndle-letter.pdf",
        own_title="Mordecant Dossier",
        shared_file="Shared copy Plixotrum.pdf",
        reissue_file="plixotrum-reissue.pdf",
        late_file="plixotrum-late-notice.pdf",
        word="Zorquential",
        organization="Vexnarro Holdings LLC",
        bates="ZQB-000451",
        reader="bob-quillfeather",
        uploader="ursula-quillfeather",
        codewords=(
            "quillfeather",
            "zanthrop",
            "qwyndle",
            "mordecant",
            "plixotrum",
            "zorquential",
            "vexnarro",
            "ZQB-000451",
        ),
    ),
}


@dataclass
class Matter:
    """One matter as ingested: its names and the ids the catalog gave its objects."""

    names: MatterNames
    collection_id: str = ""
    production_id: str = ""
    reissue_production_id: str = ""  # the one called COMMON_PRODUCTION
    own_document: str = ""
    organization_id: str = ""
    file_ids: list[str] = field(default_factory=list)
    token_ids: list[str] = field(default_factory=list)
    # "shared" and "private": the reader's notes on the shared record (secrets); "spare": the uploader's
    # private note on the matter's own record, which no reader sees (a probe deletes it).
    note_ids: dict[str, str] = field(default_factory=dict)
    saved_search_id: str = ""  # the reader's saved search of the matter's codeword, with an alert
    spare_saved_search_id: str = ""  # another, for the probe that deletes one
    alert_id: str = ""
    # "watchlist" and its screening "watchlist run" (secrets); "spare": one that probes edit and screen;
    # "doomed": one a probe deletes.
    watchlist_ids: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.names.key

    def secrets(self) -> dict[str, str]:
        """label -> a string that belongs to this matter only."""
        found = {f"codeword {w}": w for w in self.names.codewords}
        found |= {
            "collection id": self.collection_id,
            "production id": self.production_id,
            "reissue production id": self.reissue_production_id,
            "own document id": self.own_document,
            "organization id": self.organization_id,
        }
        found |= {f"file id {n}": i for n, i in enumerate(self.file_ids)}
        found |= {f"token id {n}": i for n, i in enumerate(self.token_ids)}
        found |= {f"{kind} note id": i for kind, i in self.note_ids.items() if kind != "spare"}
        found |= {
            "saved search id": self.saved_search_id,
            "spare saved search id": self.spare_saved_search_id,
            "alert id": self.alert_id,
        }
        found |= {f"{kind} id": i for kind, i in self.watchlist_ids.items() if kind not in ("spare", "doomed")}
        return found

    def drawn_ids(self) -> dict[str, str]:
        """label -> every id the catalog drew at random for this matter: its secrets, and the ids of the
        objects probes change (which a read lists until then, so two worlds differ in them)."""
        found = {label: v for label, v in self.secrets().items() if not label.startswith("codeword")}
        found |= {f"{kind} watchlist id": i for kind, i in self.watchlist_ids.items() if kind in ("spare", "doomed")}
        return found


@dataclass
class World:
    client: TestClient
    catalog: SqlCatalog
    engine: str
    catalog_kind: str
    matters: dict[str, Matter]
    shared_document: str
    reissued_document: str  # the record each matter released only in its production called COMMON_PRODUCTION
    late_document: str  # the record A links after it was indexed (B's) or alone (A's own world)
    tokens: dict[str, str]  # "reader-a", "uploader-b"... -> secret
    root: Path
    writes: int = 0  # requests sent that change what a matter holds (new productions, uploads, retries)

    def headers(self, role: str, matter: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[f'{role}-{matter}']}"}


def catalog_url(kind: str, root: Path) -> Generator[str, None, None]:
    """A fresh catalog: a SQLite file, or a PostgreSQL schema of its own (dropped afterwards)."""
    if kind == "sqlite":
        yield f"sqlite:///{root / 'catalog.sqlite'}"
        return
    from tests.catalog.postgres import fresh_schema

    with fresh_schema() as url:
        yield url


def build_world(
    engine: str, catalog_kind: str, root: Path, analyzer: object, keys: tuple[str, ...] = ("b", "a")
) -> Generator[World, None, None]:
    """The matters of `keys`, linked in that order (one key: a world where the other matter never was)."""
    _check_codewords_are_distinctive()
    urls = catalog_url(catalog_kind, root)
    search = _backend(engine, root)
    catalog = SqlCatalog(next(urls))
    catalog.create_schema()
    blobs = LocalBlobStore(root / "originals")
    limits = Limits()
    worker = Worker(
        catalog,
        blobs,
        analyzer,  # type: ignore[arg-type]
        document_date,
        Indexer(catalog, search),
        WorkerConfig(processes=1, limits=limits, lease_seconds=30),
    )
    shared = factories.born_digital_pdf([SHARED_TEXT], title="")
    reissued = factories.born_digital_pdf([REISSUED_TEXT], title="")
    late = factories.born_digital_pdf([LATE_TEXT], title="")
    matters = {key: Matter(MATTER_NAMES[key]) for key in sorted(keys)}
    shared_document = reissued_document = ""
    for key in keys:  # B links the shared records first: their catalog titles come from B's names
        matter, names = matters[key], MATTER_NAMES[key]
        matter.collection_id = catalog.productions.ensure_collection(names.collection).id
        matter.production_id = catalog.productions.create_production(matter.collection_id, names.production).id
        folder = root / f"upload-{key}"
        folder.mkdir()
        (folder / names.shared_file).write_bytes(shared)
        own_pages = [names.text(), f"Second page of the {names.own_title}."]
        (folder / names.own_file).write_bytes(factories.born_digital_pdf(own_pages, title=names.own_title))
        (folder / names.late_file).write_bytes(late)
        intake = Intake(catalog, blobs, matter.production_id, limits, root / "spool")
        for path in (folder / names.shared_file, folder / names.own_file, folder / names.late_file):
            if key == "b" or path.name != names.late_file:
                intake.add_path(path)
        for record in intake.report.accepted:
            assert record.document_id is not None
            matter.file_ids.append(record.id)
            if record.original_name == names.own_file:
                matter.own_document = record.document_id
            elif record.original_name == names.shared_file:
                shared_document = record.document_id
        matter.reissue_production_id = catalog.productions.create_production(matter.collection_id, COMMON_PRODUCTION).id
        (folder / names.reissue_file).write_bytes(reissued)
        reissue = Intake(catalog, blobs, matter.reissue_production_id, limits, root / "spool")
        reissue.add_path(folder / names.reissue_file)
        for record in reissue.report.accepted:
            assert record.document_id is not None
            matter.file_ids.append(record.id)
            reissued_document = record.document_id
    # The readers' notes are in the catalog before anything is indexed: the pages carry them from the start
    # (a later re-projection would change the pages' indexing order, and so the export's).
    tokens = _tokens(catalog, matters)
    for matter in matters.values():
        _write_notes(catalog, matter, shared_document)
    worker.run(threading.Event(), until_idle=True)
    _link_late(catalog, blobs, limits, root, matters.get("a"))
    worker.run(threading.Event(), until_idle=True)  # whatever linking queued
    search.refresh()
    for matter in matters.values():
        matter.organization_id = _only_organization(catalog, matter)
        _check_notes_are_found(search, matter)
        _saved_searches(catalog, matter)
        _screen_watchlist(catalog, search, matter)
    app = served_app(_Services(catalog, blobs, search), ApiSettings(limits=limits, spool_dir=root / "spool"))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield World(
                client,
                catalog,
                engine,
                catalog_kind,
                matters,
                shared_document,
                reissued_document,
                document_id_for(hashlib.sha256(late).hexdigest()),
                tokens,
                root,
            )
    finally:
        worker.close()
        destroy = getattr(search, "destroy", None)
        if callable(destroy):
            destroy()
        search.close()
        catalog.close()
        urls.close()


@dataclass
class _Services:
    catalog: SqlCatalog
    blobs: LocalBlobStore
    search: Any


def _link_late(catalog: SqlCatalog, blobs: LocalBlobStore, limits: Limits, root: Path, matter: Matter | None) -> None:
    """Matter A links the late record into its release once everything is indexed (a world without A: no-op)."""
    if matter is None:
        return
    intake = Intake(catalog, blobs, matter.production_id, limits, root / "spool")
    intake.add_path(root / "upload-a" / matter.names.late_file)
    matter.file_ids.extend(record.id for record in intake.report.accepted)


def _tokens(catalog: SqlCatalog, matters: dict[str, Matter]) -> dict[str, str]:
    store = catalog.tokens
    tokens: dict[str, str] = {}
    for key, matter in matters.items():
        admin = f"{matter.names.reader}-admin"  # scoped to the matter: corrects its entities (cases.py)
        for role, name in (("reader", matter.names.reader), ("uploader", matter.names.uploader), ("admin", admin)):
            created = store.create(name, role, [matter.names.collection])
            tokens[f"{role}-{key}"] = created.secret
            matter.token_ids.append(created.record.id)
    return tokens


def _write_notes(catalog: SqlCatalog, matter: Matter, shared_document: str) -> None:
    """The matter's notes: its reader's shared and private notes on the shared record (their texts hold the
    matter's codewords), and its uploader's private note on its own record."""
    names = matter.names
    # The principals' names (api.auth.principal_of) of the tokens _tokens made: reader, uploader, admin.
    reader, uploader = f"token:{matter.token_ids[0]}:{names.reader}", f"token:{matter.token_ids[1]}:{names.uploader}"
    notes = catalog.notes
    shared = notes.create(matter.collection_id, shared_document, 1, reader, f"{names.word} review", shared=True)
    private = notes.create(matter.collection_id, shared_document, 1, reader, f"Ask {names.organization}")
    spare = notes.create(matter.collection_id, matter.own_document, 1, uploader, "the uploader's own")
    matter.note_ids = {"shared": shared.id, "private": private.id, "spare": spare.id}


def _saved_searches(catalog: SqlCatalog, matter: Matter) -> None:
    """The matter's reader saved a search for the matter's word with an alert, which its release brought
    (recorded as the production hook records it, ingest/alerts.py), and a second one."""
    reader = catalog.tokens.get(matter.token_ids[0])  # _tokens made the reader's first
    owner = f"token:{reader.id}:{reader.name}"  # the principal's name (api/auth.py principal_of)
    common: dict[str, object] = {"filters": {}, "date_from": None, "date_to": None, "sort": "relevance", "email": None}
    saved, _ = catalog.saved_searches.create(
        collection_id=matter.collection_id,
        owner=owner,
        name=f"{matter.names.word} watch",
        query=matter.names.word,
        alert=True,
        webhook_url=None,
        **common,  # type: ignore[arg-type]
    )
    spare, _ = catalog.saved_searches.create(
        collection_id=matter.collection_id,
        owner=owner,
        name="spare",
        query="Microsoft",
        alert=False,
        webhook_url=None,
        **common,  # type: ignore[arg-type]
    )
    recorded = catalog.saved_searches.record_matches(saved, matter.production_id, [matter.own_document], lambda a: [])
    assert recorded.alert is not None
    matter.saved_search_id, matter.spare_saved_search_id, matter.alert_id = saved.id, spare.id, recorded.alert.id


def _screen_watchlist(catalog: SqlCatalog, search: Any, matter: Matter) -> None:
    """The matter's watchlist (its terms hold its codewords), screened against its collection, and two more
    for the probes that change them."""
    names = matter.names
    terms = [names.word, f'"{names.organization}"', "Microsoft", "clearview w/5 recognition", "vendor:microsoft"]
    watchlist = catalog.watchlists.create(matter.collection_id, f"{names.word} watch", terms, "world")
    spare = catalog.watchlists.create(matter.collection_id, f"{names.word} spare", ["contract"], "world")
    doomed = catalog.watchlists.create(matter.collection_id, f"{names.word} doomed", ["contract"], "world")
    screener = Screener(catalog, Indexer(catalog, search).records_for, collection_names(catalog))
    run_id = screener.queue(watchlist, None)
    screener.run(run_id)
    assert catalog.screening_runs.get(run_id).status == "done"
    matter.watchlist_ids = {"watchlist": watchlist.id, "watchlist run": run_id, "spare": spare.id, "doomed": doomed.id}


def _check_notes_are_found(search: Any, matter: Matter) -> None:
    """The notes' words are in the index for their readers (so the `note:` probes can find something)."""
    names, scope = matter.names, (matter.collection_id,)
    reader = f"token:{matter.token_ids[0]}:{names.reader}"
    private = f"note:{names.codewords[6]}"  # the organization's codeword, in the private note

    def pages(query: str, viewer: str | None) -> int:
        request = SearchRequest(query=query, collection_ids=scope, viewer=viewer, facets=())
        return int(search.search(request).total_pages)

    assert (pages(f"note:{names.word}", None), pages(private, reader), pages(private, None)) == (1, 1, 0)


def _only_organization(catalog: SqlCatalog, matter: Matter) -> str:
    """The id the entity pipeline gave the matter's own organization, whatever type it read it as
    (organization, or vendor for a company it does not know): read back, not guessed."""
    found = {m.entity_id for m in catalog.documents.mentions(matter.own_document)}
    core = matter.names.codewords[-2]  # the organization's codeword
    ids = [i for i in found if core in i]
    assert len(ids) == 1, f"the analyzer must find {matter.names.organization} as one organization: {found}"
    return ids[0]


def _check_codewords_are_distinctive() -> None:
    """No codeword of one matter occurs in what the other matter or the shared record says or is called."""
    for key, names in MATTER_NAMES.items():
        other = next(n for k, n in MATTER_NAMES.items() if k != key)
        said = " ".join(
            [SHARED_TEXT, REISSUED_TEXT, LATE_TEXT, other.text(), *(str(v) for v in vars(other).values())]
        ).lower()
        for word in names.codewords:
            assert word.lower() not in said, f"{word!r} of matter {key} is not distinctive"
        own = " ".join(str(v) for k, v in vars(names).items() if k not in ("key", "codewords")) + names.text()
        named = (
            names.collection,
            names.production,
            names.own_file,
            names.own_title,
            names.shared_file,
            names.reissue_file,
            names.late_file,
        )
        for value in named:
            assert any(w.lower() in value.lower() for w in names.codewords), value
        assert all(w.lower() in own.lower() for w in names.codewords)
