"""One request of an isolation case, what it must (not) reveal, and how its whole response is read.

A probe either reads the viewer's own or shared objects (it must answer `expect` and reveal no string of
the other matter), or names the other matter's objects or strings (`refs`): then it must answer exactly
like its *twin*, the same request with every ref replaced by something that exists nowhere, so that the
answer says nothing about the other matter (a 404 for the other matter's document is the same 404 as
for a document that never existed, a count for `file:` of another matter's file name is the count for a
name nobody used).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, quote_plus

import httpx

from search.query.fields import slug
from tests.security.structural.world import Matter, World

# Headers that differ between two identical requests (or with the length of an echoed ref).
# x-request-id: a fresh random id per request (api.request_log), the same whoever else is in the catalog.
VOLATILE_HEADERS = frozenset({"date", "content-length", "set-cookie", "etag", "last-modified", "x-request-id"})


@dataclass(frozen=True)
class Probe:
    method: str
    path: str
    role: str = "reader"  # the viewer's token with this role
    params: tuple[tuple[str, str], ...] = ()
    json: Any = None
    files: tuple[tuple[str, bytes], ...] = ()  # uploaded as the multipart field "files"
    refs: tuple[str, ...] = ()  # strings or ids of the other matter this request names
    expect: int | None = 200  # the status it must answer (for a probe with refs: as well as its twin's)

    @property
    def writes(self) -> bool:
        """It changes what a matter holds (a batch only counts; a session changes no record)."""
        return self.method != "GET" and not self.path.endswith(("/search/batch", "/session", "/session/sign-out"))

    def request_text(self) -> str:
        body = json.dumps(self.json) if self.json is not None else ""
        return " ".join([self.path, *(f"{k}={v}" for k, v in self.params), body, *(n for n, _ in self.files)])

    def twin(self) -> Probe:
        """The same request about nothing: every ref replaced by a string of the same shape."""
        swap = {ref: nothing(ref) for ref in self.refs}

        def sub(value: Any) -> Any:
            if isinstance(value, str):
                for ref, other in swap.items():
                    value = value.replace(ref, other)
                return value
            if isinstance(value, list):
                return [sub(v) for v in value]
            if isinstance(value, dict):
                return {k: sub(v) for k, v in value.items()}
            return value

        return replace(
            self,
            path=sub(self.path),
            params=tuple((k, sub(v)) for k, v in self.params),
            json=sub(self.json),
            refs=tuple(swap.values()),
        )


def nothing(ref: str) -> str:
    """A string shaped like `ref` that names nothing: the id prefix kept (`doc_`, `organization:`), digits
    to 0, hex letters to f, other letters to q (so an id stays a well-formed id of nothing)."""
    head, sep, tail = ref.partition(":") if ":" in ref else ref.partition("_")
    if not sep:
        head, tail = "", ref
    out = "".join("0" if c.isdigit() else ("f" if c.lower() in "abcdef" else "q") if c.isalpha() else c for c in tail)
    return f"{head}{sep}{out}"


@dataclass(frozen=True)
class Seen:
    """A response as a whole: status, every header and the body as text whatever its type."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: str

    def text(self) -> str:
        return "\n".join([str(self.status), *(f"{k}: {v}" for k, v in self.headers), self.body])


def send(world: World, viewer: str, probe: Probe) -> Seen:
    client = world.client
    world.writes += probe.writes
    kwargs: dict[str, Any] = {"params": list(probe.params), "headers": world.headers(probe.role, viewer)}
    if probe.json is not None:
        kwargs["json"] = probe.json
    if probe.files:
        kwargs["files"] = [("files", (name, data, "application/pdf")) for name, data in probe.files]
    try:
        response: httpx.Response = client.request(probe.method, probe.path, **kwargs)
    finally:
        client.cookies.clear()  # a session cookie set by one probe must not sign in the next one
    # latin-1 maps every byte to one character: a PNG or a PDF is searched as bytes, text stays ASCII-exact.
    return Seen(response.status_code, tuple(response.headers.multi_items()), response.content.decode("latin-1"))


def leaks(seen: Seen, secrets: dict[str, str], probe: Probe) -> list[str]:
    """Labels of the secrets found anywhere in the response; a secret the request itself sends is
    skipped (an echoed query or id is the twin comparison's business, not a leak)."""
    asked = probe.request_text().lower()
    haystack = seen.text().lower()
    return sorted(
        f"{label} ({value!r})"
        for label, value in secrets.items()
        if value and value.lower() not in asked and value.lower() in haystack
    )


def normalized(seen: Seen, refs: tuple[str, ...]) -> tuple[int, list[tuple[str, str]], str]:
    """The response with every echo of the refs (raw, URL-encoded, slugged) replaced by one marker."""
    forms = sorted({f for ref in refs for f in (ref, quote(ref, safe=""), quote_plus(ref), slug(ref)) if f}, key=len)

    def clean(value: str) -> str:
        for form in reversed(forms):  # longest first: a form never eats into a longer one
            value = re.sub(re.escape(form), "<ref>", value, flags=re.IGNORECASE)
        return value

    headers = sorted((k.lower(), clean(v)) for k, v in seen.headers if k.lower() not in VOLATILE_HEADERS)
    return seen.status, headers, clean(seen.body)


def _unordered(body: str) -> str:
    """Lists sorted (JSON) and lines sorted (CSV, NDJSON): the catalog orders some lists by the random ids
    it drew and the index by when a page was indexed, which two worlds do not share. Scores, counts,
    names and every other value are still compared."""
    try:
        return json.dumps(_sorted(json.loads(body)), sort_keys=True)
    except ValueError:
        lines = body.splitlines()
        return "\n".join(lines[:1] + sorted(lines[1:]))


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


def aligned(seen: Seen, matter: Matter) -> tuple[int, list[tuple[str, str]], str]:
    """The response with the ids the catalog drew at random for `matter` (its collection, productions,
    files, tokens) and the times things happened replaced by labels, so that the answers of two worlds
    holding the same records can be compared."""
    labels = {value: f"<{label}>" for label, value in matter.drawn_ids().items()}

    def clean(value: str) -> str:
        for value_id, label in labels.items():
            value = value.replace(value_id, label)
        return _TIMESTAMP.sub("<time>", value)

    headers = sorted((k.lower(), clean(v)) for k, v in seen.headers if k.lower() not in VOLATILE_HEADERS)
    return seen.status, headers, _unordered(clean(seen.body))
