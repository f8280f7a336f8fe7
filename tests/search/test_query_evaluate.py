"""The query evaluator against planted truth: generated pages whose phrases, proximity pairs (at known
distances and orders) and negated words were put at known places; every marked span must be exactly a
planted match, and nothing else."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import parse_query
from search.query.evaluate import PageValues, evaluate, evaluate_record, match_spans
from tests.search.planted import Planted
from tests.search.search_conformance import make_page

NO_VALUES = PageValues()

phrase_pieces = st.lists(st.sampled_from(["phrase", "lone_face", "iris", "filler"]), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(phrase_pieces)
def test_a_phrase_marks_exactly_its_occurrences(pieces: list[str]) -> None:
    page = Planted()
    for i, piece in enumerate(pieces):
        if piece == "phrase":
            page.add("phrase", "Face", "recognition")
        elif piece == "lone_face":
            page.add("lone", "face")
        elif piece == "iris":
            page.add("iris", "iris", "recognition")
        else:
            page.fill(2, seed=i)
    truth = [page.span(at[0], at[-1]) for at in page.marks.get("phrase", [])]
    got = evaluate(parse_query('"face recognition"'), page.text, NO_VALUES)
    assert got.matched is bool(truth)
    assert list(got.spans) == truth
    assert got.hits == len(truth)


pairs = st.lists(st.tuples(st.booleans(), st.integers(0, 12)), min_size=1, max_size=6)
GAP_BETWEEN_PAIRS = 30  # farther apart than any distance tested, so pairs never combine


def _plant_pairs(pairs_: list[tuple[bool, int]], lone_trial: bool) -> tuple[Planted, list[tuple[bool, int, list[int]]]]:
    page = Planted()
    placed = []
    for n, (in_order, gap) in enumerate(pairs_):
        page.fill(GAP_BETWEEN_PAIRS, seed=n)
        first = page.add("a", "Clearview" if in_order else "trial")
        page.fill(gap, seed=n + 1)
        second = page.add("b", "trial" if in_order else "clearview")
        placed.append((in_order, gap, first + second))
    if lone_trial:
        page.fill(GAP_BETWEEN_PAIRS)
        page.add("lone", "trial")
    page.fill(3)
    return page, placed


@settings(max_examples=200, deadline=None)
@given(pairs, st.integers(1, 10), st.booleans())
def test_proximity_marks_the_pairs_within_the_distance_in_either_or_the_given_order(
    pairs_: list[tuple[bool, int]], distance: int, lone_trial: bool
) -> None:
    page, placed = _plant_pairs(pairs_, lone_trial)
    for operator, needs_order in (("w", False), ("pre", True)):
        query = f"clearview {operator}/{distance} trial"
        truth = sorted(
            s
            for in_order, gap, at in placed
            if gap + 1 <= distance and (in_order or not needs_order)
            for s in page.word_spans(at)
        )
        got = evaluate(parse_query(query), page.text, NO_VALUES)
        assert got.matched is bool(truth), query
        assert list(got.spans) == truth, query


@settings(max_examples=150, deadline=None)
@given(pairs, st.integers(0, 12))
def test_a_sloppy_phrase_keeps_order_and_counts_inserted_words(pairs_: list[tuple[bool, int]], slop: int) -> None:
    page, placed = _plant_pairs(pairs_, False)
    truth: list[tuple[int, int]] = []
    for in_order, gap, at in placed:
        if in_order and gap <= slop:
            truth += [page.span(at[0], at[1])] if gap == 0 else page.word_spans(at)
    got = evaluate(parse_query(f'"clearview trial"~{slop}'), page.text, NO_VALUES)
    assert got.matched is bool(truth)
    assert list(got.spans) == sorted(truth)


words_on_page = st.lists(st.sampled_from(["rekognition", "amazon", "pilot", "filler"]), min_size=1, max_size=10)


@settings(max_examples=200, deadline=None)
@given(words_on_page)
def test_not_and_or_are_decided_per_page_and_only_matching_branches_are_marked(planted: list[str]) -> None:
    page = Planted()
    for i, word in enumerate(planted):
        if word == "filler":
            page.fill(3, seed=i)
        else:
            page.add(word, word.capitalize())
            page.fill(1, seed=i)
    at = {
        w: [s for occ in page.marks.get(w, []) for s in page.word_spans(occ)]
        for w in ("rekognition", "amazon", "pilot")
    }
    has = {w: bool(spans) for w, spans in at.items()}
    cases = {
        "rekognition -amazon": (has["rekognition"] and not has["amazon"], at["rekognition"]),
        "rekognition NOT amazon": (has["rekognition"] and not has["amazon"], at["rekognition"]),
        "rekognition AND pilot": (has["rekognition"] and has["pilot"], at["rekognition"] + at["pilot"]),
        "rekognition OR amazon": (has["rekognition"] or has["amazon"], at["rekognition"] + at["amazon"]),
        "(rekognition -pilot) OR amazon": (
            (has["rekognition"] and not has["pilot"]) or has["amazon"],
            (at["rekognition"] if not has["pilot"] else []) + at["amazon"],
        ),
        "NOT amazon": (not has["amazon"], []),
    }
    for query, (matched, spans) in cases.items():
        got = evaluate(parse_query(query), page.text, NO_VALUES)
        assert got.matched is matched, query
        assert list(got.spans) == (sorted(spans) if matched else []), query


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["recognition", "recognized", "Recognizing", "precognition", "filler"]), max_size=10))
def test_a_prefix_marks_every_word_it_begins_and_no_other(planted: list[str]) -> None:
    page = Planted()
    for i, word in enumerate(planted):
        if word == "filler":
            page.fill(2, seed=i)
        else:
            page.add("hit" if word.lower().startswith("recogn") else "miss", word)
    truth = [s for occ in page.marks.get("hit", []) for s in page.word_spans(occ)]
    got = evaluate(parse_query("recogn*"), page.text, NO_VALUES)
    assert got.matched is bool(truth)
    assert list(got.spans) == truth


def test_field_clauses_match_the_page_record_and_mark_nothing() -> None:
    text = "Rekognition pilot notes"
    with_vendor = make_page("d1", 1, text, vendors=("vendor:amazon",), exemptions=("b6",))
    without = make_page("d1", 2, text)
    query = parse_query("rekognition vendor:amazon")
    assert evaluate_record(query, with_vendor, None).spans == ((0, 11),)
    assert not evaluate_record(query, without, None).matched
    assert evaluate_record(parse_query("rekognition -exemption:b6"), without, None).matched
    assert not evaluate_record(parse_query("rekognition -exemption:b6"), with_vendor, None).matched
    assert evaluate_record(parse_query("pilot file:d1.pdf"), without, ["c1"]).matched
    assert not evaluate_record(parse_query("pilot file:d1.pdf"), without, ["c2"]).matched  # another matter's name


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 8)), max_size=8), st.integers(1, 2))
def test_a_fuzzy_word_marks_the_words_within_its_edits(variants: list[tuple[int, int]], distance: int) -> None:
    page = Planted()
    truth = []
    for edits, at in variants:
        word = list("clearview")
        for k in range(edits):  # substitute distinct letters: exactly `edits` edits away
            word[(at + 2 * k) % len(word)] = "z"
        at_word = page.add("variant", "".join(word))
        page.fill(2, seed=edits)
        if edits <= distance:
            truth += page.word_spans(at_word)
    got = evaluate(parse_query(f"clearview~{distance}"), page.text, NO_VALUES)
    assert list(got.spans) == truth


VOCABULARY = ["Face", "recognition", "recognized", "dying", "policies", "police", "Amazon", "pilot", "x" * 45, "über"]
TEXT_QUERIES = ['"face recognition"', "recogn* -amazon", "policy w/3 pilot", "die OR police", '"amazon pilot"~2']


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*VOCABULARY, "alpha", "bravo"]), max_size=30), st.sampled_from(TEXT_QUERIES))
def test_result_snippets_mark_what_the_full_evaluation_marks(page_words: list[str], query: str) -> None:
    # Snippets look only at words that can match (found with str.find) and count the others.
    text = " ".join(page_words)
    node = parse_query(query)
    full = evaluate(node, text, NO_VALUES)
    assert match_spans(node, text) == full.spans
