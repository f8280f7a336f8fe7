"""Limits that keep one hostile or broken file from taking the machine down."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 1 << 30  # one original (a PDF, or a member of an archive)
    max_pages: int = 5_000  # pages in one PDF
    max_page_inches: float = 60.0  # longest side of a page; posters and plans are larger, bombs much larger
    max_render_pixels: int = 40_000_000  # OCR render budget per page: dpi drops to stay under it
    ocr_dpi: int = 300
    ocr_timeout_seconds: float = 120.0  # per page
    max_archive_members: int = 10_000
    max_archive_total_bytes: int = 4 << 30  # uncompressed, across one archive and the archives nested in it
    max_compression_ratio: float = 200.0  # per member: above this it is treated as a zip bomb
    max_archive_depth: int = 3  # zip inside zip inside zip
