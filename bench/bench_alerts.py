"""How soon an alert's webhook leaves after a production's last document is indexed (figures go to
bench/RESULTS.md): the worker runs in the background as `foia worker` does, on SQLite and tantivy, with a
saved search whose alert posts to a local HTTP receiver. For each production the latency is the time from
the production reading finished (polled every 50 ms) to the receiver getting the signed POST.

Side by side in one run: the worker as wired (each finished job hints its productions to the upkeep thread,
which runs every 2 s), and the baseline without hints (only the full sweep of every production, every 30 s,
which is what tells productions after a restart).

    .venv/bin/python bench/bench_alerts.py [--productions 6]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.blobstore import LocalBlobStore  # noqa: E402
from catalog.intake import Intake  # noqa: E402
from catalog.limits import Limits  # noqa: E402
from catalog.sql import SqlCatalog  # noqa: E402
from ingest.alert_sender import DeliverySender, SmtpConfig  # noqa: E402
from ingest.alerts import AlertsListener  # noqa: E402
from ingest.indexing import Indexer  # noqa: E402
from ingest.production_events import ProductionEvents  # noqa: E402
from ingest.worker import Worker, WorkerConfig  # noqa: E402
from search.tantivy_backend import TantivyBackend  # noqa: E402
from tests.factories import born_digital_pdf  # noqa: E402
from tests.receivers import webhook_receiver  # noqa: E402


class NoHints(ProductionEvents):
    def touched(self, document_ids: object) -> None:  # type: ignore[override]
        return None


def run(analyzer: object, productions: int, hinted: bool) -> list[float]:
    from nlp import document_date

    with tempfile.TemporaryDirectory() as tmp, webhook_receiver() as hooks:
        root = Path(tmp)
        catalog = SqlCatalog(f"sqlite:///{root / 'catalog.sqlite'}")
        catalog.create_schema()
        index = TantivyBackend(root / "index")
        blobs = LocalBlobStore(root / "originals")
        events_class = ProductionEvents if hinted else NoHints
        worker = Worker(
            catalog,
            blobs,
            analyzer,  # type: ignore[arg-type]
            document_date,
            Indexer(catalog, index),
            WorkerConfig(processes=2, lease_seconds=30),
        )
        worker.events = events_class(
            catalog.production_notices, {"alerts": AlertsListener(catalog, index)}, worker.worker_id
        )
        worker.upkeep = (DeliverySender(catalog, worker.worker_id, SmtpConfig(host=None)).send_due,)
        collection = catalog.productions.ensure_collection("matter").id
        catalog.saved_searches.create(
            collection_id=collection,
            owner="bench",
            name="watch",
            query="palantir",
            filters={},
            date_from=None,
            date_to=None,
            sort="relevance",
            alert=True,
            webhook_url=hooks.to("/ok"),
            email=None,
        )
        stop = threading.Event()
        runner = threading.Thread(target=worker.run, args=(stop,), daemon=True)
        runner.start()
        latencies = []
        try:
            for n in range(productions):
                folder = root / f"p{n}"
                folder.mkdir()
                for k in range(3):
                    (folder / f"{k}.pdf").write_bytes(born_digital_pdf([f"Palantir contract {n}-{k} for the pilot."]))
                production = catalog.productions.create_production(collection, f"Release {n}")
                hooks.arrived.clear()
                Intake(catalog, blobs, production.id, Limits(), root / "spool").add_paths(sorted(folder.glob("*.pdf")))
                while not catalog.productions.progress(production.id).finished:
                    time.sleep(0.05)
                finished = time.monotonic()
                if not hooks.arrived.wait(120):
                    raise RuntimeError("no webhook within 120 s")
                latencies.append(time.monotonic() - finished)
        finally:
            stop.set()
            runner.join(60)
            worker.close()
            index.close()
            catalog.close()
        return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--productions", type=int, default=6)
    args = parser.parse_args()
    from nlp import Analyzer

    analyzer = Analyzer()
    for label, hinted in (("as wired (hints + full sweep)", True), ("baseline: full sweep only", False)):
        values = run(analyzer, args.productions, hinted)
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"{label}: {len(values)} productions, webhook after the last document: median "
            f"{statistics.median(values):.2f} s, p95 {p95:.2f} s, max {max(values):.2f} s"
        )


if __name__ == "__main__":
    main()
