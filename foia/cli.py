"""The `foia` command: ingest, worker, serve, status, retry, reindex, reanalyze, sample."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import structlog
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from catalog.errors import InvalidName, NotFound
from catalog.intake import Intake
from catalog.models import FileStatus, Production
from catalog.productions import DEFAULT_COLLECTION
from foia.logsetup import configure_logging
from foia.settings import Settings
from foia.wiring import Services, make_worker, open_services, open_services_when_possible

app = typer.Typer(add_completion=False, no_args_is_help=True, help="FOIA Discovery: search released records.")
token_app = typer.Typer(no_args_is_help=True, help="API tokens: create (shown once), list, revoke.")
app.add_typer(token_app, name="token")
console = Console(stderr=True)
log = structlog.get_logger("foia.cli")


def _services() -> Services:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    return open_services(settings)


# Named, not "auto": uvicorn's pure-Python fallbacks are slower, and with several processes the sockets the
# supervisor hands over lose TCP_NODELAY under asyncio's loop, adding 40 ms (delayed ACK) to every response;
# uvloop sets it on every connection. httptools with a limit on the request head (foia.http_protocol).
SERVER_OPTIONS: dict[str, Any] = {
    "loop": "uvloop",
    "http": "foia.http_protocol:HeadLimitedHttpToolsProtocol",
    "log_level": "warning",
}


def _stop_on_signals(stop: threading.Event) -> None:
    def handler(signum: int, _frame: object) -> None:
        log.info("stopping", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files, folders and zip archives.")],
    production: Annotated[str, typer.Option("--production", "-p", help="Production name (created if new).")],
    collection: Annotated[str, typer.Option(help="Collection (matter) the production belongs to.")] = (
        DEFAULT_COLLECTION
    ),
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Only queue the files; `foia worker` does the rest.")] = (
        False
    ),
) -> None:
    """Add files to a production and process them, with a progress bar."""
    services = _services()
    target = services.catalog.productions.get_or_create_production(
        services.catalog.productions.ensure_collection(collection).id, production
    )
    intake = Intake(
        services.catalog, services.blobs, target.id, services.settings.limits(), services.settings.spool_dir
    )
    report = intake.add_paths(paths)
    console.print(f"queued {len(report.accepted)} file(s), refused {len(report.rejected)} in production {production!r}")
    for refused in report.rejected:
        console.print(f"  [red]refused[/red] {refused.original_name}: {refused.error}")
    if no_wait:
        return
    _process_until_done(services, target)
    _print_status(services, target)


def _process_until_done(services: Services, target: Production) -> None:
    worker = make_worker(services)
    stop = threading.Event()
    _stop_on_signals(stop)
    runner = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    runner.start()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} files"),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task("ingesting", total=None, detail="")
        while not stop.is_set():
            progress = services.catalog.productions.progress(target.id)
            files, pages = progress.files, progress.pages
            settled = files.done + files.failed + files.duplicate
            bar.update(
                task,
                total=files.total,
                completed=settled,
                detail=f"pages {pages.total} (OCR {pages.ocr}), failed {files.failed}, duplicate {files.duplicate}",
            )
            if progress.finished:
                break
            time.sleep(0.3)
    stop.set()
    runner.join()
    worker.close()


@app.command()
def worker() -> None:
    """Process queued files until stopped (SIGTERM/SIGINT finish the current file first)."""
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format)
    stop = threading.Event()
    _stop_on_signals(stop)
    services = open_services_when_possible(settings, stop)  # a full disk: wait for space, do not exit
    if services is None:
        return
    the_worker = make_worker(services)
    log.info("worker_started", worker_id=the_worker.worker_id, processes=services.settings.workers)
    the_worker.run(stop)
    the_worker.close()
    log.info("worker_stopped", worker_id=the_worker.worker_id)


@app.command()
def status(production: Annotated[str | None, typer.Argument(help="Production name or id.")] = None) -> None:
    """Progress of one production, or of all."""
    services = _services()
    targets = (
        [_find_production(services, production)] if production else services.catalog.productions.list_productions()
    )
    for target in targets:
        _print_status(services, target)


def _find_production(services: Services, name_or_id: str) -> Production:
    for candidate in services.catalog.productions.list_productions():
        if name_or_id in (candidate.id, candidate.name):
            return candidate
    console.print(f"[red]no production {name_or_id!r}[/red]")
    raise typer.Exit(2)


def _print_status(services: Services, target: Production) -> None:
    progress = services.catalog.productions.progress(target.id)
    table = Table(title=f"{target.name} ({target.id})")
    for column in ("files", "pending", "processing", "done", "failed", "duplicate", "pages", "text layer", "OCR"):
        table.add_column(column, justify="right")
    f, p = progress.files, progress.pages
    table.add_row(
        *map(str, (f.total, f.pending, f.processing, f.done, f.failed, f.duplicate, p.total, p.text_layer, p.ocr))
    )
    Console().print(table)
    for failed in services.catalog.productions.list_files(target.id, status=FileStatus.FAILED, limit=1000):
        Console().print(f"  failed: {failed.original_name}: {failed.error}")


@app.command()
def retry(
    failed: Annotated[
        bool,
        typer.Option("--failed", help="Queue every retryable file again (failures not the file's own, warned pages)."),
    ] = False,
    production: Annotated[str | None, typer.Option(help="Only this production (name or id).")] = None,
) -> None:
    """Queue retryable files again (run `foia worker`, or `foia serve`, to process them): failures that are not
    the file's own, and pages whose OCR stopped (just those pages are OCR'd again)."""
    if not failed:
        console.print("nothing to do: say --failed")
        raise typer.Exit(2)
    services = _services()
    target = _find_production(services, production).id if production else None
    count = services.catalog.jobs.retry_failed(target)
    console.print(f"queued {count} retryable file(s) again")


@app.command()
def reindex() -> None:
    """Rebuild the search index from the catalog (no OCR)."""
    services = _services()
    started = time.perf_counter()
    with Progress(TextColumn("reindexing"), TextColumn("{task.completed} documents"), console=console) as bar:
        task = bar.add_task("reindex", total=None)
        documents, pages = services.indexer.reindex_all(lambda _doc, _n: bar.advance(task))
    console.print(f"indexed {pages} pages of {documents} documents in {time.perf_counter() - started:.1f}s")


@app.command()
def reanalyze() -> None:
    """Extract entities, dates, codes and Bates numbers again from the stored page text, bring stored box
    labels to their stamp, then reindex."""
    from ingest.reanalyze import reanalyze_all
    from nlp import Analyzer, document_date

    services = _services()
    started = time.perf_counter()
    analyzer = Analyzer()
    with Progress(TextColumn("re-analyzing"), TextColumn("{task.completed} documents"), console=console) as bar:
        task = bar.add_task("reanalyze", total=None)
        count = reanalyze_all(services.catalog, analyzer, document_date, lambda _doc: bar.advance(task))
    _documents, pages = services.indexer.reindex_all()
    console.print(f"re-analyzed {count} documents and reindexed {pages} pages in {time.perf_counter() - started:.1f}s")


@app.command()
def sample(dest: Annotated[Path, typer.Argument(help="Folder to write the sample production to.")]) -> None:
    """Write the generated sample production (PDFs and truth.json)."""
    from ingest.sample import write_sample_production

    manifest = write_sample_production(dest)
    console.print(f"wrote the sample production to {dest} ({len(manifest.files)} files)")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address (default FOIA_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default FOIA_PORT).")] = None,
    no_worker: Annotated[bool, typer.Option("--no-worker", help="Do not process uploads in this process.")] = False,
    processes: Annotated[
        int | None, typer.Option("--processes", min=1, help="API processes (default FOIA_API_PROCESSES).")
    ] = None,
) -> None:
    """Serve the API and the UI, with an in-process worker unless --no-worker."""
    import uvicorn

    from foia.api_processes import run_api
    from foia.asgi import SERVING_PID_VARIABLE, api_settings, served_app
    from foia.netcheck import is_loopback

    services = _services()
    settings = services.settings
    bind_host, bind_port = host or settings.host, port or settings.port
    loopback = is_loopback(bind_host)
    tokens = services.catalog.tokens
    sign_in_on = tokens.sign_in_on()
    if not loopback and not sign_in_on:
        console.print(
            f"[red]refusing to serve on {bind_host}: it is not a loopback address and no API token exists.[/red]\n"
            "Create one first: foia token create --role admin --collection '*' --name me"
        )
        services.close()
        raise typer.Exit(2)
    if not sign_in_on:
        log.warning(
            "serving_open",
            detail="no API token exists: anyone on this machine can read and upload; "
            "`foia token create` turns sign-in on",
        )
    elif not tokens.any_active():
        log.warning("sign_in_locked", detail="every API token has been revoked: nobody can sign in until one is made")
    options = {**SERVER_OPTIONS, "h11_max_incomplete_event_size": settings.max_header_bytes}
    stop = threading.Event()
    worker_thread: threading.Thread | None = None
    the_worker = None
    if not no_worker:
        the_worker = make_worker(services)
        worker_thread = threading.Thread(target=the_worker.run, args=(stop,), daemon=True, name="worker")
        worker_thread.start()
    api_processes = processes or settings.api_processes
    # uvicorn shuts down gracefully on SIGTERM/SIGINT, then re-raises the signal to the handler it found:
    # ours stops the worker (which releases or finishes its job) instead of killing the process mid-write.
    # With several API processes uvicorn's supervisor takes the signals, stops its processes gracefully
    # and returns; the worker stops below.
    _stop_on_signals(stop)
    url = f"http://{bind_host}:{bind_port}"
    log.info("starting", url=url, worker=not no_worker, api_processes=api_processes)
    if api_processes == 1:
        app = served_app(services, api_settings(settings), open_allowed=loopback)
        config = uvicorn.Config(app, host=bind_host, port=bind_port, **options)
    else:
        # Each API process builds its app from the environment: pass on what the options changed.
        os.environ["FOIA_HOST"], os.environ["FOIA_PORT"] = bind_host, str(bind_port)
        os.environ[SERVING_PID_VARIABLE] = str(os.getpid())
        config = uvicorn.Config(
            "foia.asgi:app_from_environment",
            factory=True,
            workers=api_processes,
            host=bind_host,
            port=bind_port,
            **options,
        )
    try:
        run_api(
            config,
            start_seconds=settings.api_start_seconds,
            health_seconds=settings.api_health_seconds,
            on_serving=lambda: log.info("serving", url=url, worker=not no_worker, api_processes=api_processes),
        )
    finally:
        stop.set()
        if worker_thread is not None and the_worker is not None:
            worker_thread.join()
            the_worker.close()
        services.close()


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="reader, uploader or admin.")],
    collection: Annotated[
        list[str], typer.Option("--collection", "-c", help="Collection name (repeat); '*' for every one (admin).")
    ],
    name: Annotated[str, typer.Option(help="Who or what the token is for.")] = "token",
) -> None:
    """Create a token; it is printed once (only its sha256 is stored)."""

    services = _services()
    try:
        created = services.catalog.tokens.create(name, role, collection)
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    services.catalog.audit.record(
        "cli", "token.create", created.record.id, {"name": name, "role": role, "collections": list(collection)}
    )
    console.print(f"created {created.record.id} ({role}) for {', '.join(collection)}; it is shown only now:")
    print(created.secret)
    services.close()


@token_app.command("list")
def token_list() -> None:
    """Tokens with their role, collections and state (never the secrets)."""

    services = _services()
    names = {c.id: c.name for c in services.catalog.productions.list_collections()}
    # Plain tab-separated lines: ids are never cut short, and scripts can read them.
    print("id\tname\trole\tcollections\tcreated\trevoked")
    for record in services.catalog.tokens.list():
        ids = record.collection_ids
        scope = "*" if ids is None else ",".join(sorted(names.get(c, c) for c in ids))
        print("\t".join((record.id, record.name, record.role, scope, record.created_at, record.revoked_at or "")))
    services.close()


@token_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="Token id (from `foia token list`).")]) -> None:
    """Revoke a token (API processes stop accepting it within seconds)."""

    services = _services()
    store = services.catalog.tokens
    record = store.revoke(token_id)
    services.catalog.audit.record("cli", "token.revoke", record.id, {"name": record.name})
    console.print(f"revoked {record.id} ({record.name})")
    if not store.any_active():
        # Sign-in stays on: the server does not fall back to running open, it refuses everyone.
        console.print("[yellow]no active token is left: the API refuses every request until one is created[/yellow]")
    services.close()


@app.command()
def check(
    repair: Annotated[bool, typer.Option("--repair/--no-repair", help="Fix what can be fixed.")] = True,
) -> None:
    """Verify catalog <-> originals <-> index; repair what can be (exit 1 when problems remain)."""
    from ingest.check import run_check

    services = _services()
    report = run_check(services.catalog, services.blobs, services.search, services.indexer, repair=repair)
    for line in report.lines():
        console.print(line)
    services.close()
    raise typer.Exit(report.exit_code)


def main() -> None:
    try:
        app()
    except (NotFound, InvalidName) as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)


if __name__ == "__main__":
    main()
