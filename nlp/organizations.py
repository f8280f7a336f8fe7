"""Keys that make spelling variants of one organization or person merge into one facet value."""

from __future__ import annotations

import re
import unicodedata

# Legal-form words dropped from the end of an organization name ("Acme Widgets, Inc." = "Acme Widgets").
_LEGAL_FORMS = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "llc",
        "ltd",
        "limited",
        "plc",
        "lp",
        "llp",
        "pllc",
        "gmbh",
        "ag",
        "sa",
        "nv",
        "bv",
        "pc",
    }
)
_POSSESSIVE = re.compile(r"['\u2019]s\b|(?<=s)['\u2019](?!\w)", re.IGNORECASE)
_INITIALS = re.compile(r"\b(?:[a-z]\.){2,}", re.IGNORECASE)
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _words(name: str) -> list[str]:
    # A curly apostrophe has no ASCII form: make it straight first so "County’s" loses its possessive.
    text = _ascii_fold(name.replace("\u2019", "'")).lower().replace("&", " and ")
    text = _POSSESSIVE.sub("", text)
    # "U.S." and "L.L.C." become "us" and "llc" before the dots are treated as separators.
    text = _INITIALS.sub(lambda m: m.group().replace(".", ""), text)
    return [w for w in _NON_WORD.split(text) if w]


def normalize_organization(name: str) -> str:
    """Key for "organization:<key>": lowercase words joined by "-", without "the" or legal forms."""
    words = _words(name)
    while words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words = words[:-1]
    return "-".join(words)


def normalize_person(name: str) -> str:
    """Key for "person:<key>"; "Smith, John" is not reordered: the NER rarely yields that form."""
    words = [w for w in _words(name) if w not in {"mr", "mrs", "ms", "dr", "jr", "sr"}]
    return "-".join(words)


def display_name(text: str) -> str:
    """The span as a reader would write it: one line, no leading "the", no possessive, no stray marks."""
    name = " ".join(text.split())
    name = re.sub(r"['\u2019]s$", "", name)
    name = name.strip(" ,;:.-'\"\u2019()[]=*#+/\\<>|~")
    return re.sub(r"^(?:the|The|THE)\s+", "", name)
