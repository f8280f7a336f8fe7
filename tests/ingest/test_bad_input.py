"""Bad and hostile input: each file gets a clear, recorded reason, and the rest of the production goes on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.limits import Limits
from catalog.models import FileStatus
from tests import factories
from tests.ingest.conftest import Stack, make_stack


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.fixture
def small_limits_stack(tmp_path: Path, analyzer: object) -> Iterator[Stack]:
    # Small limits so that "more pages than the limit" and bombs are cheap to build.
    limits = Limits(max_pages=50, max_file_bytes=20 << 20, max_archive_total_bytes=40 << 20)
    (tmp_path / "stack").mkdir()
    stack = make_stack(tmp_path / "stack", analyzer, limits)
    yield stack
    stack.worker.close()
    stack.index.close()


def test_each_bad_file_fails_with_its_reason_and_the_good_ones_finish(
    small_limits_stack: Stack, tmp_path: Path
) -> None:
    stack = small_limits_stack
    folder = tmp_path / "upload"
    folder.mkdir()
    _write(folder, "good.pdf", factories.born_digital_pdf(["The FBI met Clearview AI on 3 June 2019."]))
    _write(folder, "encrypted.pdf", factories.encrypted_pdf())
    _write(folder, "truncated.pdf", factories.truncated_pdf())
    _write(folder, "corrupt.pdf", factories.corrupt_pdf())
    _write(folder, "zero-pages.pdf", factories.zero_page_pdf())
    _write(folder, "poster.pdf", factories.huge_mediabox_pdf(200))
    factories.write_many_pages_pdf(folder / "too-long.pdf", pages=1000, fanout=100)
    factories.empty_file(folder / "empty.pdf")
    factories.text_file_named_pdf(folder / "notes.pdf")
    _write(folder, "picture.pdf", b"\x89PNG\r\n\x1a\n" + bytes(64))

    production = stack.production()
    stack.intake(production, [folder])
    stack.run_until_idle()

    progress = stack.catalog.productions.progress(production.id)
    assert progress.finished
    reasons = {
        f.original_name.rsplit("/", 1)[-1]: f.error or ""
        for f in stack.catalog.productions.list_files(production.id, FileStatus.FAILED)
    }
    expected = {
        "encrypted.pdf": "encrypted",
        "truncated.pdf": "corrupt or truncated",
        "corrupt.pdf": "corrupt or truncated",
        "zero-pages.pdf": "no pages",
        "poster.pdf": "inches",
        "too-long.pdf": "more than the limit of 50",
        "empty.pdf": "empty file",
        "notes.pdf": "text file",
        "picture.pdf": "PNG image",
    }
    assert set(reasons) == set(expected)
    for name, fragment in expected.items():
        assert fragment in reasons[name], (name, reasons[name])
    done = stack.catalog.productions.list_files(production.id, FileStatus.DONE)
    assert [f.original_name.rsplit("/", 1)[-1] for f in done] == ["good.pdf"]
    assert stack.catalog.documents.pages(done[0].document_id or "")[0].text.startswith("The FBI met Clearview AI")


def test_hostile_archives_are_refused_member_by_member(small_limits_stack: Stack, tmp_path: Path) -> None:
    stack = small_limits_stack
    folder = tmp_path / "archives"
    folder.mkdir()
    _write(folder, "mac.zip", factories.zip_with_nested_folders())
    _write(folder, "traversal.zip", factories.zip_with_path_traversal())
    _write(folder, "symlink.zip", factories.zip_with_symlink())
    _write(folder, "names.zip", factories.zip_with_non_utf8_names())
    _write(folder, "duplicates.zip", factories.zip_with_duplicate_names())
    _write(folder, "nested.zip", factories.nested_zip(depth=2))
    _write(folder, "too-deep.zip", factories.nested_zip(depth=5))
    _write(folder, "polyglot.pdf", factories.polyglot_pdf_zip())
    factories.write_zip_bomb(folder / "bomb.zip", uncompressed=200 << 20)  # over the file limit
    factories.write_zip_bomb(folder / "ratio-bomb.zip", uncompressed=15 << 20)  # under it, but 1000x

    production = stack.production()
    report = stack.intake(production, [folder])
    accepted = sorted(f.original_name for f in report.accepted)
    rejected = {f.original_name: f.error or "" for f in report.rejected}

    assert "archives/mac.zip/release/letter.pdf" in accepted
    assert "archives/mac.zip/release/part 1/memos/memo.pdf" in accepted
    assert not any("__MACOSX" in name or ".DS_Store" in name for name in accepted + list(rejected))
    assert "archives/traversal.zip/safe/ok.pdf" in accepted
    assert "escapes" in rejected["archives/traversal.zip/../../escaped.pdf"]
    assert "escapes" in rejected["archives/traversal.zip/safe/../../also-escaped.pdf"]
    assert "absolute" in rejected["archives/traversal.zip//tmp/absolute.pdf"]
    assert "symbolic link" in rejected["archives/symlink.zip/link.pdf"]
    assert "archives/symlink.zip/real.pdf" in accepted
    assert sum(name.startswith("archives/names.zip/") for name in accepted) == 2
    assert {"archives/duplicates.zip/memo.pdf", "archives/duplicates.zip/memo.pdf (copy 2)"} <= set(accepted)
    assert "archives/nested.zip/level-2.zip/innermost.pdf" in accepted
    assert any(
        "nested more than" in reason for name, reason in rejected.items() if name.startswith("archives/too-deep")
    )
    assert "archives/polyglot.pdf" in accepted  # a PDF first: read as a PDF, never unpacked
    assert "more than the limit" in rejected["archives/bomb.zip/zeros.pdf"]
    assert "zip bomb" in rejected["archives/ratio-bomb.zip/zeros.pdf"]

    # Nothing was written outside the data dir, whatever the members were called.
    assert not (tmp_path / "escaped.pdf").exists() and not Path("/tmp/absolute.pdf").exists()

    stack.run_until_idle()
    progress = stack.catalog.productions.progress(production.id)
    assert progress.finished
    assert progress.files.failed == len(rejected)
    assert progress.files.done + progress.files.duplicate == len(accepted)
