from __future__ import annotations

from pathlib import Path

from nlp import Analyzer, PageFacts


def ids(analyzer: Analyzer, text: str) -> list[str]:
    return [m.entity_id for m in analyzer.analyze([text])[0].mentions]


def gazetteer_ids(analyzer: Analyzer, text: str) -> list[str]:
    return [
        m.entity_id
        for m in analyzer.analyze([text])[0].mentions
        if m.entity_type in ("vendor", "product", "technology", "agency")
    ]


def test_only_needed_components_run(analyzer: Analyzer) -> None:
    assert analyzer.pipe_names == ["gazetteer_names", "gazetteer_acronyms", "ner"]


def test_entities_lists_the_gazetteer(analyzer: Analyzer) -> None:
    entities = analyzer.entities()
    assert len(entities) >= 150
    assert any(e.id == "vendor:cellebrite" for e in entities)


def test_page_facts_per_text_and_offsets_into_the_original(analyzer: Analyzer) -> None:
    texts = ["The Chicago Police\n      Department bought a Cellebrite kit and a UFED.", "", "b6, b7C\n\nFBI-000123"]
    facts = analyzer.analyze(texts, batch_size=2)
    assert len(facts) == 3 and all(isinstance(f, PageFacts) for f in facts)
    for text, f in zip(texts, facts, strict=True):
        for m in f.mentions:
            assert text[m.start : m.end] == m.text
    first = facts[0].mentions
    assert [m.entity_id for m in first] == ["agency:chicago-pd", "vendor:cellebrite", "product:ufed"]
    assert first[0].text == "Chicago Police\n      Department"
    assert facts[2].bates == "FBI-000123"
    assert [e.code for e in facts[2].exemptions] == ["b6", "b7C"]


def test_case_possessive_and_hyphenation(analyzer: Analyzer) -> None:
    text = "CELLEBRITE and cellebrite's kit; Pen-Link, PenLink, PEN link and Pen-\nLink; Celle-\nbrite."
    assert gazetteer_ids(analyzer, text) == ["vendor:cellebrite"] * 2 + ["vendor:pen-link"] * 4 + ["vendor:cellebrite"]


def test_plural_product(analyzer: Analyzer) -> None:
    assert gazetteer_ids(analyzer, "funding for the Hailstorms and two StingRays") == [
        "product:hailstorm",
        "product:stingray",
    ]


def test_acronym_case(analyzer: Analyzer) -> None:
    assert gazetteer_ids(analyzer, "ICE officers") == ["agency:ice"]
    assert gazetteer_ids(analyzer, "the ice on the road") == []


def test_longest_name_wins(analyzer: Analyzer) -> None:
    # One product span each (the vendor inside the name is reported beside it, not instead of it).
    assert gazetteer_ids(analyzer, "a Cellebrite UFED Touch and the Amazon Rekognition API") == [
        "product:ufed",
        "vendor:cellebrite",
        "product:amazon-rekognition",
        "vendor:amazon",
    ]


def test_ambiguous_harris_resolved_by_context(analyzer: Analyzer) -> None:
    text = "Harris sold the department a StingRay. Harris County paid for it. Harris Corp. billed."
    assert gazetteer_ids(analyzer, text) == ["vendor:harris", "product:stingray", "vendor:harris"]


def test_ambiguous_harris_without_context_is_left_out(analyzer: Analyzer) -> None:
    assert "vendor:harris" not in ids(analyzer, "Harris spoke at the meeting about the budget.")
    assert "vendor:harris" not in ids(analyzer, "Sheriff Harris bought a StingRay.")
    assert "vendor:harris" not in ids(analyzer, "Kamala Harris discussed IMSI catchers.")


def test_ambiguous_alias_beside_a_product_name(analyzer: Analyzer) -> None:
    assert gazetteer_ids(analyzer, "the Harris StingRay II")[:1] == ["vendor:harris"]


def test_vigilant_the_adjective_is_not_the_vendor(analyzer: Analyzer) -> None:
    assert "vendor:vigilant-solutions" not in ids(analyzer, "Officers must remain vigilant on patrol.")
    assert "vendor:vigilant-solutions" in ids(analyzer, "Vigilant provides the LPR hot list.")


def test_local_agency_by_name_shape(analyzer: Analyzer) -> None:
    got = [(m.entity_id, m.entity_type) for m in analyzer.analyze(["The Springfield Police Department."])[0].mentions]
    assert got == [("agency:springfield-police-department", "agency")]


def test_organizations_merge_across_variants(analyzer: Analyzer) -> None:
    facts = analyzer.analyze(
        [
            "The City of Chicago has retained Drinker Biddle & Reath LLP to assist.",
            "Your request was reviewed by DRINKER BIDDLE & REATH L.L.P. and the police.",
        ]
    )
    # A firm with a legal form is a company: typed vendor on both pages, under one key.
    org_ids = [{m.entity_id for m in f.mentions if m.entity_type == "vendor"} for f in facts]
    assert "vendor:drinker-biddle-and-reath" in org_ids[0] & org_ids[1]


def test_without_statistical_ner(tmp_path: Path) -> None:
    path = tmp_path / "g.yaml"
    path.write_text("entries:\n- {id: vendor:acme, type: vendor, name: Acme Surveillance, abbrev: [ACS]}\n")
    small = Analyzer(gazetteer_path=path, statistical_ner=False)
    assert "ner" not in small.pipe_names
    got = small.analyze(["ACME SURVEILLANCE and ACS, not acs. John Smith."])[0].mentions
    assert [(m.entity_id, m.text) for m in got] == [
        ("vendor:acme", "ACME SURVEILLANCE"),
        ("vendor:acme", "ACS"),
    ]


def test_product_name_containing_the_vendor_also_mentions_the_vendor(analyzer: Analyzer) -> None:
    got = [(m.entity_id, m.text) for m in analyzer.analyze(["the FBI's trial of Amazon Rekognition."])[0].mentions]
    assert ("product:amazon-rekognition", "Amazon Rekognition") in got
    assert ("vendor:amazon", "Amazon") in got


def test_bates_prefix_is_not_an_agency_mention(analyzer: Analyzer) -> None:
    page = "The appeal is remanded.\n\n\n                                DOJ-OIP-2019-00046\n"
    facts = analyzer.analyze([page])[0]
    assert facts.bates == "DOJ-OIP-2019-00046"
    assert [m.entity_id for m in facts.mentions if m.entity_type == "agency"] == []


def test_legal_suffix_with_comma_names_the_company(analyzer: Analyzer) -> None:
    assert gazetteer_ids(analyzer, "Vice President\nShotSpotter, Inc.\nNewark") == ["vendor:soundthinking"]


def test_ner_spans_end_at_field_lines_and_column_gaps(analyzer: Analyzer) -> None:
    page = "APPROVED:\nNicholas J Roti\nChief\nOrganized Crime Division\n\n  Report By: William Hillyard  Hit Ratio"
    people = [m.entity_id for m in analyzer.analyze([page])[0].mentions if m.entity_type == "person"]
    assert people == ["person:nicholas-j-roti", "person:william-hillyard"]


def test_context_terms_are_whole_words(analyzer: Analyzer) -> None:
    # "template" contains "plate", which is a context term for Vigilant (license plates).
    assert "vendor:vigilant-solutions" not in ids(analyzer, "Vigilant staff filled in the template.")


def test_empty_batch_and_empty_page(analyzer: Analyzer) -> None:
    assert analyzer.analyze([]) == []
    assert analyzer.analyze(["", "   \n\n  "]) == [PageFacts(), PageFacts()]


def test_ocr_noise_is_not_guessed(analyzer: Analyzer) -> None:
    # Out of scope on purpose (nlp/README.md): a fuzzy match would need its own precision study.
    assert gazetteer_ids(analyzer, "a Ce11ebrite kit") == []


def test_common_word_names_need_their_capital(analyzer: Analyzer) -> None:
    assert gazetteer_ids(analyzer, "an apple pie; encase the wires") == []
    assert gazetteer_ids(analyzer, "Apple and EnCase") == ["vendor:apple", "vendor:opentext"]


def test_nec_the_electrical_code_is_not_the_vendor(analyzer: Analyzer) -> None:
    assert gazetteer_ids(analyzer, "wiring per the NEC 2017 edition") == []
    assert gazetteer_ids(analyzer, "NEC sold the face matching service")[0] == "vendor:nec"
