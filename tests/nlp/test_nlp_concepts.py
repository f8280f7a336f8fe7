"""Technology concepts as records describe them (nlp/concepts.yaml), matched with token-level variation."""

from __future__ import annotations

import itertools

import pytest

from nlp import Analyzer
from nlp import gazetteer as gaz

# (technology id, descriptions) - each phrase put into several sentence frames below.
DESCRIBED = [
    ("technology:wiretap", ["Title III intercepts", "Title III interceptions", "title III wiretaps"]),
    ("technology:dash-camera", ["in-car video system", "in car video", "dashboard cameras", "squad car video"]),
    ("technology:alpr", ["automatic license plate detection", "automated licence plate readers", "ALPR cameras"]),
    ("technology:mrna-vaccine", ["mRNA vaccine", "messenger RNA vaccines", "RNA vaccine candidates"]),
    ("technology:cell-site-simulator", ["cell-site simulators", "cell site emulator", "IMSI catchers"]),
    ("technology:pen-register", ["pen registers", "trap and trace devices", "dialed number recorders"]),
    ("technology:face-recognition", ["facial matching", "face comparison searches"]),
    ("technology:mobile-device-forensics", ["forensic telephone kit", "cell phone forensics"]),
]
FRAMES = [
    "Records about the {t} were withheld.",
    "The department used {t} in 2019 and 2020.",
    "{t} are described in the attached policy.",
]


@pytest.mark.parametrize(
    ("entity_id", "phrase", "frame"),
    [(e, p, f) for (e, phrases), f in itertools.product(DESCRIBED, FRAMES) for p in phrases],
)
def test_described_technology_is_found(analyzer: Analyzer, entity_id: str, phrase: str, frame: str) -> None:
    text = frame.format(t=phrase[0].upper() + phrase[1:] if frame.startswith("{") else phrase)
    mentions = [m for m in analyzer.analyze([text])[0].mentions if m.entity_type == "technology"]
    assert [m.entity_id for m in mentions] == [entity_id]
    assert mentions[0].text.lower() == phrase.lower()


@pytest.mark.parametrize("text", ["The car was in the video.", "We registered the pen.", "The plate was licensed."])
def test_words_of_a_concept_apart_are_not_it(analyzer: Analyzer, text: str) -> None:
    assert not [m for m in analyzer.analyze([text])[0].mentions if m.entity_type == "technology"]


def test_pattern_syntax() -> None:
    assert gaz.concept_phrases("pen register(s)") == ["pen register", "pen registers"]
    assert gaz.concept_phrases("in-car video?") == [
        "in car",
        "in car video",
        "in-car",
        "in-car video",
        "incar",
        "incar video",
    ]
    assert gaz.concept_phrases("title iii|3 intercept(s)") == [
        "title 3 intercept",
        "title 3 intercepts",
        "title iii intercept",
        "title iii intercepts",
    ]
    with pytest.raises(gaz.GazetteerError):
        gaz.concept_phrases("a|b|c|d|e|f|g|h|i|j " * 4)  # 10,000 phrases: a typo, not a concept


def test_a_concept_must_name_a_gazetteer_technology() -> None:
    g = gaz.load()
    with pytest.raises(gaz.GazetteerError):
        gaz.parse_concepts({"concepts": [{"id": "technology:nope", "patterns": ["x y"]}]}, g.by_id())
    with pytest.raises(gaz.GazetteerError):
        gaz.parse_concepts({"concepts": [{"id": "vendor:cellebrite", "patterns": ["x y"]}]}, g.by_id())


def test_gazetteer_parent_must_be_a_known_agency() -> None:
    entries = [{"id": "agency:a", "type": "agency", "name": "Office A", "parent": "agency:b"}]
    with pytest.raises(gaz.GazetteerError):
        gaz.parse(entries)
    ok = gaz.parse([*entries, {"id": "agency:b", "type": "agency", "name": "Department B"}])
    assert ok.by_id()["agency:a"].parent_id == "agency:b"
