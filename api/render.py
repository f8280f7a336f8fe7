"""Page images for the viewer, rendered from the original in a separate process.

Rendering runs in a small process pool: PDFium is not thread-safe (the in-process worker uses it too),
and a hostile PDF that crashes or stalls the renderer must not take the API with it.
"""

from __future__ import annotations

import io
import math
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from api.problem_types import RENDER_FAILED
from api.problems import Problem
from foia.lifetime import die_with_owner

MAX_PIXELS = 12_000_000  # a viewer image never needs more


class RenderFailed(Problem):
    def __init__(self, detail: str) -> None:
        super().__init__(RENDER_FAILED, detail)


def render_png(pdf_path: str, page_index: int, dpi: int, max_pixels: int = MAX_PIXELS) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_path)
    try:
        page = doc[page_index]
        try:
            width, height = page.get_size()
            pixels = (width / 72 * dpi) * (height / 72 * dpi)
            scale = dpi / 72 if pixels <= max_pixels else dpi / 72 * math.sqrt(max_pixels / pixels)
            image = page.render(scale=scale, may_draw_forms=False).to_pil()
        finally:
            page.close()
    finally:
        doc.close()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False, compress_level=3)
    return out.getvalue()


class PageRenderer:
    def __init__(self, processes: int = 1, timeout_seconds: float = 30.0) -> None:
        self._processes = processes
        self._timeout = timeout_seconds
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # Render processes die with the API process that owns them, even one killed with -9.
                self._pool = ProcessPoolExecutor(
                    max_workers=self._processes,
                    mp_context=multiprocessing.get_context("forkserver"),
                    initializer=die_with_owner,
                    initargs=(os.getpid(),),
                )
            return self._pool

    def render(self, pdf_path: Path, page_index: int, dpi: int) -> bytes:
        future = self._executor().submit(render_png, str(pdf_path), page_index, dpi)
        try:
            return future.result(timeout=self._timeout)
        except FutureTimeout as exc:
            self._reset()
            raise RenderFailed(f"rendering took longer than {self._timeout:.0f}s") from exc
        except BrokenProcessPool as exc:
            self._reset()
            raise RenderFailed("the renderer crashed on this page") from exc
        except Exception as exc:
            raise RenderFailed(f"the page could not be rendered: {exc}") from exc

    def _reset(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()  # a stalled render would otherwise keep its process busy forever
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._reset()
