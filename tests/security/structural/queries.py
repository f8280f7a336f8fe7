"""The searches every search-shaped route is probed with: the viewer's own, and those naming the other
matter's words, names and ids (each compared with the same search about nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.security.structural.world import COMMON_PRODUCTION, Matter

Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Ctx:
    """Who is looking (`me`, signing in with `token`), at whose secrets (`other`), and the records both
    matters hold (`reissued`: released by both only in a production both call COMMON_PRODUCTION; `late`:
    linked by A once B's copy was indexed)."""

    me: Matter
    other: Matter
    shared: str
    reissued: str
    late: str
    token: str


def _title_word(m: Matter) -> str:
    return m.names.codewords[4]  # the codeword of the matter's file name for the shared record


def _organization_word(m: Matter) -> str:
    return m.names.codewords[6]


def _entity_field(m: Matter) -> str:
    """The filter and query field of the type the analyzer gave the matter's organization."""
    return m.organization_id.split(":", 1)[0]


def _file_key(m: Matter) -> str:
    return m.names.shared_file.lower().replace(" ", "-")


OWN_SEARCHES: dict[str, Callable[[Ctx], Params]] = {
    "everything": lambda c: (),
    "a word of the shared record": lambda c: (("q", "Microsoft"),),
    "a word of my own record": lambda c: (("q", c.me.names.word),),
    "my file name for the shared record": lambda c: (("q", f'file:"{c.me.names.shared_file}"'),),
    "my title prefix": lambda c: (("q", f"title:{_title_word(c.me)[:5]}*"),),
    "my production name": lambda c: (("q", f'production:"{c.me.names.production}"'),),
    "my production filter": lambda c: (("production", c.me.production_id),),
    "the production name both matters use": lambda c: (("q", f'production:"{COMMON_PRODUCTION}"'),),
    "my production of that name, filtered": lambda c: (("production", c.me.reissue_production_id),),
    "my organization filter": lambda c: ((_entity_field(c.me), c.me.organization_id),),
    # The reader's notes on the shared record (world.py): the shared one holds the matter's word, the
    # private one its organization.
    "a word of my shared note": lambda c: (("q", f"note:{c.me.names.word}"),),
    "a word of my private note": lambda c: (("q", f"note:{_organization_word(c.me)}"),),
}


def _q(query: str, *refs: str) -> tuple[Params, tuple[str, ...]]:
    return (("q", query),), refs


# label -> (query parameters, the other matter's strings they name)
FOREIGN_SEARCHES: dict[str, Callable[[Ctx], tuple[Params, tuple[str, ...]]]] = {
    "a word of theirs": lambda c: _q(c.other.names.word, c.other.names.word),
    "a prefix of their word": lambda c: _q(f"{c.other.names.word[:5]}*", c.other.names.word[:5]),
    "their organization by name": lambda c: _q(
        f'{_entity_field(c.other)}:"{c.other.names.organization}"', c.other.names.organization
    ),
    "their organization prefix": lambda c: _q(
        f"{_entity_field(c.other)}:{_organization_word(c.other)[:5]}*", _organization_word(c.other)[:5]
    ),
    "their organization filter": lambda c: (
        ((_entity_field(c.other), c.other.organization_id),),
        (c.other.organization_id,),
    ),
    "their file name for the shared record": lambda c: _q(
        f'file:"{c.other.names.shared_file}"', c.other.names.shared_file
    ),
    "a prefix of their file name": lambda c: _q(f"file:{_file_key(c.other)[:16]}*", _file_key(c.other)[:16]),
    "their title of the shared record": lambda c: _q(f"title:{_title_word(c.other)}", _title_word(c.other)),
    "a prefix of their title": lambda c: _q(f"title:{_title_word(c.other)[:5]}*", _title_word(c.other)[:5]),
    "their own record's title": lambda c: _q(f'title:"{c.other.names.own_title}"', c.other.names.own_title),
    "their production name": lambda c: _q(f'production:"{c.other.names.production}"', c.other.names.production),
    "a prefix of their production name": lambda c: _q(
        f"production:{c.other.names.production[:5].lower()}*", c.other.names.production[:5].lower()
    ),
    "their production filter": lambda c: ((("production", c.other.production_id),), (c.other.production_id,)),
    "their production of the name both use, filtered": lambda c: (
        (("production", c.other.reissue_production_id),),
        (c.other.reissue_production_id,),
    ),
    "their Bates prefix": lambda c: _q(f"bates:{c.other.names.bates[:3]}*", c.other.names.bates[:3]),
    "a word of their shared note": lambda c: _q(f"note:{c.other.names.word}", c.other.names.word),
    "a prefix of their private note": lambda c: _q(
        f"note:{_organization_word(c.other)[:5]}*", _organization_word(c.other)[:5]
    ),
}
