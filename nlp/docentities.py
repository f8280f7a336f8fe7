"""What one document's pages say about its entities together: abbreviations it defines, one type per
organization, and which office belongs to which agency.

Works on the mentions each page already has (page-text offsets); pure, no spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from nlp.acronyms import abbreviation_uses, find_definitions
from nlp.organizations import normalize_organization
from nlp.orgtype import AGENCY, ORGANIZATION, VENDOR, is_junk, name_type
from nlp.types import Mention

# How high a unit stands by its head noun: the office of a center of an administration. A parent
# must stand higher than its child, so a list "the FBI, the DEA" never makes one the other's office.
_LEVELS = (
    (1, re.compile(r"\b(?:Branch|Section|Unit|Team|Staff|Squad|Detail)s?\b")),
    (2, re.compile(r"\b(?:Office|Division|Program|Laboratory|Field Office|Task Force|District)s?\b")),
    (3, re.compile(r"\b(?:Center|Centre|Bureau|Directorate|Institute)s?\b")),
    (4, re.compile(r"\b(?:Department|Dept|Administration|Agency|Commission|Service|Board|Police|Sheriff)\b")),
)
# "FDA's Center for ...", "FDA Center for ...", "FDA/CBER": the parent written right before the office.
_PARENT_BEFORE = re.compile(r"^(?:['\u2019]s)?[ \t]*/?[ \t]*$")
# "Division X of the Y", "Office of X within the Y", or the next line of a stacked letterhead.
_PARENT_AFTER = re.compile(
    r"^(?:[ \t]*,?[ \t]+(?:of|within|in|at|under|part of)[ \t]+(?:the[ \t]+)?|[ \t]*,?[ \t]*\n[ \t]*)$", re.I
)
_TYPE_RANK = {VENDOR: 3, AGENCY: 2, ORGANIZATION: 1}


def _overlaps(a: Mention, start: int, end: int) -> bool:
    return a.start < end and start < a.end


def resolve_document(
    pages: Sequence[str],
    mentions: Sequence[list[Mention]],
    is_known: Callable[[str], bool],
    known_parent: Callable[[str], str | None],
) -> list[list[Mention]]:
    """Per page, the mentions after abbreviations, type agreement and parents are applied.

    `is_known(id)` tells a gazetteer id (kept as it is) from one the page found itself; `known_parent(id)`
    gives the gazetteer's parent of an entity."""
    pages_m = [list(ms) for ms in mentions]
    aliases = _definitions(pages, pages_m, is_known)
    pages_m = [_apply_aliases(text, ms, aliases, is_known) for text, ms in zip(pages, pages_m, strict=True)]
    pages_m = _agree_types(pages_m, is_known)
    return [_with_parents(text, ms, known_parent) for text, ms in zip(pages, pages_m, strict=True)]


def _definitions(
    pages: Sequence[str], pages_m: list[list[Mention]], is_known: Callable[[str], bool]
) -> dict[str, tuple[str, str, str]]:
    """abbreviation -> (entity id, type, name) for every "Long Name (ABBR)" whose long form is an entity.
    A long form no extractor named becomes an agency or vendor when its words say so."""
    aliases: dict[str, tuple[str, str, str]] = {}
    for text, ms in zip(pages, pages_m, strict=True):
        for d in find_definitions(text):
            # The mention that ends the long form, right before the parenthesis.
            ending = [m for m in ms if d.long_start - 1 <= m.start and d.long_end - 2 <= m.end <= d.long_end + 1]
            ending = [m for m in ending if m.entity_type in (VENDOR, AGENCY, "product", "technology", ORGANIZATION)]
            if ending:
                best = min(ending, key=lambda m: m.start)
                if best.entity_type == ORGANIZATION:
                    continue  # an organization of no known type: the abbreviation adds no facet
                aliases.setdefault(d.abbr, (best.entity_id, best.entity_type, best.name))
                continue
            long_form = " ".join(text[d.long_start : d.long_end].split())
            etype = name_type(long_form)
            if etype is None or is_junk(long_form):
                continue
            eid = f"{etype}:{normalize_organization(long_form)}"
            if any(_overlaps(m, d.long_start, d.long_end) and is_known(m.entity_id) for m in ms):
                continue  # part of a gazetteer name: leave the gazetteer's reading alone
            ms[:] = [m for m in ms if not _overlaps(m, d.long_start, d.long_end)]
            ms.append(Mention(eid, etype, long_form, d.long_start, d.long_end, text[d.long_start : d.long_end]))
            ms.sort(key=lambda m: m.start)
            aliases.setdefault(d.abbr, (eid, etype, long_form))
    return aliases


def _apply_aliases(
    text: str, ms: list[Mention], aliases: dict[str, tuple[str, str, str]], is_known: Callable[[str], bool]
) -> list[Mention]:
    out = list(ms)
    for abbr, (eid, etype, name) in aliases.items():
        for start, end in abbreviation_uses(text, abbr):
            hit = [m for m in out if _overlaps(m, start, end)]
            if any(is_known(m.entity_id) or m.entity_id == eid for m in hit):
                continue
            # A statistical span that is only the abbreviation ("OVRR" as ORG) is replaced.
            if all(m.start >= start - 1 and m.end <= end + 3 for m in hit):
                out = [m for m in out if m not in hit]
                out.append(Mention(eid, etype, name, start, end, text[start:end]))
    out.sort(key=lambda m: m.start)
    return out


def _agree_types(pages_m: list[list[Mention]], is_known: Callable[[str], bool]) -> list[list[Mention]]:
    """An organization typed vendor (or agency) by its context on one page is the same one, untyped, on
    another: all its mentions take the strongest type, so the facet finds every page."""
    best: dict[str, str] = {}
    for ms in pages_m:
        for m in ms:
            if is_known(m.entity_id) or m.entity_type not in _TYPE_RANK:
                continue
            key = m.entity_id.partition(":")[2]
            if _TYPE_RANK[m.entity_type] > _TYPE_RANK.get(best.get(key, ""), 0):
                best[key] = m.entity_type
    out: list[list[Mention]] = []
    for ms in pages_m:
        page: list[Mention] = []
        for m in ms:
            key = m.entity_id.partition(":")[2]
            if not is_known(m.entity_id) and m.entity_type in _TYPE_RANK and best[key] != m.entity_type:
                m = replace(m, entity_id=f"{best[key]}:{key}", entity_type=best[key])
            page.append(m)
        out.append(page)
    return out


def level(name: str) -> int:
    """1 (a branch) .. 4 (a department, an administration); 0 when the name has no unit noun. The
    highest-level noun counts: "Office of the Inspector General" is an office, "Department of Justice
    Office of Information Policy" is read by the mention's own name."""
    found = [lvl for lvl, rx in _LEVELS if rx.search(name)]
    return min(found) if found else 0


def _with_parents(text: str, ms: list[Mention], known_parent: Callable[[str], str | None]) -> list[Mention]:
    """An agency's parent where the text writes it next to the office ("FDA's Center for Biologics ...",
    "Division X of the Y", stacked letterhead lines), else the gazetteer's."""
    agencies = [m for m in ms if m.entity_type == AGENCY]
    parents: dict[int, str] = {}
    for i, m in enumerate(agencies):
        child = level(m.name)
        if not child:
            continue
        prev = agencies[i - 1] if i > 0 else None
        nxt = agencies[i + 1] if i + 1 < len(agencies) else None
        if (
            prev is not None
            and prev.entity_id != m.entity_id
            and level(prev.name) > child
            and _PARENT_BEFORE.match(text[prev.end : m.start])
        ):
            parents[id(m)] = prev.entity_id
        elif (
            nxt is not None
            and nxt.entity_id != m.entity_id
            and level(nxt.name) > child
            and _PARENT_AFTER.match(text[m.end : nxt.start])
        ):
            parents[id(m)] = nxt.entity_id
    out: list[Mention] = []
    for m in ms:
        parent = parents.get(id(m)) or known_parent(m.entity_id)
        out.append(replace(m, parent_id=parent) if parent and parent != m.entity_id else m)
    return out
