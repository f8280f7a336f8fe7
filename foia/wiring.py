"""The one place that turns settings into components (catalog, blob store, search backend, worker); the
served app is composed in foia.asgi."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from catalog.blobstore import BlobStore, LocalBlobStore
from catalog.diskfull import is_disk_full
from catalog.productions import DEFAULT_COLLECTION
from catalog.sql import SqlCatalog
from foia.settings import Settings
from ingest.alert_sender import DeliverySender, SmtpConfig
from ingest.alerts import LISTENER_NAME as ALERTS
from ingest.alerts import AlertsListener
from ingest.failure_log import RepeatedFailure
from ingest.indexing import Indexer
from ingest.production_events import ProductionEvents, ProductionListener
from ingest.screening import Screener, WatchlistScreening, collection_names
from ingest.worker import Worker, WorkerConfig, new_worker_id
from search.backend import SearchBackend


@dataclass
class Services:
    settings: Settings
    catalog: SqlCatalog
    blobs: BlobStore
    search: SearchBackend
    indexer: Indexer

    def close(self) -> None:
        self.search.close()
        self.catalog.close()


def make_search_backend(settings: Settings) -> SearchBackend:
    if settings.search_backend == "tantivy":
        from search.tantivy_backend import TantivyBackend

        settings.index_dir.mkdir(parents=True, exist_ok=True)
        return TantivyBackend(settings.index_dir)
    if settings.search_backend in ("opensearch", "elasticsearch"):
        # One DSL backend; the adapter only differs in its client (the elasticsearch client refuses
        # OpenSearch) and its point-in-time calls.
        if settings.search_backend == "opensearch":
            from search.opensearch_backend import opensearch_backend as make
        else:
            from search.elasticsearch_backend import elasticsearch_backend as make
        return make(
            settings.search_url,
            username=settings.search_username,
            password=settings.search_password.get_secret_value() if settings.search_password else None,
            verify_tls=settings.search_verify_tls,
            ca_bundle=settings.search_ca_bundle,
            index=settings.search_index,
            analyzer=settings.search_analyzer,
        )
    raise ValueError(f"search backend {settings.search_backend!r} is not available in this build")


def open_services(settings: Settings) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    catalog = SqlCatalog(settings.catalog_url, max_attempts=settings.max_attempts)
    try:
        catalog.create_schema()
        catalog.productions.ensure_collection(DEFAULT_COLLECTION)
    except BaseException:
        catalog.close()
        raise
    blobs = LocalBlobStore(settings.blob_dir)
    search = make_search_backend(settings)
    return Services(settings, catalog, blobs, search, Indexer(catalog, search))


def open_services_when_possible(
    settings: Settings, stop: threading.Event, retry_seconds: float = 2.0
) -> Services | None:
    """open_services, waiting while the disk is full (a worker started then waits for space instead of
    exiting); None if `stop` is set first. Any other error is raised as before."""
    failure = RepeatedFailure("catalog_unavailable")
    while not stop.is_set():
        try:
            services = open_services(settings)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            failure.failed(exc, doing="opening the catalog", retry_in_seconds=retry_seconds)
            stop.wait(retry_seconds)
            continue
        failure.succeeded()
        return services
    return None


def production_listeners(services: Services) -> dict[str, ProductionListener]:
    """Who is told when a production's last document is indexed (ingest/production_events.py), by a
    name kept in the catalog with each notice: renaming one tells it again about every production."""
    listeners: dict[str, ProductionListener] = {
        ALERTS: AlertsListener(services.catalog, services.search, services.settings.public_url),
    }
    catalog = services.catalog
    # Every production indexed is screened against its collection's watchlists (ingest/screening.py).
    listeners["watchlists"] = WatchlistScreening(
        Screener(catalog, services.indexer.records_for, collection_names(catalog))
    )
    return listeners


def make_production_events(services: Services, worker_id: str) -> ProductionEvents:
    return ProductionEvents(
        services.catalog.production_notices,
        production_listeners(services),
        owner=worker_id,
        lease_seconds=services.settings.lease_seconds,
    )


def smtp_config(settings: Settings) -> SmtpConfig:
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        sender=settings.smtp_from,
        timeout=settings.smtp_timeout_seconds,
    )


def make_delivery_sender(services: Services, worker_id: str) -> DeliverySender:
    settings = services.settings
    return DeliverySender(
        services.catalog,
        worker_id,
        smtp_config(settings),
        webhook_timeout=settings.webhook_timeout_seconds,
        max_attempts=settings.alert_max_attempts,
        retry_seconds=settings.alert_retry_seconds,
    )


def make_worker(services: Services, worker_id: str | None = None) -> Worker:
    # spaCy loads here, once per worker process.
    from nlp import Analyzer, document_date

    settings = services.settings
    worker_id = worker_id or new_worker_id()
    return Worker(
        catalog=services.catalog,
        blobs=services.blobs,
        analyzer=Analyzer(),
        date_document=document_date,
        indexer=services.indexer,
        config=WorkerConfig(
            processes=settings.workers,
            languages=settings.ocr_languages,
            limits=settings.limits(),
            lease_seconds=settings.lease_seconds,
            nice=settings.ingest_nice,
        ),
        worker_id=worker_id,
        events=make_production_events(services, worker_id),
        upkeep=[make_delivery_sender(services, worker_id).send_due],
    )
