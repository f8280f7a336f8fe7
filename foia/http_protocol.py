"""uvicorn's httptools protocol with a limit on the size of a request's head (request line and headers).

httptools (llhttp) sets no limit of its own: it buffers a header of any size until its end arrives, so one
client could make an API process read a 200 MB header, and two 60 MB headers kept the event loop busy
enough to stall everyone else's requests. This protocol counts the bytes of each request's head as they
arrive and, past `h11_max_incomplete_event_size` (uvicorn's own limit for the same thing in its h11
parser, set by `foia serve` from FOIA_MAX_HEADER_BYTES), answers 431 and closes the connection without
reading further.
"""

from __future__ import annotations

import json
import logging

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.problem_types import HEADER_TOO_LARGE, problem_body

log = logging.getLogger("uvicorn.error")
DEFAULT_MAX_HEAD_BYTES = 64 * 1024


class HeadLimitedHttpToolsProtocol(HttpToolsProtocol):
    _head_bytes = 0
    _in_head = True  # between requests, too: the next bytes are a new request's head
    _refused = False

    @property
    def max_head_bytes(self) -> int:
        return self.config.h11_max_incomplete_event_size or DEFAULT_MAX_HEAD_BYTES

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        # While in a head, feed only what still fits: a chunk may hold the end of a head and the start of
        # the body, and only the head counts.
        while data and self._in_head:
            room = self.max_head_bytes - self._head_bytes
            if room <= 0:
                self._refuse_head()
                return
            piece, data = data[:room], data[room:]
            self._head_bytes += len(piece)
            super().data_received(piece)
            if self.transport is None or self.transport.is_closing():
                return
        if data:
            super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head_bytes = True, 0

    def _refuse_head(self) -> None:
        log.warning("request head over %d bytes refused", self.max_head_bytes)
        detail = f"at most {self.max_head_bytes} bytes of request line and headers"
        body = json.dumps(problem_body(HEADER_TOO_LARGE, detail)).encode()
        head = (
            "HTTP/1.1 431 Request Header Fields Too Large\r\n"
            "content-type: application/problem+json\r\n"
            f"content-length: {len(body)}\r\n"
            "connection: close\r\n\r\n"
        ).encode()
        self._refused = True  # whatever else arrives before the close is dropped, never parsed
        self.transport.pause_reading()
        self.transport.write(head + body)
        self.transport.close()
