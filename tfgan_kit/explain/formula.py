"""Logical formulas over concepts: leaves, NOT, AND, OR and NEIGHBORS.

Mu & Andreas (NeurIPS 2020), Sec. 2: an explanation is a formula built from primitive concepts with
the connectives AND, OR and NOT; its mask is computed pixel-wise from the concepts' masks. The
NEIGHBORS operator (Sec. 4, NLI) widens a token concept to the OR of it and its nearest concepts in
a word-embedding space.

Formulas print fully parenthesised, e.g. ``((water OR river) AND (NOT blue))``, and :func:`parse`
reads that form back (it also accepts fewer parentheses, with precedence NOT > AND > OR and
left-associative binary operators).
"""

from __future__ import annotations

import dataclasses
import re

from tfgan_kit.errors import UserError

KEYWORDS = ("AND", "OR", "NOT", "NEIGHBORS")
_NAME_RE = re.compile(r"^[^\s()]+$")


def check_concept_name(name: str) -> str:
    """Returns ``name`` if it can appear in a printed formula, else raises ``ValueError``."""
    if not isinstance(name, str) or not _NAME_RE.match(name) or name in KEYWORDS:
        raise UserError(
            "A concept name must be a non-empty string without spaces or parentheses and not "
            f"one of {KEYWORDS}; replace spaces with '_'. Received: name={name!r}"
        )
    return name


class Formula:
    """Base class of formula nodes (immutable, hashable, compared structurally)."""

    @property
    def length(self) -> int:
        """Number of primitive concepts (leaves): the paper's formula length."""
        raise NotImplementedError

    def leaves(self) -> list[str]:
        """Concept names of the leaves, left to right."""
        raise NotImplementedError


@dataclasses.dataclass(frozen=True)
class Leaf(Formula):
    """A primitive concept, identified by its name."""

    name: str

    def __post_init__(self):
        check_concept_name(self.name)

    def __str__(self) -> str:
        return self.name

    @property
    def length(self) -> int:
        return 1

    def leaves(self) -> list[str]:
        return [self.name]


@dataclasses.dataclass(frozen=True)
class Not(Formula):
    """Pixel-wise complement of ``operand``: printed ``(NOT x)``."""

    operand: Formula

    def __str__(self) -> str:
        return f"(NOT {self.operand})"

    @property
    def length(self) -> int:
        return self.operand.length

    def leaves(self) -> list[str]:
        return self.operand.leaves()


@dataclasses.dataclass(frozen=True)
class Neighbors(Formula):
    """OR of a leaf concept and its k nearest concepts in an embedding space: ``(NEIGHBORS x)``."""

    operand: Leaf

    def __post_init__(self):
        if not isinstance(self.operand, Leaf):
            raise UserError(
                f"NEIGHBORS applies to a single concept (a Leaf). Received: operand={self.operand}"
            )

    def __str__(self) -> str:
        return f"(NEIGHBORS {self.operand})"

    @property
    def length(self) -> int:
        return 1

    def leaves(self) -> list[str]:
        return self.operand.leaves()


@dataclasses.dataclass(frozen=True)
class And(Formula):
    """Pixel-wise conjunction: ``(left AND right)``."""

    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"({self.left} AND {self.right})"

    @property
    def length(self) -> int:
        return self.left.length + self.right.length

    def leaves(self) -> list[str]:
        return self.left.leaves() + self.right.leaves()


@dataclasses.dataclass(frozen=True)
class Or(Formula):
    """Pixel-wise disjunction: ``(left OR right)``."""

    left: Formula
    right: Formula

    def __str__(self) -> str:
        return f"({self.left} OR {self.right})"

    @property
    def length(self) -> int:
        return self.left.length + self.right.length

    def leaves(self) -> list[str]:
        return self.left.leaves() + self.right.leaves()


_TOKEN_RE = re.compile(r"\(|\)|[^\s()]+")
_BINARY = {"OR": (1, Or), "AND": (2, And)}


class _Parser:
    """Precedence-climbing parser over the tokens of a formula string."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _TOKEN_RE.findall(text)
        self.pos = 0

    def fail(self, why: str):
        raise UserError(
            f"Cannot parse formula {self.text!r}: {why}. Expected e.g. "
            "'((water OR river) AND (NOT blue))'."
        )

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            self.fail("unexpected end of text")
        self.pos += 1
        return token

    def parse(self) -> Formula:
        if not self.tokens:
            self.fail("it is empty")
        formula = self.expression(0)
        if self.peek() is not None:
            self.fail(f"unexpected {self.peek()!r} at token {self.pos}")
        return formula

    def expression(self, min_precedence: int) -> Formula:
        left = self.unary()
        while self.peek() in _BINARY and _BINARY[self.peek()][0] > min_precedence:
            precedence, node = _BINARY[self.take()]
            left = node(left, self.expression(precedence))
        return left

    def unary(self) -> Formula:
        token = self.take()
        if token == "NOT":
            return Not(self.unary())
        if token == "NEIGHBORS":
            operand = self.unary()
            if not isinstance(operand, Leaf):
                self.fail(f"NEIGHBORS needs a single concept, got {operand}")
            return Neighbors(operand)
        if token == "(":
            inner = self.expression(0)
            if self.take() != ")":
                self.fail("missing ')'")
            return inner
        if token == ")" or token in KEYWORDS:
            self.fail(f"unexpected {token!r} at token {self.pos - 1}")
        return Leaf(token)


def parse(text: str) -> Formula:
    """Parses a printed formula back into a :class:`Formula` tree.

    Args:
        text: e.g. ``"((water OR river) AND (NOT blue))"``.

    Returns:
        The formula; ``parse(str(f)) == f`` for every formula ``f``.

    Raises:
        ValueError: if the text is not a well-formed formula.
    """
    return _Parser(text).parse()
