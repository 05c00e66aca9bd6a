"""Beam search for the logical formula of concepts that best matches a unit (max IoU).

Mu & Andreas, "Compositional Explanations of Neurons", NeurIPS 2020, Sec. 2 (Eq. 2 and the search
paragraph): start from the ``beam_size`` primitive concepts with the highest IoU; at each of
``max_length - 1`` steps extend every beam formula F with every concept C as ``F OR C``,
``F AND C`` and ``F AND NOT C``; keep the best ``beam_size`` of old and new formulas. The official
code (``jayelm/compexp``, ``compute_best_iou``) optionally scales a formula's IoU by
``penalty ** (length - 1)`` to prefer short formulas.

Speed (same result as evaluating every candidate mask): for a beam formula F, unit mask U and all
concepts C at once, only two popcounts per concept are needed, ``|F ∧ C|`` (over all words,
cached per formula since many units share beam formulas) and ``|F ∧ U ∧ C|`` (only over the words
where U is non-zero); the three candidates' intersections and sizes follow by inclusion-exclusion:

    OR:      |(F∨C)∧U| = |F∧U| + |C∧U| - |F∧C∧U|,   |F∨C| = |F| + |C| - |F∧C|
    AND:     |(F∧C)∧U| = |F∧C∧U|,                     |F∧C| = |F∧C|
    AND NOT: |(F∧¬C)∧U| = |F∧U| - |F∧C∧U|,           |F∧¬C| = |F| - |F∧C|
"""

from __future__ import annotations

import dataclasses
from typing import Mapping

import numpy as np

from tfgan_kit.errors import UserError
from tfgan_kit.explain import bitmasks
from tfgan_kit.explain.concepts import ConceptSet
from tfgan_kit.explain.formula import And, Formula, Leaf, Neighbors, Not, Or

MAX_FORMULA_LENGTH = 10
_CHUNK_WORDS = 2048
_CACHE_LIMIT = 4096


@dataclasses.dataclass(frozen=True)
class Explanation:
    """The best formula for one unit.

    When no concept overlaps the unit at all (e.g. a dead unit with an empty mask), ``formula`` and
    ``best_single`` are ``None`` and both IoUs are 0, as the official code's ``NONE`` label.

    Attributes:
        formula: the best formula found (``str(formula)`` prints it).
        iou: its dataset-level IoU with the unit's masks.
        score: the ranking score, ``iou * complexity_penalty ** (length - 1)``.
        best_single: the best primitive concept (length 1).
        best_single_iou: its IoU.
    """

    formula: Formula | None
    iou: float
    score: float
    best_single: Formula | None
    best_single_iou: float

    @property
    def length(self) -> int:
        """Number of primitive concepts in :attr:`formula` (0 when there is none)."""
        return 0 if self.formula is None else self.formula.length

    def __str__(self) -> str:
        return f"{'NONE' if self.formula is None else self.formula} (IoU {self.iou:.4f})"


@dataclasses.dataclass
class _Entry:
    formula: Formula
    mask: np.ndarray
    inter: int
    count: int
    iou: float
    score: float
    expanded: bool = False


def _ious(inter: np.ndarray, count: np.ndarray, unit_count: int) -> np.ndarray:
    union = unit_count + count - inter
    return np.divide(inter, union, out=np.zeros(inter.shape, np.float64), where=union > 0)


class BeamSearch:
    """Compositional-explanation beam search over a fixed :class:`ConceptSet`.

    Build it once and call :meth:`explain` per unit: per-formula concept co-occurrence counts are
    cached across units.

    Args:
        concepts: the concept masks.
        beam_size: formulas kept per step. Defaults to `5` (the paper's).
        max_length: maximum number of primitives per formula, 1..10. Defaults to `3` (the paper's).
        complexity_penalty: factor in (0, 1]; a formula's score is
            ``iou * complexity_penalty ** (length - 1)``. Defaults to `1.0` (no penalty, as the
            official settings). Length counts primitives (the official code also counts NOTs).
        use_neighbors: also start from ``NEIGHBORS(C)`` primitives (needs
            ``concepts.set_neighbors``), as the official NLI search does. Defaults to `False`.

    Raises:
        ValueError: on out-of-range arguments.
    """

    def __init__(
        self,
        concepts: ConceptSet,
        beam_size: int = 5,
        max_length: int = 3,
        complexity_penalty: float = 1.0,
        use_neighbors: bool = False,
    ):
        if beam_size < 1:
            raise UserError(f"`beam_size` must be at least 1. Received: beam_size={beam_size}")
        if not 1 <= max_length <= MAX_FORMULA_LENGTH:
            raise UserError(
                f"`max_length` must be in [1, {MAX_FORMULA_LENGTH}]. "
                f"Received: max_length={max_length}"
            )
        if not 0.0 < complexity_penalty <= 1.0:
            raise UserError(
                "`complexity_penalty` must be in (0, 1]; 1 means no penalty. "
                f"Received: complexity_penalty={complexity_penalty}"
            )
        if use_neighbors and not concepts.neighbors:
            raise UserError(
                "`use_neighbors=True` needs neighbours: call `concepts.set_neighbors("
                "nearest_concepts(embeddings, vocabulary))` first."
            )
        self.concepts = concepts
        self.beam_size = int(beam_size)
        self.max_length = int(max_length)
        self.complexity_penalty = float(complexity_penalty)
        self._primitives = [Leaf(name) for name in concepts.names]
        self._primitive_masks = concepts.packed
        if use_neighbors:
            extra = [Neighbors(Leaf(name)) for name in concepts.names if name in concepts.neighbors]
            self._primitives += extra
            self._primitive_masks = np.concatenate(
                [concepts.packed, np.stack([concepts.evaluate(f) for f in extra])]
            )
        self._primitive_counts = bitmasks.popcount(self._primitive_masks)
        self._cooccurrence: dict[Formula, np.ndarray] = {}
        self._buffer = np.empty((len(concepts), _CHUNK_WORDS), np.uint64)

    def explain(self, unit_masks: np.ndarray) -> Explanation:
        """Best formula for one unit.

        Args:
            unit_masks: boolean ``[N, H, W]`` (the concepts' shape), or the packed ``uint64``
                words of such a mask (from ``concepts.pack_unit``).

        Returns:
            An :class:`Explanation`.
        """
        if unit_masks.dtype == np.uint64:
            unit = unit_masks
            if unit.shape != self.concepts.packed.shape[1:]:
                raise UserError(
                    f"Packed `unit_masks` must have shape {self.concepts.packed.shape[1:]} (from "
                    f"`concepts.pack_unit`). Received: shape={unit.shape}"
                )
        else:
            unit = self.concepts.pack_unit(unit_masks)
        unit_count = int(bitmasks.popcount(unit))
        words = np.flatnonzero(unit)
        unit_words = unit[words]
        concepts_on_unit = np.ascontiguousarray(self.concepts.packed[:, words])
        concept_inter = bitmasks.popcount(concepts_on_unit & unit_words)

        primitive_inter = bitmasks.popcount(self._primitive_masks[:, words] & unit_words)
        primitive_iou = _ious(primitive_inter, self._primitive_counts, unit_count)
        if not primitive_iou.any():
            return Explanation(None, 0.0, 0.0, None, 0.0)
        order = np.argsort(-primitive_iou, kind="stable")[: self.beam_size]
        order = order[primitive_iou[order] > 0]  # the official beam starts from non-zero IoUs
        beam = [
            _Entry(
                self._primitives[i], self._primitive_masks[i], int(primitive_inter[i]),
                int(self._primitive_counts[i]), float(primitive_iou[i]), float(primitive_iou[i]),
            )
            for i in order
        ]
        best_single = beam[0]

        for _ in range(self.max_length - 1):
            parents, scores, new = [], [e.score for e in beam], []
            for entry in beam:
                if entry.expanded:
                    continue
                entry.expanded = True
                both = self._cooccurrence_counts(entry)
                both_on_unit = bitmasks.popcount(
                    concepts_on_unit & (entry.mask[words] & unit_words)
                )
                inter = np.stack(
                    [
                        entry.inter + concept_inter - both_on_unit,
                        both_on_unit,
                        entry.inter - both_on_unit,
                    ],
                    axis=1,
                )
                count = np.stack(
                    [entry.count + self.concepts.counts - both, both, entry.count - both], axis=1
                )
                iou = _ious(inter, count, unit_count)
                parents.append(entry)
                new.append((inter, count, iou))
                scores.extend((iou * self.complexity_penalty ** entry.formula.length).ravel())
            if not parents:
                break
            beam = self._select(beam, parents, new, np.asarray(scores))
        best = beam[0]
        return Explanation(
            best.formula, best.iou, best.score, best_single.formula, best_single.iou
        )

    def _select(self, beam, parents, new, scores) -> list[_Entry]:
        """Top ``beam_size`` of old beam + candidates (stable sort: earlier wins ties)."""
        per_parent = len(self.concepts) * 3
        chosen, seen = [], set()
        for flat in np.argsort(-scores, kind="stable"):
            if flat < len(beam):
                entry = beam[flat]
            else:
                p, rest = divmod(int(flat) - len(beam), per_parent)
                k, op = divmod(rest, 3)
                entry = self._candidate(parents[p], k, op, new[p], scores[flat])
            if entry.formula in seen:
                continue
            seen.add(entry.formula)
            chosen.append(entry)
            if len(chosen) == self.beam_size:
                break
        return chosen

    def _candidate(self, parent: _Entry, k: int, op: int, new, score) -> _Entry:
        inter, count, iou = new
        leaf = Leaf(self.concepts.names[k])
        concept = self.concepts.packed[k]
        if op == 0:
            formula, mask = Or(parent.formula, leaf), parent.mask | concept
        elif op == 1:
            formula, mask = And(parent.formula, leaf), parent.mask & concept
        else:
            formula, mask = And(parent.formula, Not(leaf)), parent.mask & ~concept
        return _Entry(
            formula, mask, int(inter[k, op]), int(count[k, op]), float(iou[k, op]), float(score)
        )

    def _cooccurrence_counts(self, entry: _Entry) -> np.ndarray:
        """``|F ∧ C|`` for every concept C (cached per formula)."""
        cached = self._cooccurrence.get(entry.formula)
        if cached is not None:
            return cached
        packed = self.concepts.packed
        counts = np.zeros(len(self.concepts), np.int64)
        for start in range(0, packed.shape[1], _CHUNK_WORDS):
            block = packed[:, start : start + _CHUNK_WORDS]
            out = self._buffer[:, : block.shape[1]]
            np.bitwise_and(block, entry.mask[start : start + _CHUNK_WORDS], out=out)
            counts += np.bitwise_count(out).sum(axis=1, dtype=np.int64)
        if len(self._cooccurrence) >= _CACHE_LIMIT:
            self._cooccurrence.clear()
        self._cooccurrence[entry.formula] = counts
        return counts


def explain_unit(
    unit_masks: np.ndarray,
    concept_masks: Mapping[str, np.ndarray] | ConceptSet,
    beam_size: int = 5,
    max_length: int = 3,
    complexity_penalty: float = 1.0,
    use_neighbors: bool = False,
) -> Explanation:
    """Explains one unit with the best logical formula of concepts (Mu & Andreas 2020, Eq. 2).

    Args:
        unit_masks: boolean ``[N, H, W]``: where the unit fires (above its threshold).
        concept_masks: concept name -> boolean ``[N, H, W]`` (or ``[N]`` image-level labels), or a
            :class:`ConceptSet`.
        beam_size: beam width. Defaults to `5`.
        max_length: maximum number of primitives, 1..10. Defaults to `3`.
        complexity_penalty: score = ``iou * penalty ** (length - 1)``. Defaults to `1.0`.
        use_neighbors: also start from ``NEIGHBORS(C)`` primitives; needs a :class:`ConceptSet`
            with ``set_neighbors`` called. Defaults to `False`.

    Returns:
        An :class:`Explanation`: ``.formula`` (prints like ``((A AND (NOT B)) OR C)``), ``.iou``,
        ``.best_single`` and ``.best_single_iou``.

    Raises:
        ValueError: on shape mismatches or out-of-range arguments.

    >>> a = np.zeros((1, 2, 2), bool); a[0, 0] = True
    >>> b = np.zeros((1, 2, 2), bool); b[0, :, 0] = True
    >>> str(explain_unit(a & ~b, {"a": a, "b": b}).formula)
    '(a AND (NOT b))'
    """
    concepts = concept_masks
    if not isinstance(concepts, ConceptSet):
        concepts = ConceptSet.from_masks(concept_masks)
    search = BeamSearch(concepts, beam_size, max_length, complexity_penalty, use_neighbors)
    return search.explain(np.asarray(unit_masks, dtype=bool))
