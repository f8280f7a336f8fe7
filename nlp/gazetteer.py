"""The gazetteer: entries kept as data in gazetteer.yaml, turned into matcher patterns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from nlp.types import EntityInfo

DEFAULT_PATH = Path(__file__).with_name("gazetteer.yaml")
CONCEPTS_PATH = Path(__file__).with_name("concepts.yaml")
GAZETTEER_TYPES = ("vendor", "product", "technology", "agency")
# spaCy labels the rulers put on gazetteer spans; the statistical NER never predicts these.
LABELS = {t: f"GAZ_{t.upper()}" for t in GAZETTEER_TYPES}
LABEL_TO_TYPE = {v: k for k, v in LABELS.items()}

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
_HYPHEN_BETWEEN_WORDS = re.compile(r"(?<=\w)-(?=\w)")
# A short all-capitals name ("NEC", "UFED", "LEARN") is an acronym: lowercase text must not match it.
_LEGAL_SUFFIX = re.compile(r"(?<=\w) (?:Inc|Corp|Co|Ltd|LLC|LLP|Corporation|Company)$")
_ABBREVIATED_END = re.compile(r"\b(?:Inc|Corp|Co|Ltd|Dept|Bros|Assn)$")
_ACRONYM = re.compile(r"^[A-Z0-9&]{2,5}s?$")


class GazetteerError(ValueError):
    pass


@dataclass(frozen=True)
class AmbiguousAlias:
    entity_id: str
    alias: str
    context: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[EntityInfo, ...]
    # (entity id, phrase) pairs matched case-insensitively / with exact case.
    folded_phrases: tuple[tuple[str, str], ...]
    exact_phrases: tuple[tuple[str, str], ...]
    ambiguous: tuple[AmbiguousAlias, ...]
    # How many of folded_phrases come from concepts.yaml (technologies as records describe them).
    concept_phrases: int = 0

    def by_id(self) -> dict[str, EntityInfo]:
        return {e.id: e for e in self.entries}


def spelling_variants(phrase: str, plural: bool = False) -> set[str]:
    """Hyphen/space/joined forms of a hyphenated or CamelCase name, a comma before "Inc"/"Corp" and a
    period after, curly-apostrophe forms and, for names of things one buys ("PenLinks"), a plural."""
    variants = {phrase}
    if plural and phrase[-1:].isalpha() and phrase[-1:].islower():
        if phrase.endswith("y") and phrase[-2:-1] not in ("a", "e", "o", "u"):
            variants.add(phrase[:-1] + "ies")
        elif not phrase.endswith(("s", "x", "z", "sh", "ch")):
            variants.add(phrase + "s")
    for v in list(variants):
        if _HYPHEN_BETWEEN_WORDS.search(v):
            variants.add(_HYPHEN_BETWEEN_WORDS.sub(" ", v))
            variants.add(_HYPHEN_BETWEEN_WORDS.sub("", v))
        words = v.split(" ")
        if any(_CAMEL.search(w) for w in words):
            variants.add(" ".join(_CAMEL.sub(" ", w) for w in words))
            variants.add(" ".join(_CAMEL.sub("-", w) for w in words))
    for v in list(variants):
        # "ShotSpotter Inc" is also written "ShotSpotter, Inc".
        if _LEGAL_SUFFIX.search(v):
            variants.add(_LEGAL_SUFFIX.sub(r",\g<0>", v))
    for v in list(variants):
        # The tokenizer keeps the period of "Inc." and "Corp." on the word: match both spellings.
        if _ABBREVIATED_END.search(v):
            variants.add(v + ".")
    for v in list(variants):
        if "'" in v:
            variants.add(v.replace("'", "\u2019"))
    return variants


def _strings(raw: Any, field: str, entry_id: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise GazetteerError(f"{entry_id}: '{field}' must be a list of non-empty strings")
    return tuple(x.strip() for x in raw)


def parse(raw_entries: Iterable[Any]) -> Gazetteer:
    entries: list[EntityInfo] = []
    folded: set[tuple[str, str]] = set()
    exact: set[tuple[str, str]] = set()
    ambiguous: list[AmbiguousAlias] = []
    seen: set[str] = set()
    for raw in raw_entries:
        if not isinstance(raw, dict):
            raise GazetteerError(f"entry is not a mapping: {raw!r}")
        entry_id = str(raw.get("id", ""))
        etype = str(raw.get("type", ""))
        name = str(raw.get("name", "")).strip()
        if etype not in GAZETTEER_TYPES or entry_id != f"{etype}:{entry_id.partition(':')[2]}" or not name:
            raise GazetteerError(f"bad id/type/name in {raw!r}")
        if entry_id in seen:
            raise GazetteerError(f"duplicate id {entry_id}")
        seen.add(entry_id)
        aliases = _strings(raw.get("aliases"), "aliases", entry_id)
        abbrevs = _strings(raw.get("abbrev"), "abbrev", entry_id)
        ambiguous_aliases = _strings(raw.get("ambiguous"), "ambiguous", entry_id)
        context = _strings(raw.get("context"), "context", entry_id)
        if ambiguous_aliases and not context:
            raise GazetteerError(f"{entry_id}: ambiguous aliases need context terms")
        vendor = raw.get("vendor")
        if etype == "product" and not vendor:
            raise GazetteerError(f"{entry_id}: a product needs its vendor")
        parent = raw.get("parent")
        if parent is not None and (etype != "agency" or not str(parent).startswith("agency:")):
            raise GazetteerError(f"{entry_id}: only an agency has a parent, and it is an agency")
        entries.append(
            EntityInfo(
                id=entry_id,
                type=etype,
                name=name,
                aliases=tuple(dict.fromkeys((*aliases, *abbrevs, *ambiguous_aliases))),
                vendor_id=str(vendor) if vendor else None,
                parent_id=str(parent) if parent else None,
                description=str(raw.get("description", "")),
            )
        )
        for phrase in (name, *aliases):
            # A name listed as an abbreviation or as ambiguous matches only under those rules
            # ("Apple" the company, not "apple"; "NEC" only near a context term).
            if phrase in ambiguous_aliases or phrase in abbrevs:
                continue
            if _ACRONYM.match(phrase):
                exact.add((entry_id, phrase))
                continue
            for variant in spelling_variants(phrase, plural=etype != "agency"):
                folded.add((entry_id, variant))
        for phrase in abbrevs:
            exact.add((entry_id, phrase))
        ambiguous.extend(AmbiguousAlias(entry_id, a, context) for a in ambiguous_aliases)
    ids = {e.id for e in entries}
    for e in entries:
        if e.vendor_id is not None and e.vendor_id not in ids:
            raise GazetteerError(f"{e.id}: unknown vendor {e.vendor_id}")
        if e.parent_id is not None and e.parent_id not in ids:
            raise GazetteerError(f"{e.id}: unknown parent {e.parent_id}")
    _check_clashes(folded, exact)
    return Gazetteer(tuple(entries), tuple(sorted(folded)), tuple(sorted(exact)), tuple(ambiguous))


def _check_clashes(folded: set[tuple[str, str]], exact: set[tuple[str, str]]) -> None:
    """One spelling must name one entity, or the ruler would pick between them at random."""
    owner: dict[str, str] = {}
    for entity_id, phrase in folded:
        key = phrase.lower()
        if owner.setdefault(key, entity_id) != entity_id:
            raise GazetteerError(f"'{phrase}' names both {owner[key]} and {entity_id}")
    exact_owner: dict[str, str] = {}
    for entity_id, phrase in exact:
        if exact_owner.setdefault(phrase, entity_id) != entity_id:
            raise GazetteerError(f"'{phrase}' names both {exact_owner[phrase]} and {entity_id}")


_PLURAL = re.compile(r"^(?P<word>[^()]+)\((?P<suffix>s|es)\)$")


def _alternatives(spec: str) -> list[str]:
    words: list[str] = []
    for alt in spec.split("|"):
        m = _PLURAL.match(alt)
        words.extend((m.group("word"), m.group("word") + m.group("suffix")) if m else (alt,))
    return [w.lower() for w in words]


# One pattern may expand to at most this many phrases: a guard against a typo multiplying alternatives.
MAX_PHRASES_PER_PATTERN = 2_000


def concept_phrases(spec: str) -> list[str]:
    """One concepts.yaml pattern string -> every phrase it stands for (see concepts.yaml for the syntax).
    The phrases go to the phrase matcher with the names (a hash lookup per token, where a token-pattern
    matcher with optional tokens costs several times the NER). A hyphenated word gives its hyphenated,
    spaced and joined forms ("in-car", "in car", "incar")."""
    variants: list[list[str]] = [[]]
    for raw in spec.split():
        optional = raw.endswith("?") and len(raw) > 1
        token = raw[:-1] if optional else raw
        if "-" in token.strip("-") and "|" not in token:
            parts = [p for p in token.split("-") if p]
            choices = ["-".join(parts), " ".join(parts), "".join(parts)]
        else:
            choices = _alternatives(token)
        if optional:
            choices = [*choices, ""]
        variants = [[*v, c] if c else list(v) for v in variants for c in choices]
        if len(variants) > MAX_PHRASES_PER_PATTERN:
            raise GazetteerError(f"pattern {spec!r} expands to more than {MAX_PHRASES_PER_PATTERN} phrases")
    phrases = sorted({" ".join(v) for v in variants if v})
    if not phrases:
        raise GazetteerError(f"pattern {spec!r} matches nothing")
    return phrases


def parse_concepts(raw: Any, known: dict[str, EntityInfo]) -> tuple[tuple[str, str], ...]:
    """(entity id, phrase) pairs, matched case-insensitively like the names."""
    if not isinstance(raw, dict) or not isinstance(raw.get("concepts"), list):
        raise GazetteerError("concepts file must be a mapping with a 'concepts' list")
    out: list[tuple[str, str]] = []
    for item in raw["concepts"]:
        entity_id = str(item.get("id", "")) if isinstance(item, dict) else ""
        if entity_id not in known or known[entity_id].type != "technology":
            raise GazetteerError(f"concept {entity_id!r} is not a technology entry of the gazetteer")
        for spec in _strings(item.get("patterns"), "patterns", entity_id):
            out.extend((entity_id, phrase) for phrase in concept_phrases(spec))
    return tuple(out)


def load(path: Path | None = None, concepts_path: Path | None = CONCEPTS_PATH) -> Gazetteer:
    data = yaml.safe_load((path or DEFAULT_PATH).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise GazetteerError("gazetteer file must be a mapping with an 'entries' list")
    gazetteer = parse(data["entries"])
    if concepts_path is None or (path is not None and concepts_path == CONCEPTS_PATH):
        return gazetteer  # a gazetteer of one's own (tests) has no entries for the shipped concepts
    concepts = parse_concepts(yaml.safe_load(concepts_path.read_text(encoding="utf-8")), gazetteer.by_id())
    folded = set(gazetteer.folded_phrases) | set(concepts)
    _check_clashes(folded, set(gazetteer.exact_phrases))
    return replace(gazetteer, folded_phrases=tuple(sorted(folded)), concept_phrases=len(concepts))
