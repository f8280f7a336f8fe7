"""The query parser as a pure function: trees for valid input, positioned errors for the rest."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import QuerySyntaxError, parse_query
from search.query.ast import (
    And,
    BatesRange,
    DateRange,
    FieldValue,
    Fuzzy,
    MatchAll,
    Not,
    Or,
    Phrase,
    Prefix,
    Proximity,
    SpanOr,
    Term,
)
from search.query.compile_dsl import compile_dsl
from search.query.compile_tantivy import compile_tantivy
from search.query.parser import MAX_DEPTH, MAX_LEAVES, MAX_QUERY_LENGTH
from search.tantivy_schema import build_schema

SCHEMA = build_schema()


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("", MatchAll()),
        ("   ", MatchAll()),
        ("surveillance", Term("surveillance")),
        ("face recognition", And((Term("face"), Term("recognition")))),
        ("a AND b", And((Term("a"), Term("b")))),
        ("a & b", And((Term("a"), Term("b")))),
        ("a OR b", Or((Term("a"), Term("b")))),
        ("a | b", Or((Term("a"), Term("b")))),
        ("a or b", And((Term("a"), Term("or"), Term("b")))),
        ("a OR b c", Or((Term("a"), And((Term("b"), Term("c")))))),
        ("a NOT b", And((Term("a"), Not(Term("b"))))),
        ("a -b", And((Term("a"), Not(Term("b"))))),
        ("-(a OR b) c", And((Not(Or((Term("a"), Term("b")))), Term("c")))),
        ("NOT NOT a", Term("a")),
        ("a - b", And((Term("a"), Term("b")))),
        ('"face recognition"', Phrase("face recognition")),
        ('"face recognition"~5', Phrase("face recognition", 5)),
        ("surveil*", Prefix("surveil")),
        ("surveil!", Prefix("surveil")),
        ("rekognition w/10 police", Proximity(Term("rekognition"), Term("police"), 10, False)),
        ("rekognition W/10 police", Proximity(Term("rekognition"), Term("police"), 10, False)),
        ("rekognition /10 police", Proximity(Term("rekognition"), Term("police"), 10, False)),
        ("rekognition near/3 police", Proximity(Term("rekognition"), Term("police"), 3, False)),
        ("contract pre/5 amazon", Proximity(Term("contract"), Term("amazon"), 5, True)),
        (
            '(amazon OR "web services") w/3 rekogn*',
            Proximity(SpanOr((Term("amazon"), Phrase("web services"))), Prefix("rekogn"), 3, False),
        ),
        ("vendor:cellebrite", FieldValue("vendor", "cellebrite")),
        ('vendor:"Clearview AI"', FieldValue("vendor", "Clearview AI")),
        ("VENDOR:x", FieldValue("vendor", "x")),
        ("exemption:(b)(7)(C)", FieldValue("exemption", "(b)(7)(C)")),
        ("(exemption:b6)", FieldValue("exemption", "b6")),
        ("bates:FBI-0001*", FieldValue("bates", "FBI-0001", prefix=True)),
        ("title:memo", FieldValue("title", "memo")),
        ("date:2019", DateRange(dt.date(2019, 1, 1), dt.date(2019, 12, 31))),
        ("date:2019-02", DateRange(dt.date(2019, 2, 1), dt.date(2019, 2, 28))),
        ("date:2019-06-30", DateRange(dt.date(2019, 6, 30), dt.date(2019, 6, 30))),
        ("year:2020", DateRange(dt.date(2020, 1, 1), dt.date(2020, 12, 31))),
        ("date:[2018-01-01 TO 2019-06-30]", DateRange(dt.date(2018, 1, 1), dt.date(2019, 6, 30))),
        ("date:[2018 TO 2019-06]", DateRange(dt.date(2018, 1, 1), dt.date(2019, 6, 30))),
        ("date:[* TO 2019]", DateRange(None, dt.date(2019, 12, 31))),
        ("AT & T", And((Term("AT"), Term("T")))),
        ("FBI-000123", Term("FBI-000123")),
        ("policy~1", Fuzzy("policy", 1)),
        ("Surveillance~2 -memo", And((Fuzzy("Surveillance", 2), Not(Term("memo"))))),
        ("bates:[FBI-000117 TO FBI-000120]", BatesRange("fbi", 117, 120)),
        ("bates:[fbi 117 TO FBI_000120]", BatesRange("fbi", 117, 120)),
        ("bates:[FBI-000117 TO *]", BatesRange("fbi", 117, None)),
        ("bates:[* TO 000120]", BatesRange("#", None, 120)),
        ("re: budget 10:30", And((Term("re:"), Term("budget"), Term("10:30")))),
    ],
)
def test_parses(text: str, tree: object) -> None:
    assert parse_query(text) == tree


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("a AND", 2, "AND needs"),
        ("OR b", 0, "OR needs"),
        ("(a", 0, "missing )"),
        ("a)", 1, "unbalanced )"),
        ("a (b", 2, "missing )"),
        ('a "abc', 2, "unterminated phrase"),
        ("vendr:x", 0, "unknown field"),
        ("x vendor:", 9, "needs a value"),
        ("a w/5 b w/3 c", 8, "cannot be chained"),
        ("vendor:x w/5 b", 0, "joins words"),
        ("a w/5 (b AND c)", 6, "joins words"),
        ("a w/s b", 2, "unsupported connector"),
        ("a w/0 b", 2, "out of range"),
        ("a w/1000 b", 2, "out of range"),
        ("a pre/5", 2, "needs something on its right"),
        ("w/5 b", 0, "needs something on its left"),
        ("a*b", 1, "wildcards inside"),
        ("s*", 0, "prefix too short"),
        ("date:2019-13", 5, "invalid date"),
        ("date:[2019 TO 2018]", 5, "ends before"),
        ("date:[2019 2018]", 5, "[start TO end]"),
        ("year:19", 5, "four digits"),
        ('"a b"~', 5, "needs a number"),
        ("()", 0, "empty parentheses"),
        ("!foo", 0, "'!'"),
        ("NOT", 0, "NOT needs"),
        ("vendor:(a OR b)", 7, "unbalanced parenthesis"),
        ('"a b"~2 w/3 c', 0, "cannot be an operand"),
        ("\\", 0, "backslash"),
        ("a \\b", 2, "backslash"),
        (":", 0, "field name"),
        ("a :b", 2, "field name"),
        ("-- …", 0, "nothing searchable"),
        ("policy^2", 6, "boosts"),
        ("pol?cy", 3, "wildcards"),
        ("[a TO b]", 0, "ranges"),
        ("{a TO b}", 0, "exclusive"),
        ("policy~3", 7, "out of range"),
        ("policy~", 6, "edit distance"),
        ("po~1", 0, "too short"),
        ("FBI-000117~1", 0, "one word"),
        ("surv*~1", 0, "prefix"),
        ("a w/3 policy~1", 6, "fuzzy"),
        ("vendor:clearview~1", 16, "field value"),
        ("vendor:[a TO b]", 7, "no range"),
        ("bates:[FBI-1 TO EPA-2]", 16, "one prefix"),
        ("bates:[FBI-9 TO FBI-2]", 6, "ends before"),
        ("bates:[FBI TO FBI-2]", 7, "not a Bates number"),
        ("bates:[* TO *]", 6, "at least one"),
        ("bates:[FBI-1 TO", 6, "unterminated"),
    ],
)
def test_errors_have_positions(text: str, position: int, fragment: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(text)
    assert info.value.position == position
    assert fragment in info.value.message
    assert info.value.hint
    assert 0 <= info.value.position <= len(text)


def test_limits() -> None:
    with pytest.raises(QuerySyntaxError, match="too long"):
        parse_query("a" * (MAX_QUERY_LENGTH + 1))
    with pytest.raises(QuerySyntaxError, match="too many"):
        parse_query(" ".join(["w"] * (MAX_LEAVES + 1)))
    with pytest.raises(QuerySyntaxError, match="nested"):
        parse_query("(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(QuerySyntaxError, match="nested"):
        parse_query("NOT " * 40 + "a")
    parse_query("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH)


_VOCAB = [
    "a",
    "police",
    "Rekognition",
    "AND",
    "OR",
    "NOT",
    "and",
    "(",
    ")",
    '"',
    '"face recognition"',
    "~3",
    "w/3",
    "pre/2",
    "/5",
    "w/s",
    "-",
    "-x",
    "surv*",
    "s*",
    "root!",
    "!",
    "*",
    "&",
    "|",
    ":",
    "vendor:amazon",
    "vendor:",
    'vendor:"Clearview AI"',
    "exemption:(b)(6)",
    "date:2019",
    "date:2019-06",
    "date:[2018 TO 2019]",
    "date:[",
    "TO",
    "]",
    "bates:FBI-00*",
    "title:memo",
    "x:y",
    "é",
    "日本",
    "FBI-000123",
    "U.S.",
]


def _check(text: str) -> None:
    try:
        tree = parse_query(text)
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(text)
        return
    # Every parsed tree compiles for both engines.
    for scope in (None, ("c1", "c2")):
        compile_tantivy(tree, SCHEMA, collection_ids=scope)
        compile_dsl(tree, collection_ids=scope)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_random_text_never_crashes(text: str) -> None:
    _check(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='ab ()"*!~-:/[]&|0123456789wWpreTO\t', max_size=60))
def test_random_syntax_never_crashes(text: str) -> None:
    _check(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_VOCAB), max_size=25), st.sampled_from([" ", "", "  "]))
def test_random_token_soup_never_crashes(tokens: list[str], sep: str) -> None:
    _check(sep.join(tokens))
