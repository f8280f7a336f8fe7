"""Cursors sealed before they leave the API: encrypted and authenticated, padded to a fixed step.

Every list's cursor (api/cursors.py) passes through here. A search cursor carries what the backend needs
to resume: the last document's engine score (tantivy), the index-wide page sequence number that pins the
snapshot, a point-in-time id (OpenSearch/Elasticsearch). Each of those moves when another collection
indexes pages, so a readable cursor told a reader about other matters (raw BM25 scores over the whole
index gave away exact page counts of another matter's words). Sealed with AES-GCM under a key derived
from the session key (every API process of a data dir, and a restart, share it), a cursor reads as
random bytes of a length that only changes in PAD_STEP steps, and a tampered one is refused before any
list or backend reads it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PAD_STEP = 256  # plaintexts are padded to a multiple of this, so lengths do not track digit counts
_NONCE_BYTES = 12
_CONTEXT = b"foia search cursor v1\x00"


class SealedCursorInvalid(ValueError):
    """A cursor this server did not issue (or one mangled on the way)."""


class CursorSeal:
    def __init__(self, secret: bytes) -> None:
        self._aead = AESGCM(hashlib.sha256(_CONTEXT + secret).digest())

    def seal(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        raw = cursor.encode()
        # The backend's cursor is urlsafe base64 text: it never holds a NUL, so NULs pad it unambiguously.
        padded = raw.ljust(max(PAD_STEP, -(-len(raw) // PAD_STEP) * PAD_STEP), b"\x00")
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, padded, _CONTEXT)
        return base64.urlsafe_b64encode(sealed).decode().rstrip("=")

    def open(self, token: str | None) -> str | None:
        if token is None or token == "":
            return None
        try:
            sealed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError) as exc:
            raise SealedCursorInvalid("malformed cursor") from exc
        if len(sealed) <= _NONCE_BYTES:
            raise SealedCursorInvalid("malformed cursor")
        try:
            padded = self._aead.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _CONTEXT)
        except InvalidTag as exc:
            raise SealedCursorInvalid("malformed cursor (not issued by this server)") from exc
        return padded.rstrip(b"\x00").decode()
