"""Who wrote a record and to whom, where the record states it: memo and email headers (From:/To:), a
letter's salutation and signature. Read from the first page's text; None where the record does not say."""

from __future__ import annotations

import re

from nlp.exemptions import find_exemptions
from nlp.stamps import is_stamp_only

_FROM = re.compile(r"^\s*(?:From|FROM|Author|AUTHOR)\s*:\s*(?P<v>.+?)\s*$", re.MULTILINE)
_TO = re.compile(r"^\s*(?:(?:To|TO)\s*:|(?:MEMORANDUM FOR|Memorandum for)\s*:?)\s*(?P<v>.+?)\s*$", re.MULTILINE)
_DEAR = re.compile(r"^\s*Dear\s+(?P<v>[^:\n,]{2,80})[:,]", re.MULTILINE)
_SIGNED = re.compile(r"^\s*(?:Sincerely|Respectfully)[,.]?\s*\n+\s*(?P<v>[A-Z][^\n]{2,80})$", re.MULTILINE)
HEADER_CHARS = 4000  # headers and salutations sit at the top of the first page


def author_recipient(first_page_text: str) -> tuple[str | None, str | None]:
    """Author and recipient as the record names them (None where it does not)."""
    head = first_page_text[:HEADER_CHARS]
    author = _FROM.search(head) or _SIGNED.search(first_page_text)
    recipient = _TO.search(head) or _DEAR.search(head)
    return (_clean(author.group("v")) if author else None, _clean(recipient.group("v")) if recipient else None)


def _clean(value: str) -> str | None:
    """The name as written; a name that is only exemption stamps was withheld, and says so."""
    value = value.strip(" :;,")
    if value and is_stamp_only(value):
        codes = ", ".join(dict.fromkeys(m.code for m in find_exemptions(value)))
        return f"[withheld: {codes}]"
    return value[:200] or None
