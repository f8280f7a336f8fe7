"""Entity field values resolved to ids before any engine compiles the tree: `vendor:clearview`,
`product:rekognition`, `vendor:AWS` and `vendor:"Amazon Web Services"` name an entity by its name, an
alias or the name a reader's own collection gave it, while the index holds its id.

Pure: the names come in as `EntityNames`, built by the caller for one reader's collections (only the
entities that reader can find, with that reader's corrections), so another matter's names can neither
match nor be suggested. A value that names no known entity stays as written (the index keys of
search.query.fields still apply) and is reported by `unmatched_values`, with the closest names as
suggestions. Which query fields are entity fields is the field registry's word (search.fields), the
same registry the backend parses with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from search.fields import FIELDS, Fields
from search.query.ast import And, FieldValue, Node, Not, Or
from search.query.fields import entity_keys, slug

SUGGESTION_LIMIT = 5
# WRatio 0-100: below this a "closest" name is noise (checked on the gazetteer's vendor names).
SUGGESTION_CUTOFF = 60.0


@dataclass(frozen=True)
class KnownEntity:
    """An entity as one reader sees it: its field (the corrected type), shown name and other names."""

    id: str
    field: str
    name: str
    aliases: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()  # ids the reader merged into this one (shared documents may still hold them)


@dataclass(frozen=True)
class Suggestion:
    field: str
    value: str  # as the user wrote it
    entities: tuple[KnownEntity, ...]  # closest first; empty when nothing is close


@dataclass(frozen=True)
class EntityNames:
    """Every name an entity field value can resolve through, for one reader."""

    entities: tuple[KnownEntity, ...]
    _by_key: Mapping[tuple[str, str], tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
        for e in self.entities:
            for key in _keys(e):
                by_key[(e.field, key)].extend((e.id, *e.merged))
        object.__setattr__(self, "_by_key", {k: tuple(sorted(set(v))) for k, v in by_key.items()})

    def ids_for(self, field_name: str, value: str, prefix: bool = False) -> tuple[str, ...]:
        """The ids of `field_name` entities one of whose names has the value's key (or starts with it)."""
        key = slug(value)
        if not key:
            return ()
        if not prefix:
            return self._by_key.get((field_name, key), ())
        found = {i for (f, k), ids in self._by_key.items() if f == field_name and k.startswith(key) for i in ids}
        return tuple(sorted(found))

    def suggest(self, field_name: str, value: str, limit: int = SUGGESTION_LIMIT) -> tuple[KnownEntity, ...]:
        """The entities of `field_name` whose best name is closest to `value`, best first."""
        of_field = [e for e in self.entities if e.field == field_name]
        choices = [(e, n) for e in of_field for n in (e.name, *e.aliases)]
        scored = process.extract(
            value,
            [n for _, n in choices],
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=SUGGESTION_CUTOFF,
            limit=None,
        )
        best: dict[str, tuple[float, KnownEntity]] = {}
        for _, score, index in scored:
            entity = choices[index][0]
            if entity.id not in best or score > best[entity.id][0]:
                best[entity.id] = (score, entity)
        ranked = sorted(best.values(), key=lambda se: (-se[0], se[1].name.lower(), se[1].id))
        return tuple(e for _, e in ranked[:limit])


def _keys(entity: KnownEntity) -> frozenset[str]:
    extra = {slug(a) for a in entity.aliases} - {""}
    return entity_keys(entity.id, entity.name) | extra


def resolve_entity_values(node: Node, names: EntityNames | None, fields: Fields = FIELDS) -> Node:
    """The same tree with each entity field value (an entity field of the registry `fields`) that names
    known entities widened to their ids (the value as written is kept, so an id or an indexed name still
    matches as before)."""
    if names is None:
        return node
    if isinstance(node, FieldValue) and node.field in fields.entity_types:
        ids = names.ids_for(node.field, node.value, node.prefix)
        if not ids:
            return node
        return Or((node, *(FieldValue(node.field, i) for i in ids)))
    if isinstance(node, And):
        return And(tuple(resolve_entity_values(c, names, fields) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(resolve_entity_values(c, names, fields) for c in node.children))
    if isinstance(node, Not):
        return Not(resolve_entity_values(node.child, names, fields))
    return node


def entity_values(node: Node, fields: Fields = FIELDS) -> list[FieldValue]:
    """The entity field values of a tree, in query order (under NOT too: `-vendor:x` names x)."""
    out: list[FieldValue] = []
    entity_fields = fields.entity_types

    def walk(n: Node) -> None:
        if isinstance(n, FieldValue) and n.field in entity_fields:
            out.append(n)
        elif isinstance(n, And | Or):
            for c in n.children:
                walk(c)
        elif isinstance(n, Not):
            walk(n.child)

    walk(node)
    return out


def unmatched_values(node: Node, names: EntityNames, fields: Fields = FIELDS) -> list[Suggestion]:
    """Each entity field value naming no entity the reader can find, with the closest known ones."""
    seen: set[tuple[str, str]] = set()
    out: list[Suggestion] = []
    for v in entity_values(node, fields):
        if (v.field, v.value) in seen or names.ids_for(v.field, v.value, v.prefix):
            continue
        seen.add((v.field, v.value))
        out.append(Suggestion(v.field, v.value, names.suggest(v.field, v.value)))
    return out


def known_entities(
    rows: Iterable[tuple[str, str, str, Iterable[str], Iterable[str]]], fields: Fields = FIELDS
) -> EntityNames:
    """EntityNames from (id, field, name, other names, merged ids) rows; rows of types that are no entity
    field of `fields` are left out."""
    entity_fields = fields.entity_types
    return EntityNames(
        tuple(
            KnownEntity(i, f, n, tuple(dict.fromkeys(a for a in aliases if a and a != n)), tuple(merged))
            for i, f, n, aliases, merged in rows
            if f in entity_fields
        )
    )
