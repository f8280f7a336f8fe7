"""Decide a file's type by its first bytes, never by its name."""

from __future__ import annotations

from enum import StrEnum

HEAD_BYTES = 1024


class Kind(StrEnum):
    PDF = "pdf"
    ZIP = "zip"
    EMPTY = "empty"
    OTHER = "other"


def sniff(head: bytes) -> Kind:
    if not head:
        return Kind.EMPTY
    # A signature at offset 0 wins: a zip whose first member is a stored PDF shows "%PDF-" early too.
    if head.startswith(b"%PDF-"):
        return Kind.PDF
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Kind.ZIP
    # The PDF spec lets the header start anywhere in the first 1024 bytes; readers accept that.
    if b"%PDF-" in head[:HEAD_BYTES]:
        return Kind.PDF
    return Kind.OTHER


def describe(head: bytes) -> str:
    """A short, human name of what a non-PDF file looks like, for the error message."""
    signatures: list[tuple[bytes, str]] = [
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"Rar!", "a RAR archive"),
        (b"7z\xbc\xaf", "a 7-Zip archive"),
        (b"<html", "an HTML page"),
        (b"<!DOCTYPE", "an HTML page"),
    ]
    for magic, name in signatures:
        if head.startswith(magic):
            return name
    try:
        head.decode("utf-8")
        return "a text file"
    except UnicodeDecodeError:
        return "an unrecognised binary file"
