"""Settings, built once in the entry points from FOIA_* environment variables (and a .env file).

Nothing below the entry points reads the environment: catalog/, search/ and nlp/ take these values as
arguments. Every field is documented in the README (tests/test_docs.py fails when one is not).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from catalog.limits import Limits


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FOIA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path("./data"), description="Where the catalog, originals and index live.")
    ocr_languages: str = Field("eng", description="Tesseract languages, joined by '+' (e.g. 'eng+spa').")
    workers: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="OCR processes and document threads per worker (default: the number of cores).",
    )
    ingest_nice: int = Field(
        10, ge=0, le=19, description="CPU nice value of OCR and analysis, so searches come first (0: equals)."
    )
    database_url: str | None = Field(
        None, description="Catalog database; default SQLite at DATA_DIR/catalog.sqlite. postgresql://... at scale."
    )
    search_backend: Literal["tantivy", "opensearch", "elasticsearch"] = Field(
        "tantivy", description="Search engine: embedded tantivy, or an OpenSearch/Elasticsearch cluster."
    )
    search_url: str = Field("http://127.0.0.1:9200", description="OpenSearch/Elasticsearch URL.")
    search_username: str | None = Field(None, description="OpenSearch/Elasticsearch user name.")
    search_password: SecretStr | None = Field(None, description="OpenSearch/Elasticsearch password.")
    search_verify_tls: bool = Field(True, description="Verify the search cluster's TLS certificate.")
    search_ca_bundle: Path | None = Field(None, description="CA bundle for the search cluster's certificate.")
    search_index: str = Field("foia-pages", description="Alias (and index-name prefix) of the page index.")
    search_analyzer: str = Field("english", description="Text analyzer for OpenSearch/Elasticsearch.")
    host: str = Field("127.0.0.1", description="Address `foia serve` listens on.")
    port: int = Field(8000, description="Port `foia serve` listens on.")
    lease_seconds: float = Field(60.0, gt=1, description="How long a worker holds a job without a heartbeat.")
    max_attempts: int = Field(3, ge=1, description="Attempts before a file that keeps killing workers fails.")
    max_file_bytes: int = Field(1 << 30, description="Largest original accepted (bytes).")
    max_upload_bytes: int = Field(4 << 30, description="Largest single upload request (bytes).")
    max_header_bytes: int = Field(
        64 * 1024, ge=1024, description="Largest request line and headers `foia serve` reads (bytes); 431 past it."
    )
    max_pages: int = Field(5000, description="Most pages in one PDF.")
    max_page_inches: float = Field(60.0, description="Longest page side accepted (inches).")
    max_render_pixels: int = Field(40_000_000, description="Pixel budget of one OCR render.")
    ocr_dpi: int = Field(300, description="OCR render resolution.")
    ocr_timeout_seconds: float = Field(120.0, description="OCR time limit per page.")
    max_archive_members: int = Field(10_000, description="Most members in one zip archive.")
    max_archive_total_bytes: int = Field(4 << 30, description="Most bytes one archive may expand to.")
    max_compression_ratio: float = Field(200.0, description="Zip member expansion ratio treated as a bomb.")
    session_secret: SecretStr | None = Field(
        None, description="Key signing session cookies; default: a random key kept in DATA_DIR/session.key."
    )
    session_hours: float = Field(12.0, gt=0, description="How long a browser session cookie lasts.")
    rate_limit_search_per_minute: int = Field(
        600,
        ge=0,
        description="Searches per token per minute (also histograms, entity lists, timelines; a batch counts "
        "each query); 0: no limit.",
    )
    rate_limit_search_burst: int = Field(60, ge=0, description="Searches a token may send at once before the limit.")
    rate_limit_export_per_minute: int = Field(
        10, ge=0, description="Exports and Vaughn drafts per token per minute; 0: no limit."
    )
    rate_limit_export_burst: int = Field(3, ge=0, description="Exports a token may start at once before the limit.")
    rate_limit_bulk_per_minute: int = Field(
        10,
        ge=0,
        description="Bulk tagging requests (a whole search's documents or pages) per token per minute; 0: no limit.",
    )
    rate_limit_bulk_burst: int = Field(3, ge=0, description="Bulk tagging requests a token may send at once.")
    search_timeout_seconds: float = Field(10.0, ge=0, description="A search taking longer answers 503 (0: no limit).")
    search_batch_timeout_seconds: float = Field(
        30.0, ge=0, description="A whole /search/batch request taking longer answers 503 (0: no limit)."
    )
    search_concurrency: int = Field(8, ge=1, description="Searches the API runs at once (more wait their turn).")
    api_processes: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Processes `foia serve` answers requests with (default: the number of cores).",
    )
    api_start_seconds: float = Field(
        120.0,
        gt=0,
        description="An API process of `foia serve` still not serving this long after it was started is replaced "
        "(until then only its death counts: a loaded machine starts slowly).",
    )
    api_health_seconds: float = Field(
        30.0, gt=0, description="A serving API process that does not answer its supervisor this long is replaced."
    )
    smtp_host: str | None = Field(
        None, description="SMTP server alert emails are sent through; none: email alerts fail."
    )
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP server port.")
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        "starttls", description="SMTP connection: STARTTLS after connecting, TLS from the start (ssl), or plain."
    )
    smtp_username: str | None = Field(None, description="SMTP user name (none: no login).")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_from: str = Field("foia-discovery@localhost", description="Sender address of alert emails.")
    smtp_timeout_seconds: float = Field(30.0, gt=0, description="SMTP connection and command time limit.")
    webhook_timeout_seconds: float = Field(10.0, gt=0, description="Time limit of one webhook delivery.")
    alert_max_attempts: int = Field(6, ge=1, description="Attempts at one webhook or email delivery before it fails.")
    alert_retry_seconds: float = Field(
        30.0,
        gt=0,
        description="Delay before a failed delivery's second attempt; doubles each time (an hour at most).",
    )
    public_url: str | None = Field(
        None, description="The UI's address as users reach it, for the links in alert emails and webhooks."
    )
    log_format: Literal["console", "json"] = Field("console", description="Log lines for people or machines.")
    log_level: str = Field("INFO", description="Logging level.")

    @property
    def catalog_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'catalog.sqlite').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "originals"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"

    def limits(self) -> Limits:
        return Limits(
            max_file_bytes=self.max_file_bytes,
            max_pages=self.max_pages,
            max_page_inches=self.max_page_inches,
            max_render_pixels=self.max_render_pixels,
            ocr_dpi=self.ocr_dpi,
            ocr_timeout_seconds=self.ocr_timeout_seconds,
            max_archive_members=self.max_archive_members,
            max_archive_total_bytes=self.max_archive_total_bytes,
            max_compression_ratio=self.max_compression_ratio,
        )
