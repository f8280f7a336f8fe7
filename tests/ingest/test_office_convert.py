import shutil
import zipfile
from pathlib import Path

import pypdfium2
import pytest

from ingest.convert.office import OfficeLimits, OfficeRefused, check_office, convert_office

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def _docx(path: Path, text: str, extra: dict[str, bytes] | None = None) -> Path:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", body)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def test_macro_and_corrupt_files_fail_with_their_reason(tmp_path: Path) -> None:
    with pytest.raises(OfficeRefused, match="macros"):
        check_office(_docx(tmp_path / "m.docm", "x", {"word/vbaProject.bin": b"\0"}))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(OfficeRefused, match="corrupt"):
        check_office(bad)
    check_office(_docx(tmp_path / "ok.docx", "fine"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_docx_converts_to_pdf_with_its_text(tmp_path: Path) -> None:
    source = _docx(tmp_path / "memo.docx", "Quarterly pelican census")
    work = tmp_path / "work"
    work.mkdir()
    pdf = convert_office(source, work, OfficeLimits(timeout_s=120))
    doc = pypdfium2.PdfDocument(str(pdf))
    assert "pelican census" in doc[0].get_textpage().get_text_range()


def test_encrypted_odf_fails_as_password_protected(tmp_path: Path) -> None:
    path = tmp_path / "secret.odt"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", "<manifest:encryption-data/>")
    with pytest.raises(OfficeRefused, match="password-protected"):
        check_office(path)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_a_conversion_over_its_timeout_fails_with_that_reason(tmp_path: Path) -> None:
    source = _docx(tmp_path / "slow.docx", "anything")
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(OfficeRefused, match="longer than"):
        convert_office(source, work, OfficeLimits(timeout_s=0.05))
