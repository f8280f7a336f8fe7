"""Alembic migrations of the catalog schema (SQLite and PostgreSQL); run by catalog.migrate."""
