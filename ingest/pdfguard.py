"""Decompression bombs inside a PDF, found before PDFium inflates them into memory.

PDFium inflates a whole Flate stream at once: a 1 MB content stream that expands to 1 GB of blanks
costs 2 GB of memory (measured), and a gray image a few MB long can claim gigapixels. So every stream
that starts like zlib data is inflated here first, in 1 MiB steps with the output thrown away, and the
file is refused when one stream expands past its budget. Memory stays at a few MiB whatever the file;
a stream that is not zlib (DCT, CCITT, JBIG2, plain text) stops the probe at once.
"""

from __future__ import annotations

import mmap
import re
import zlib
from pathlib import Path

from ingest.pdf import BadPdf

STEP = 1 << 20
# "stream" then CRLF or LF, as the PDF spec requires before the data.
STREAM_START = re.compile(rb"stream\r?\n")


def stream_budget(max_render_pixels: int) -> int:
    """Largest decoded stream accepted: an RGBA image twice the OCR render budget (320 MB by default)."""
    return 8 * max_render_pixels


def largest_inflated_stream(path: Path, stop_after: int) -> int:
    """Bytes the biggest zlib stream in the file inflates to, counting no further than `stop_after`+1."""
    largest = 0
    with path.open("rb") as f:
        if f.seek(0, 2) == 0:
            return 0
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            for match in STREAM_START.finditer(data):
                largest = max(largest, _inflated_size(data, match.end(), stop_after))
                if largest > stop_after:
                    break
    return largest


def _inflated_size(data: mmap.mmap, start: int, stop_after: int) -> int:
    inflater = zlib.decompressobj()
    total, position = 0, start
    pending = b""
    try:
        while total <= stop_after:
            if not pending:
                if position >= len(data) or inflater.eof:
                    break
                pending = data[position : position + STEP]
                position += STEP
            out = inflater.decompress(pending, STEP)
            pending = inflater.unconsumed_tail
            total += len(out)
            if inflater.eof:
                break
    except zlib.error:
        pass  # not zlib, or its end: what was inflated so far is what PDFium would get
    return total


def refuse_bombs(path: Path, max_render_pixels: int) -> None:
    """BadPdf when a stream in the file would inflate past its budget."""
    budget = stream_budget(max_render_pixels)
    size = largest_inflated_stream(path, budget)
    if size > budget:
        raise BadPdf(
            f"a compressed stream expands to more than {budget >> 20} MiB: treated as a decompression bomb"
            " (FOIA_MAX_RENDER_PIXELS sets the budget)"
        )
