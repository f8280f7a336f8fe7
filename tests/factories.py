"""Bad and hostile inputs for the ingest tests, made on the spot and deterministic.

Functions return bytes, or write to a path when the result is large (100,000 pages, a zip bomb). PDFs that
no library will produce (no pages, a shared content stream, a zip inside) are written object by object.
"""

from __future__ import annotations

import io
import stat
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from ingest.sample.layout import Op, TextOp
from ingest.sample.render import draw_scan, new_canvas, scan

LETTER = (612.0, 792.0)
# zip timestamps are stored; a fixed one keeps every archive byte-identical between runs
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


# ------------------------------------------------------------------------------------------------ PDFs


def born_digital_pdf(
    pages: Sequence[str], *, page_size: tuple[float, float] = LETTER, title: str | None = None
) -> bytes:
    """One page per string, each line of it drawn in the text layer (Helvetica 11). `title`: the /Title
    metadata (reportlab writes "untitled" when none is given; "" writes an empty one)."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=page_size, invariant=1)
    if title is not None:
        canvas.setTitle(title)
    for text in pages:
        _draw_lines(canvas, text, page_size)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def scanned_pdf(text: str, *, seed: int = 0) -> bytes:
    """A single page that is only an image of `text` (Courier 14, mild noise and tilt): no text layer."""
    ops: list[Op] = [TextOp(72, 90 + 20 * i, line, "Courier", 14) for i, line in enumerate(text.splitlines())]
    buf = io.BytesIO()
    canvas = new_canvas(buf, "scan", "tests.factories")
    draw_scan(canvas, scan(ops, seed))
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def encrypted_pdf(text: str = "Encrypted page", *, user_password: str = "secret") -> bytes:
    """Opens only with `user_password` (the owner password differs)."""
    buf = io.BytesIO()
    encryption = StandardEncryption(user_password, ownerPassword=user_password + "-owner")
    canvas = Canvas(buf, pagesize=LETTER, invariant=1, encrypt=encryption)
    _draw_lines(canvas, text, LETTER)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def truncated_pdf(fraction: float = 0.5) -> bytes:
    """A valid three-page PDF cut short: no xref table, no trailer, no %%EOF."""
    data = born_digital_pdf([f"Page {n} of a file cut short" for n in (1, 2, 3)])
    return data[: int(len(data) * fraction)]


def corrupt_pdf(size: int = 4096) -> bytes:
    """A PDF header followed by garbage."""
    garbage = bytes((i * 131 + 7) % 256 for i in range(size))
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + garbage


def zero_page_pdf() -> bytes:
    """Well formed, with an empty page tree."""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def huge_mediabox_pdf(inches: float = 200) -> bytes:
    """One page of `inches` x `inches` (200 in = 14,400 pt, the largest size Acrobat allows)."""
    side = inches * 72
    return born_digital_pdf(["A very large page"], page_size=(side, side))


def write_many_pages_pdf(path: Path, pages: int = 100_000, fanout: int = 1000) -> Path:
    """A PDF of `pages` pages, written in a second or so: every page shares one content stream.

    The page tree is two levels deep (at most `fanout` kids per node) so that readers never scan a
    100,000-entry /Kids array. Each page costs about 60 bytes plus its xref entry.
    """
    groups = (pages + fanout - 1) // fanout
    first_group, first_page = 5, 5 + groups

    def objects() -> Iterable[bytes]:
        yield b"<< /Type /Catalog /Pages 2 0 R >>"
        kids = " ".join(f"{first_group + g} 0 R" for g in range(groups))
        yield (
            f"<< /Type /Pages /Kids [{kids}] /Count {pages} /MediaBox [0 0 612 792] "
            "/Resources << /Font << /F1 4 0 R >> >> >>"
        ).encode()
        yield _stream(b"BT /F1 24 Tf 72 700 Td (Shared content stream) Tj ET")
        yield b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
        for g in range(groups):
            start, end = g * fanout, min(pages, (g + 1) * fanout)
            kids = " ".join(f"{first_page + n} 0 R" for n in range(start, end))
            yield f"<< /Type /Pages /Parent 2 0 R /Kids [{kids}] /Count {end - start} >>".encode()
        for n in range(pages):
            yield f"<< /Type /Page /Parent {first_group + n // fanout} 0 R /Contents 3 0 R >>".encode()

    with path.open("wb") as out:
        _write_pdf(out, objects())
    return path


def polyglot_pdf_zip() -> bytes:
    """A one-page PDF that is also a valid zip: the archive sits in an unreferenced stream object.

    Zip readers find the end-of-central-directory record near the end of the file and allow data
    before the archive; PDF readers start at %PDF and the trailer.
    """
    archive = zip_bytes({"inside-the-polyglot.txt": b"read me with unzip\n"})
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            _stream(b"BT /F1 14 Tf 72 700 Td (This PDF is also a zip archive) Tj ET"),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            _stream(archive),
        ]
    )


def _draw_lines(canvas: Canvas, text: str, page_size: tuple[float, float]) -> None:
    canvas.setFont("Helvetica", 11)
    for i, line in enumerate(text.splitlines()):
        canvas.drawString(72, page_size[1] - 72 - 14 * i, line)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _pdf(objects: Iterable[bytes]) -> bytes:
    buf = io.BytesIO()
    _write_pdf(buf, objects)
    return buf.getvalue()


def _write_pdf(out: BinaryIO, objects: Iterable[bytes]) -> None:
    """Numbers objects from 1 in order (object 1 is the catalog) and writes a correct xref table."""
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    position = out.tell()
    offsets: list[int] = []
    for number, body in enumerate(objects, start=1):
        offsets.append(position)
        position += out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    # xref entries must be exactly 20 bytes: "nnnnnnnnnn ggggg n\r\n"
    out.write(b"xref\n0 %d\n0000000000 65535 f\r\n" % (len(offsets) + 1))
    out.write(b"".join(b"%010d 00000 n\r\n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, position))


# ----------------------------------------------------------------------------------- files and zips


def empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def text_file_named_pdf(path: Path) -> Path:
    """Plain text behind a .pdf name."""
    path.write_text("This is not a PDF.\nIt only has the name of one.\n", encoding="utf-8")
    return path


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A plain deflated zip of `members` (name -> content), in the given order."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(_info(name), data)
    return buf.getvalue()


def zip_with_nested_folders() -> bytes:
    """A production as a Mac zips it: folders within folders, __MACOSX resource forks, .DS_Store."""
    memo = born_digital_pdf(["Memo in a nested folder"])
    letter = born_digital_pdf(["Letter at the top level"])
    appledouble = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + bytes(64)
    return zip_bytes(
        {
            "release/": b"",
            "release/letter.pdf": letter,
            "release/part 1/": b"",
            "release/part 1/memos/": b"",
            "release/part 1/memos/memo.pdf": memo,
            "release/.DS_Store": b"\x00\x00\x00\x01Bud1" + bytes(32),
            "__MACOSX/": b"",
            "__MACOSX/release/": b"",
            "__MACOSX/release/._letter.pdf": appledouble,
            "__MACOSX/release/part 1/memos/._memo.pdf": appledouble,
        }
    )


def zip_with_path_traversal() -> bytes:
    """Members that escape the extraction folder: "../" and an absolute path, next to a safe one."""
    pdf = born_digital_pdf(["Hostile member"])
    return zip_bytes(
        {
            "safe/ok.pdf": born_digital_pdf(["A safe member"]),
            "../../escaped.pdf": pdf,
            "safe/../../also-escaped.pdf": pdf,
            "/tmp/absolute.pdf": pdf,
        }
    )


def write_zip_bomb(path: Path, uncompressed: int = 1 << 30, chunk: int = 1 << 20) -> Path:
    """One member of `uncompressed` zero bytes (1 GiB by default), about 1 MB on disk, in about 0.5 s.

    The zeros are streamed through zipfile a chunk at a time, so memory stays near `chunk`. Deflating
    1 GiB takes 6 s, so every chunk reuses one pre-compressed block: a block ended by a full flush
    refers to nothing before it, and repeating it is a valid deflate stream (zipfile still computes
    the CRC of every byte).
    """
    zeros = bytes(chunk)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(_info("zeros.pdf"), "w", force_zip64=True) as member,
    ):
        member._compressor = _RepeatingDeflate(zeros)  # type: ignore[attr-defined]
        remaining = uncompressed
        while remaining > 0:
            remaining -= member.write(zeros[: min(chunk, remaining)])
    return path


class _RepeatingDeflate:
    def __init__(self, chunk: bytes) -> None:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._chunk = chunk
        self._block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)

    def compress(self, data: bytes) -> bytes:
        if data == self._chunk:
            return self._block
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)  # the last, shorter chunk
        return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)

    def flush(self) -> bytes:
        return zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block


def nested_zip(depth: int = 3) -> bytes:
    """A zip holding a zip holding ... (`depth` levels) holding one PDF."""
    data = born_digital_pdf([f"At the bottom of {depth} zips"])
    name = "innermost.pdf"
    for level in range(depth, 0, -1):
        data = zip_bytes({name: data})
        name = f"level-{level}.zip"
    return data


def zip_with_symlink(target: str = "../../../../etc/passwd") -> bytes:
    """A member flagged as a Unix symlink (S_IFLNK) whose content is the path it points to."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_info("real.pdf"), born_digital_pdf(["A real member"]))
        link = _info("link.pdf")
        link.create_system = 3  # Unix, so extractors honour the mode bits
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, target.encode())
    return buf.getvalue()


class _RawNameInfo(zipfile.ZipInfo):
    """Stores the name as given bytes without the UTF-8 flag, as old Windows and Japanese tools did."""

    raw_name: bytes = b""

    def _encodeFilenameFlags(self) -> tuple[bytes, int]:  # zipfile's own hook
        return self.raw_name, self.flag_bits & ~0x800


def zip_with_non_utf8_names() -> bytes:
    """Member names in cp1252 ("Résumé") and Shift_JIS ("テスト"), flagged as neither UTF-8 nor cp437 text."""
    names = [
        "Résumé (b)(6).pdf".encode("cp1252"),
        "テスト資料.pdf".encode("shift_jis"),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for raw in names:
            info = _RawNameInfo(raw.decode("cp437"), date_time=_ZIP_TIME)
            info.raw_name = raw
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, born_digital_pdf([f"Member {raw!r}"]))
    return buf.getvalue()


def zip_with_duplicate_names(name: str = "memo.pdf") -> bytes:
    """Two different members stored under the same name."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns "Duplicate name"; making one is the point
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_info(name), born_digital_pdf(["First copy"]))
            archive.writestr(_info(name), born_digital_pdf(["Second, different copy"]))
    return buf.getvalue()


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    if name.endswith("/"):
        info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10  # plus the MS-DOS directory bit
    return info


# Pages 2-3 lost their stamp between FBI-000120 and FBI-000123 (inferred); page 6 lies between two
# sequences and page 7 at the document's end (neither inferred). value: the stamp a page carries or implies.
BATES_GAP_PAGES: list[tuple[str | None, str | None, bool]] = [
    # (stamp printed in the footer, the page's Bates in the API, inferred)
    ("FBI-000120", "FBI-000120", False),
    (None, "FBI-000121", True),
    (None, "FBI-000122", True),
    ("FBI-000123", "FBI-000123", False),
    ("FBI-000124", "FBI-000124", False),
    (None, None, False),
    ("DOJ-000900", "DOJ-000900", False),
    (None, None, False),
]


def bates_gap_pdf(tag: str) -> bytes:
    """A born-digital document stamped as BATES_GAP_PAGES says, `tag` on every page to find it by."""
    pages = []
    for number, (stamp, _, _) in enumerate(BATES_GAP_PAGES, start=1):
        body = "\n".join(f"Page {number} of the production memo {tag}, line {i}." for i in range(8))
        pages.append(body + ("\n\n" + stamp if stamp else ""))
    return born_digital_pdf(pages)
