"""The hostile-input factories make what they promise."""

from __future__ import annotations

import io
import stat
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from tests import factories


def _page_count(data: bytes | Path, password: str | None = None) -> int:
    pdf = pdfium.PdfDocument(data, password=password)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_born_digital_pdf_has_the_given_text() -> None:
    pdf = pdfium.PdfDocument(factories.born_digital_pdf(["first page", "second page\nline two"]))
    try:
        texts = [page.get_textpage().get_text_range() for page in pdf]
    finally:
        pdf.close()
    assert [t.split() for t in texts] == [["first", "page"], ["second", "page", "line", "two"]]


def test_scanned_pdf_is_an_image_without_text() -> None:
    pdf = pdfium.PdfDocument(factories.scanned_pdf("Hello scanned world"))
    try:
        assert len(pdf) == 1 and pdf[0].get_textpage().count_chars() == 0
        assert [o.type for o in pdf[0].get_objects()] == [pdfium.raw.FPDF_PAGEOBJ_IMAGE]
    finally:
        pdf.close()


def test_encrypted_pdf_needs_its_password() -> None:
    data = factories.encrypted_pdf(user_password="hunter2")
    with pytest.raises(pdfium.PdfiumError, match="password"):
        _page_count(data)
    assert _page_count(data, password="hunter2") == 1


@pytest.mark.parametrize("make", [factories.truncated_pdf, factories.corrupt_pdf])
def test_broken_pdfs_do_not_open(make: Callable[[], bytes]) -> None:
    data = make()
    assert data.startswith(b"%PDF-")
    with pytest.raises(pdfium.PdfiumError):
        _page_count(data)


def test_zero_page_pdf_is_well_formed_but_has_no_pages() -> None:
    data = factories.zero_page_pdf()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 0
    # PDFium refuses a document with an empty page tree: ingest sees an open error, not zero pages.
    with pytest.raises(pdfium.PdfiumError):
        _page_count(data)


def test_many_pages_pdf_opens_quickly(tmp_path: Path) -> None:
    started = time.perf_counter()
    path = factories.write_many_pages_pdf(tmp_path / "many.pdf", pages=100_000)
    pdf = pdfium.PdfDocument(path)
    try:
        assert len(pdf) == 100_000
        assert "Shared content stream" in pdf[99_999].get_textpage().get_text_range()
    finally:
        pdf.close()
    # Measured 0.25 s to write and open on the project machine; the bound allows a busy one.
    assert time.perf_counter() - started < 10
    assert path.stat().st_size < 15_000_000


def test_huge_mediabox_page_is_200_inches_square() -> None:
    pdf = pdfium.PdfDocument(factories.huge_mediabox_pdf())
    try:
        assert pdf[0].get_size() == (14_400, 14_400)
    finally:
        pdf.close()


def test_empty_and_impostor_files(tmp_path: Path) -> None:
    assert factories.empty_file(tmp_path / "empty.pdf").stat().st_size == 0
    impostor = factories.text_file_named_pdf(tmp_path / "not-really.pdf")
    assert impostor.suffix == ".pdf" and not impostor.read_bytes().startswith(b"%PDF")


def test_zip_with_nested_folders_and_mac_junk() -> None:
    names = _zip(factories.zip_with_nested_folders()).namelist()
    assert "release/part 1/memos/memo.pdf" in names
    assert any(n.startswith("__MACOSX/") for n in names) and "release/.DS_Store" in names


def test_zip_members_that_escape() -> None:
    names = _zip(factories.zip_with_path_traversal()).namelist()
    assert "../../escaped.pdf" in names and "/tmp/absolute.pdf" in names


def test_zip_bomb_is_small_on_disk_and_huge_inside(tmp_path: Path) -> None:
    path = factories.write_zip_bomb(tmp_path / "bomb.zip")
    (member,) = zipfile.ZipFile(path).infolist()
    assert member.file_size == 1 << 30
    assert path.stat().st_size < 2_000_000
    with zipfile.ZipFile(path).open(member) as stream:
        assert stream.read(1 << 20) == bytes(1 << 20)


def test_zip_bomb_stream_is_valid_to_the_end(tmp_path: Path) -> None:
    size = (3 << 20) + 12_345  # a short last chunk, and small enough to inflate completely
    path = factories.write_zip_bomb(tmp_path / "small-bomb.zip", uncompressed=size)
    assert zipfile.ZipFile(path).read("zeros.pdf") == bytes(size)  # zipfile checks the CRC


def test_nested_zips() -> None:
    data = factories.nested_zip(depth=3)
    for level in (2, 3):
        data = _zip(data).read(f"level-{level}.zip")
    assert _zip(data).read("innermost.pdf").startswith(b"%PDF-")


def test_zip_with_symlink_member() -> None:
    info = _zip(factories.zip_with_symlink()).getinfo("link.pdf")
    assert stat.S_ISLNK(info.external_attr >> 16)


def test_zip_with_non_utf8_names() -> None:
    infos = _zip(factories.zip_with_non_utf8_names()).infolist()
    assert all(not i.flag_bits & 0x800 for i in infos)
    raw = [i.orig_filename.encode("cp437") for i in infos]  # zipfile decodes unflagged names as cp437
    assert raw[0].decode("cp1252") == "Résumé (b)(6).pdf"
    assert raw[1].decode("shift_jis") == "テスト資料.pdf"


def test_zip_with_duplicate_names() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        archive = _zip(factories.zip_with_duplicate_names())
        assert archive.namelist() == ["memo.pdf", "memo.pdf"]
        first, second = (archive.read(i) for i in archive.infolist())
    assert first != second


def test_polyglot_is_both_a_pdf_and_a_zip() -> None:
    data = factories.polyglot_pdf_zip()
    assert data.startswith(b"%PDF-")
    assert _page_count(data) == 1
    assert _zip(data).read("inside-the-polyglot.txt") == b"read me with unzip\n"
