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


# Offices, bureaus, divisions and governments named by their head noun, the way records write them below
# the top level: "Bureau of Organized Crime", "Office of Contracts, Procurement and Grants", "Organized
# Crime Division", "Superior Court of the District of Columbia", "City of Chicago", "County of Orange";
# also in capitals as letterheads and memo heads print them ("BUREAU OF INVESTIGATIVE SERVICES").
# Read on the page text as laid out: words of a unit are one space apart on one line, so a column gap or a
# line break ends the name ("City of Chicago      Garry F. McCarthy", stacked letterhead lines).
_CAP = r"(?:[A-Z][a-z]+(?:[-'\u2019][A-Za-z]+)?|[A-Z]{2,})(?!\w)"
# The next field's label ends a name that runs on to it ("Office of Acquisition Subject: ...").
_LABEL = r"(?!(?:Subject|Date|From|To|Re|Cc|Attn|Attention|Phone|Fax|Email|Tel|Sent|Title|Name)\b)"


def _title_or_upper(*words: str) -> str:
    """An alternation of each word as a name writes it, "Office" or "OFFICE", never "office": a lowercase
    "office of the Chief" is a common noun."""
    return "(?:" + "|".join(f"{w}|{w.upper()}" for w in words) + ")"


_OF_HEADS = _title_or_upper(
    "Office", "Bureau", "Division", "Department", "Board", "Commission", "Council", "Court", "Center", "Centre",
    "Administration", "Agency", "Authority", "Directorate", "Ministry",
)  # fmt: skip
_END_HEADS = _title_or_upper(
    "Division", "Bureau", "Office", "Court", "Commission", "Board", "Council", "Administration", "Directorate"
)
_GOVERNMENTS = _title_or_upper(
    "City", "County", "State", "Town", "Village", "Commonwealth", "Borough", "Township", "Government"
)
# A word of the name after the head: capitalised, or a joining word before one, never the next unit's head.
_NOT_HEAD = rf"{_LABEL}(?!(?i:{_OF_HEADS}|{_GOVERNMENTS}) (?i:of)\b)(?!(?:{_CAP} ){{1,3}}{_END_HEADS}\b)"
# Place names of two words after "City of": "City of Los Angeles", "County of San Diego"; otherwise one
# word, so a letterhead's next field ("City of Chicago Garry F. McCarthy" in OCR) is not taken in.
_PLACE_PREFIX = r"(?:New|Los|Las|San|Santa|St\.?|Saint|Fort|Port|El|La|Salt|Baton|Des|Palm|Grand|North|South|East|West)"
_TAIL = rf"{_CAP}(?:(?:, (?=[A-Z][a-z])| (?i:and|&|for|on|of|the|of the) | ){_NOT_HEAD}{_CAP}){{0,6}}"
_UNIT = re.compile(
    rf"(?<![\w/-])(?:{_CAP} ){{0,2}}{_OF_HEADS} (?i:of) (?:(?i:the) )?{_TAIL}"
    rf"|(?<![\w/-]){_CAP}(?:(?: (?i:and|&) | ){_CAP}){{0,4}} {_END_HEADS}(?![\w-])(?! (?i:of)\b)"
    rf"|(?<![\w/-]){_GOVERNMENTS} (?i:of) (?:(?i:the) )?(?:{_PLACE_PREFIX} {_CAP}|{_CAP})(?: (?i:of) {_CAP})?"
)
# "Department of Police" alone is the letterhead of a city's police, not a name of its own.
_GENERIC_UNIT = re.compile(r"^(?:Department|Dept\.?) of [A-Z][a-z]+$", re.IGNORECASE)
# Words that open a line or a sentence, or name a document, before a unit: not part of its name.
_NOT_NAME = frozenset(
    {
        "The", "A", "An", "Our", "Your", "This", "That", "Dear", "To", "From", "And", "Or", "Of", "Attention",
        "Attn", "Re", "Subject", "Cc", "Via", "By", "For", "With", "At", "In", "On", "Sincerely", "Approved",
        "THE", "TO", "FROM", "RE", "ATTN", "CC", "Contact", "Please", "If", "Under", "Per", "See", "Mr", "Ms",
    }
)  # fmt: skip


_HEAD_START = re.compile(rf"\b{_OF_HEADS} (?i:of)\b")
_POSSESSIVE_WORD = re.compile(r"^([A-Za-z]+)['\u2019]s$")
_OWNING_TITLES = frozenset({"Mayor", "Sheriff", "Governor", "Attorney", "President", "Secretary", "Clerk", "Marshal"})


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


def _display(name: str) -> str:
    """A unit printed in capitals reads in title case: "BUREAU OF INVESTIGATIVE SERVICES"."""
    if name.isupper() and len(name) > 5:
        return " ".join(w.lower() if w in ("OF", "THE", "AND") else w.capitalize() for w in name.split())
    return name


def _owner(word: str) -> bool:
    """A possessive word that owns the unit ("County's", "CPD's"), not a title that names it ("Mayor's")."""
    m = _POSSESSIVE_WORD.match(word)
    return m is not None and m.group(1) not in _OWNING_TITLES


def find_units(text: str) -> list[AgencySpan]:
    """Offices, bureaus, divisions and governments named by their head noun (see _UNIT), in the page text
    as laid out (offsets into it)."""
    found: list[AgencySpan] = []
    for m in _UNIT.finditer(text):
        start, words = m.start(), m.group().split(" ")
        # "County's Board of Supervisors", "CPD's Bureau of ...": the owner is the parent, not the name
        # (a title that owns the office, "Mayor's Office", is kept).
        while words and (words[0].rstrip(".,:") in _NOT_NAME or _owner(words[0])):
            start += len(words[0]) + 1
            words = words[1:]
        while words and words[-1] in ("and", "&", "of", "the", "for", "on", "AND", "OF", "THE"):
            words = words[:-1]
        # A head noun with one word ("Office", "Division") is a heading word, not a unit.
        if len(words) < 2:
            continue
        raw = " ".join(words).rstrip(",")
        name = _display(raw)
        head = _HEAD_START.search(raw)
        if _GENERIC_UNIT.match(_display(raw[head.start() :]) if head else name):
            continue
        found.append(AgencySpan(f"agency:{normalize_organization(name)}", name, start, start + len(raw)))
        # Words before the head ("Development Office of Contracts ...", the end of the line above in OCR)
        # may belong to another name; the unit from its head on is a second, shorter reading for the
        # overlap resolution to fall back on.
        if head is not None and head.start() > 0:
            short = _display(raw[head.start() :])
            found.append(
                AgencySpan(f"agency:{normalize_organization(short)}", short, start + head.start(), start + len(raw))
            )
    return found
