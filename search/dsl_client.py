"""The seam between the Elasticsearch/OpenSearch backend and an engine's own client library.

Each adapter (search.elasticsearch_backend, search.opensearch_backend) implements `EngineClient`
with its client; everything above it (search.dsl_backend, search.dsl_pits, search.dsl_index) is the
same on both engines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

Dsl = dict[str, Any]


class SearchEngineError(RuntimeError):
    """The cluster refused a write (mapping conflict, rejected bulk items after retries)."""


class PitMissing(Exception):
    """The point in time named by a cursor is gone (expired, or the node restarted)."""


class EngineClient(Protocol):
    """The few engine calls the backend needs; each adapter implements them with its own client."""

    flavor: str

    def create_index(self, name: str, settings: Dsl, mappings: Dsl, aliases: Sequence[str] = ()) -> bool:
        """Create `name`; False when it already exists."""
        ...

    def delete_index(self, name: str) -> None: ...

    def alias_targets(self, alias: str) -> list[str]:
        """Concrete indices behind `alias` (empty when the alias does not exist)."""
        ...

    def swap_alias(self, alias: str, add: str, remove: Sequence[str]) -> None:
        """Point `alias` at `add` instead of `remove`, atomically."""
        ...

    def put_settings(self, index: str, settings: Dsl) -> None: ...

    def bulk(self, actions: Iterable[Dsl]) -> list[Dsl]:
        """Run bulk actions with retries on 429/503; returns the items that failed."""
        ...

    def search(self, body: Dsl, *, index: str | None = None) -> Dsl:
        """Search `index`, or the point in time in `body["pit"]` (PitMissing when it is gone)."""
        ...

    def count(self, index: str, query: Dsl) -> int: ...

    def refresh(self, index: str) -> None: ...

    def open_pit(self, index: str, keep_alive: str) -> str: ...

    def close_pit(self, pit_id: str) -> None: ...

    def close(self) -> None: ...
