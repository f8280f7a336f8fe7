"""The catalog on SQL: its repositories over one shared database (catalog/database.py).

Nothing here reads or writes a table: each repository owns its tables' queries, and consumers name the
repositories they use (catalog/protocols.py) instead of one object with every method.
"""

from __future__ import annotations

from collections.abc import Sequence

from catalog.alert_deliveries import AlertDeliveries
from catalog.analytics import AnalyticsCatalog
from catalog.audit import AuditLog
from catalog.corrections import EntityCorrections
from catalog.database import Database
from catalog.documents import Documents
from catalog.entities import Entities
from catalog.entity_stats import EntityStats
from catalog.index_prefetch import PrefetchedSource
from catalog.jobs import Jobs
from catalog.notes import Notes
from catalog.production_notices import ProductionNotices
from catalog.productions import Productions
from catalog.saved_searches import SavedSearches
from catalog.screening_runs import ScreeningRuns
from catalog.sessions import SessionStore
from catalog.tags import TagStore
from catalog.tokens import TokenStore
from catalog.watchlists import Watchlists


class SqlCatalog:
    def __init__(self, url: str, *, max_attempts: int = 3) -> None:
        self.db = Database(url)
        self.jobs = Jobs(self.db, max_attempts)
        self.productions = Productions(self.db)
        self.documents = Documents(self.db)
        self.entities = Entities(self.db)
        self.entity_stats = EntityStats(self.db, self.entities)
        self.corrections = EntityCorrections(self.db, self.productions)
        self.audit = AuditLog(self.db)
        self.tokens = TokenStore(self.db, self.productions)
        self.sessions = SessionStore(self.db)
        self.analytics = AnalyticsCatalog(self.db)
        self.notes = Notes(self.db)
        self.production_notices = ProductionNotices(self.db)
        self.tags = TagStore(self.db)
        self.saved_searches = SavedSearches(self.db)
        self.alert_deliveries = AlertDeliveries(self.db)
        self.watchlists = Watchlists(self.db)
        self.screening_runs = ScreeningRuns(self.db)

    def prefetched(self, document_ids: Sequence[str]) -> PrefetchedSource:
        """The index's reads of these documents, fetched in a few queries (catalog/index_prefetch.py)."""
        return PrefetchedSource(self.db, self.entities, self.corrections, self.notes, document_ids)

    @property
    def url(self) -> str:
        return self.db.url

    def create_schema(self) -> None:
        """Create or upgrade the schema: `alembic upgrade head` (catalog/migrations), on either engine."""
        self.db.create_schema()

    def close(self) -> None:
        self.db.close()
