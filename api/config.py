"""What the API is told when it is built: one typed object, made by the entry point from its settings.

The defaults are the API for tests and embedding: no rate limits (buckets in memory), a random session key
per app, the standard search deadlines. `foia serve` builds one from the FOIA_* settings (foia.wiring).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from catalog.limits import Limits


@dataclass(frozen=True)
class RateLimits:
    """Units per token per minute, and how many may be spent at once; 0 per minute: no limit."""

    search_per_minute: float = 0.0
    search_burst: float = 0.0
    export_per_minute: float = 0.0
    export_burst: float = 0.0
    bulk_per_minute: float = 0.0  # bulk changes of a whole search's documents or pages (bulk tagging)
    bulk_burst: float = 0.0


@dataclass(frozen=True)
class ApiSettings:
    limits: Limits = field(default_factory=Limits)
    spool_dir: Path = Path("./data/spool")
    max_upload_bytes: int = 4 << 30
    search_timeout_seconds: float = 10.0  # 0: no limit
    search_batch_timeout_seconds: float = 30.0  # 0: no limit
    search_concurrency: int = 8
    session_secret: bytes | None = None  # None: a random key, good for this app only
    session_hours: float = 12.0
    rate_limits: RateLimits = field(default_factory=RateLimits)
    # Where the rate-limit buckets live, shared by every API process on one data dir; None: in memory.
    rate_limit_store: Path | None = None
