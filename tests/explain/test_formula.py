"""Formula printing, parsing and the print/parse round trip."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tfgan_kit.explain.formula import And, Leaf, Neighbors, Not, Or, parse

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-:.'", min_size=1, max_size=8)


def _formulas():
    leaves = NAMES.map(Leaf)
    return st.recursive(
        leaves | leaves.map(Neighbors),
        lambda children: st.one_of(
            children.map(Not),
            st.tuples(children, children).map(lambda t: And(*t)),
            st.tuples(children, children).map(lambda t: Or(*t)),
        ),
        max_leaves=10,
    )


def test_prints_like_the_paper():
    f = And(Or(Leaf("water"), Leaf("river")), Not(Leaf("blue")))
    assert str(f) == "((water OR river) AND (NOT blue))"
    assert f.length == 3
    assert f.leaves() == ["water", "river", "blue"]
    assert str(Neighbors(Leaf("cat"))) == "(NEIGHBORS cat)"


def test_parse_reads_printed_form():
    assert parse("((water OR river) AND (NOT blue))") == And(
        Or(Leaf("water"), Leaf("river")), Not(Leaf("blue"))
    )


def test_parse_precedence_without_parentheses():
    # NOT > AND > OR, left-associative.
    assert parse("a OR b AND NOT c") == Or(Leaf("a"), And(Leaf("b"), Not(Leaf("c"))))
    assert parse("a AND b AND c") == And(And(Leaf("a"), Leaf("b")), Leaf("c"))


@settings(max_examples=300, deadline=None)
@given(_formulas())
def test_print_parse_round_trip(formula):
    text = str(formula)
    assert parse(text) == formula
    assert str(parse(text)) == text


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("(a AND b", "end of text"),
        ("a AND", "end of text"),
        ("a b", "unexpected 'b'"),
        ("AND a", "unexpected 'AND'"),
        ("NEIGHBORS (a OR b)", "single concept"),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse(text)


@pytest.mark.parametrize("name", ["two words", "a(b", "", "AND"])
def test_bad_concept_names(name):
    with pytest.raises(ValueError, match="concept name"):
        Leaf(name)
