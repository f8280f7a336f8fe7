"""State and local agencies the gazetteer does not list, recognised by the shape of their names."""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.organizations import normalize_organization

# "Irvine Police Department", "Cook County Sheriff's Office", "City of Orange Police Department",
# "Illinois State Police": one to four capitalised place words, then an agency head noun.
_PLACE = r"(?:(?:City|County|Town|Village|Borough)\s+of\s+)?(?:[A-Z][a-z]+\.?[ \t]+){1,4}"
_HEAD = (
    r"(?:Police\s+Department|Police\s+Dept\.?|Sheriff(?:'|\u2019)?s?\s+(?:Office|Department|Dept\.?)"
    r"|County\s+Sheriff|State\s+Police|Highway\s+Patrol|Department\s+of\s+Public\s+Safety"
    r"|District\s+Attorney(?:'|\u2019)?s\s+Office|State(?:'|\u2019)?s\s+Attorney(?:'|\u2019)?s?\s+Office"
    r"|Public\s+Safety\s+Department|Bureau\s+of\s+Investigation|Department\s+of\s+Corrections)"
)
_AGENCY = re.compile(rf"\b{_PLACE}{_HEAD}\b")
# Words that start a sentence or a title but are not part of the place name.
_LEADING = frozenset({"The", "A", "An", "Our", "Your", "This", "That", "Dear", "To", "From", "And", "Or", "Of"})


@dataclass(frozen=True)
class AgencySpan:
    entity_id: str
    name: str
    start: int
    end: int


def find_local_agencies(text: str) -> list[AgencySpan]:
    """Spans in `text` (already whitespace-normalized) naming a local or state agency."""
    found: list[AgencySpan] = []
    for m in _AGENCY.finditer(text):
        start = m.start()
        words = m.group().split()
        while words and words[0] in _LEADING:
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.end()
            words = words[1:]
        if len(words) < 2:
            continue
        name = " ".join(words)
        found.append(AgencySpan(f"agency:{normalize_organization(name)}", name, start, m.end()))
    return found
