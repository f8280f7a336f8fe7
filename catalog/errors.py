"""Catalog errors that callers map to user-facing answers."""


class CatalogError(Exception):
    pass


class NotFound(CatalogError):
    pass


class Conflict(CatalogError):
    pass


class InvalidName(CatalogError, ValueError):
    """A name the catalog refuses (for instance a collection called '*', which means every collection)."""


class LeaseLost(CatalogError):
    """The job was claimed by another worker after this one's lease expired."""
