"""User-supplied text made safe to print in a log line: one sanitizer for every field.

Upload names, queries and collection names reach the log. Raw, an ESC sequence repaints or hides a
console, a NUL cuts the line short for some readers, a newline forges a whole log entry, and a bidi override
(U+202E) shows a name reversed. Each such character is written as a visible escape instead (\\x1b, \\x00,
\\n, \\u202e); every other character, accents and scripts included, is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, MutableMapping
from typing import Any

# C0 controls, DEL, C1 controls (0x9b is a one-byte CSI), and the invisible format characters that change how
# the rest of a line is shown: bidi embeddings, overrides and isolates, line and paragraph separators, BOM.
_FORMAT = "\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff"
_UNSAFE = re.compile(f"[\x00-\x1f{_FORMAT}]")
_UNSAFE_KEEPING_NEWLINES = re.compile(f"[\x00-\x09\x0b-\x1f{_FORMAT}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_control(text: str, keep_newlines: bool = False) -> str:
    """`text` with every control or invisible format character written as an escape (newlines kept when
    asked: a traceback is several lines by design)."""
    pattern = _UNSAFE_KEEPING_NEWLINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, text)


MULTILINE_FIELDS = frozenset({"exception", "stack"})


def escaped_value(value: Any, keep_newlines: bool = False) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Mapping):
        return {escaped_value(k): escaped_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [escaped_value(v) for v in value]
    # Anything else (a path, an exception) is shown by its text, which may hold user input too.
    return escape_control(value if isinstance(value, str) else str(value), keep_newlines)


def escape_event(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> Mapping[str, Any]:
    """structlog processor: every field of every event, so no field carrying user input is missed."""
    return {key: escaped_value(value, key in MULTILINE_FIELDS) for key, value in event.items()}
