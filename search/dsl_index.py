"""The lifecycle of the Elasticsearch/OpenSearch index: versioned concrete indices behind one alias.

Concrete indices are named `<alias>-v<stamp>`; the alias points at exactly one. Emptying the index or
rebuilding it creates a new concrete index and swaps the alias atomically, so searches never see a
half-built index.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from search.dsl_client import EngineClient
from search.dsl_mapping import index_mappings, index_settings, versioned_index_name
from search.fields import FIELDS, Fields


def _index_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]


class IndexVersions:
    """Creates, publishes and removes the concrete indices behind `alias`."""

    def __init__(
        self,
        client: EngineClient,
        alias: str,
        *,
        analyzer: str,
        shards: int,
        replicas: int,
        fields: Fields = FIELDS,
    ) -> None:
        self.client = client
        self.fields = fields
        self.alias = alias
        self.analyzer = analyzer
        self.shards = shards
        self.replicas = replicas

    def _create(self, name: str, *, aliases: Sequence[str] = (), refresh_interval: str = "1s") -> bool:
        settings = index_settings(shards=self.shards, replicas=self.replicas, refresh_interval=refresh_interval)
        return self.client.create_index(name, settings, index_mappings(self.analyzer, self.fields), aliases)

    def ensure(self) -> None:
        """Create the first versioned index behind the alias when there is none (safe to race)."""
        if not self.client.alias_targets(self.alias):
            self._create(versioned_index_name(self.alias, "1"), aliases=[self.alias])

    def create_next(self, *, refresh_interval: str = "1s") -> str:
        """A new, empty concrete index not yet behind the alias; its name."""
        name = versioned_index_name(self.alias, _index_stamp())
        self._create(name, refresh_interval=refresh_interval)
        return name

    def swap_to(self, new: str) -> None:
        """Point the alias at `new` alone and delete the indices it pointed at before."""
        old = self.client.alias_targets(self.alias)
        self.client.swap_alias(self.alias, new, [o for o in old if o != new])
        for name in old:
            if name != new:
                self.client.delete_index(name)

    def publish(self, new: str) -> None:
        """Make a bulk-built index (created with refresh off) searchable and swap the alias to it."""
        self.client.put_settings(new, {"index": {"refresh_interval": "1s"}})
        self.client.refresh(new)
        self.swap_to(new)

    def discard(self, name: str) -> None:
        self.client.delete_index(name)

    def destroy(self) -> None:
        """Delete every index behind the alias (tests, tear-down); the alias goes with them."""
        for name in self.client.alias_targets(self.alias):
            self.client.delete_index(name)
