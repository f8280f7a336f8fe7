from __future__ import annotations

from catalog.sniff import Kind, describe, sniff


def test_type_comes_from_content_not_name() -> None:
    assert sniff(b"%PDF-1.7\n") is Kind.PDF
    assert sniff(b"\n\n  %PDF-1.4 junk before the header is tolerated") is Kind.PDF
    assert sniff(b"PK\x03\x04rest") is Kind.ZIP
    assert sniff(b"PK\x03\x04 memo.pdf %PDF-1.4 a stored member") is Kind.ZIP
    assert sniff(b"") is Kind.EMPTY
    assert sniff(b"hello") is Kind.OTHER
    assert describe(b"\x89PNG\r\n") == "a PNG image"
    assert describe(b"plain words") == "a text file"
