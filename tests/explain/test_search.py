"""Beam search: planted formulas, a plain-numpy version of the official search loop, options."""

import numpy as np
import pytest

from tfgan_kit.explain import BeamSearch, ConceptSet, explain_unit, nearest_concepts, parse
from tfgan_kit.explain.formula import And, Leaf, Not, Or


def _blobs(rng, n, size, p, lo, hi):
    """Random rectangles: each image has one with probability p."""
    masks = np.zeros((n, size, size), bool)
    for i in np.flatnonzero(rng.random(n) < p):
        h, w = rng.integers(lo, hi + 1, size=2)
        y, x = rng.integers(0, size - h + 1), rng.integers(0, size - w + 1)
        masks[i, y : y + h, x : x + w] = True
    return masks


def _planted_concepts(seed=0, n=300, size=16, distractors=20):
    rng = np.random.default_rng(seed)
    masks = {"A": _blobs(rng, n, size, 0.8, 8, 14)}  # large
    masks["B"] = masks["A"] & _blobs(rng, n, size, 0.9, 5, 9)  # carves a hole into A
    masks["C"] = _blobs(rng, n, size, 0.3, 2, 4)  # small, elsewhere
    for i in range(distractors):
        masks[f"d{i}"] = _blobs(rng, n, size, 0.5, 2, 10)
    return masks


def _np_iou(a, b):
    union = (a | b).sum()
    return (a & b).sum() / union if union else 0.0


def _np_mask(formula, masks):
    """Independent recursive numpy evaluation of a formula."""
    if isinstance(formula, Leaf):
        return masks[formula.name]
    if isinstance(formula, Not):
        return ~_np_mask(formula.operand, masks)
    op = np.logical_and if isinstance(formula, And) else np.logical_or
    return op(_np_mask(formula.left, masks), _np_mask(formula.right, masks))


def _official_beam_search(unit, masks, beam_size, max_length, penalty):
    """The official compute_best_iou loop on boolean arrays (non-zero leaves, re-expands all)."""
    scores = {Leaf(n): _np_iou(unit, m) for n, m in masks.items()}
    nonzero = {f: v for f, v in scores.items() if v > 0}
    beam = dict(sorted(nonzero.items(), key=lambda kv: kv[1], reverse=True)[:beam_size])
    for _ in range(max_length - 1):
        new = {}
        for formula in beam:
            for name in masks:
                for op, negate in ((Or, False), (And, False), (And, True)):
                    term = Not(Leaf(name)) if negate else Leaf(name)
                    candidate = op(formula, term)
                    new[candidate] = _np_iou(unit, _np_mask(candidate, masks)) * penalty ** (
                        candidate.length - 1
                    )
        beam.update(new)
        beam = dict(sorted(beam.items(), key=lambda kv: kv[1], reverse=True)[:beam_size])
    return next(iter(beam.items()))


def test_planted_formula_is_found_with_iou_one():
    masks = _planted_concepts()
    planted = parse("((A AND (NOT B)) OR C)")
    unit = _np_mask(planted, masks)
    result = explain_unit(unit, masks)
    assert result.iou == 1.0
    np.testing.assert_array_equal(_np_mask(result.formula, masks), unit)
    assert result.formula == planted and result.length == 3
    assert result.best_single == Leaf("A") and result.best_single_iou == pytest.approx(
        _np_iou(unit, masks["A"])
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_planted_formula_still_ranks_first_with_5_percent_pixels_flipped(seed):
    masks = _planted_concepts(seed)
    planted = parse("((A AND (NOT B)) OR C)")
    clean = _np_mask(planted, masks)
    flip = np.random.default_rng(100 + seed).random(clean.shape) < 0.05
    noisy = clean ^ flip
    result = explain_unit(noisy, masks)
    np.testing.assert_array_equal(_np_mask(result.formula, masks), clean)
    assert result.iou == pytest.approx(_np_iou(noisy, clean))
    assert result.iou < 1.0


@pytest.mark.parametrize("seed, beam_size, max_length, penalty", [
    (0, 5, 3, 1.0), (1, 5, 3, 1.0), (2, 3, 4, 1.0), (3, 5, 3, 0.9), (4, 2, 2, 1.0),
])
def test_matches_official_search_on_plain_boolean_arrays(seed, beam_size, max_length, penalty):
    rng = np.random.default_rng(seed)
    masks = {f"c{i}": _blobs(rng, 60, 10, 0.6, 2, 8) for i in range(12)}
    unit = (masks["c1"] & ~masks["c2"]) | (masks["c5"] & (rng.random((60, 10, 10)) < 0.7))
    unit ^= rng.random(unit.shape) < 0.02
    expected_formula, expected_score = _official_beam_search(
        unit, masks, beam_size, max_length, penalty
    )
    result = BeamSearch(ConceptSet.from_masks(masks), beam_size, max_length, penalty).explain(unit)
    assert result.score == pytest.approx(expected_score, abs=1e-12)
    assert str(result.formula) == str(expected_formula)
    assert result.iou == pytest.approx(_np_iou(unit, _np_mask(result.formula, masks)), abs=1e-12)


def test_length_two_with_full_beam_is_exhaustive():
    rng = np.random.default_rng(5)
    masks = {f"c{i}": _blobs(rng, 40, 8, 0.7, 2, 7) for i in range(6)}
    unit = rng.random((40, 8, 8)) < 0.3
    unit &= masks["c0"] | masks["c3"]
    best = max(_np_iou(unit, m) for m in masks.values())
    for a in masks.values():
        for b in masks.values():
            best = max(best, _np_iou(unit, a | b), _np_iou(unit, a & b), _np_iou(unit, a & ~b))
    result = explain_unit(unit, masks, beam_size=len(masks), max_length=2)
    assert result.iou == pytest.approx(best, abs=1e-12)


def test_complexity_penalty_prefers_short_formulas():
    masks = _planted_concepts()
    unit = masks["A"] | masks["C"]
    assert explain_unit(unit, masks).length >= 2
    penalised = explain_unit(unit, masks, complexity_penalty=0.3)
    assert penalised.formula == Leaf("A")
    assert penalised.score == pytest.approx(_np_iou(unit, masks["A"]))


def test_max_length_one_returns_best_single_concept():
    masks = _planted_concepts()
    unit = masks["C"] | masks["d3"]
    result = explain_unit(unit, masks, max_length=1)
    singles = {name: _np_iou(unit, m) for name, m in masks.items()}
    assert result.formula == Leaf(max(singles, key=singles.get))
    assert result.formula == result.best_single


def test_long_formulas_up_to_ten():
    masks = _planted_concepts(distractors=10)
    unit = masks["d0"] | masks["d1"] | masks["d2"] | masks["d3"] | masks["d4"] | masks["d5"]
    result = explain_unit(unit, masks, max_length=10)
    assert result.iou == 1.0 and 6 <= result.length <= 10


def test_neighbors_primitive_on_token_level_concepts():
    # NLI-style: 200 sentences of 12 tokens as [N, 1, T] masks; one concept per word.
    rng = np.random.default_rng(6)
    names = [f"w{i}" for i in range(30)]
    tokens = rng.integers(0, len(names), size=(200, 1, 12))
    masks = {name: tokens == i for i, name in enumerate(names)}
    concepts = ConceptSet.from_masks(masks)
    embeddings = rng.standard_normal((len(names), 8))
    concepts.set_neighbors(nearest_concepts(embeddings, names))
    family = ["w4", *concepts.neighbors["w4"]]
    unit = np.isin(tokens, [names.index(w) for w in family])
    result = explain_unit(unit, concepts, max_length=1, use_neighbors=True)
    assert str(result.formula) == "(NEIGHBORS w4)" and result.iou == 1.0
    without = explain_unit(unit, concepts, max_length=1)
    assert without.formula.length == 1 and without.iou < 0.5
    with pytest.raises(ValueError, match="set_neighbors"):
        BeamSearch(ConceptSet.from_masks(masks), use_neighbors=True)


def test_dead_unit_has_no_formula():
    masks = _planted_concepts(distractors=2)
    result = explain_unit(np.zeros_like(masks["A"]), masks)
    assert result.formula is None and result.iou == 0.0 and str(result).startswith("NONE")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"beam_size": 0}, "beam_size"),
        ({"max_length": 11}, "max_length"),
        ({"max_length": 0}, "max_length"),
        ({"complexity_penalty": 0.0}, "complexity_penalty"),
    ],
)
def test_argument_errors(kwargs, message):
    masks = _planted_concepts(distractors=1)
    with pytest.raises(ValueError, match=message):
        explain_unit(masks["A"], masks, **kwargs)


def test_unit_shape_mismatch():
    masks = _planted_concepts(distractors=1)
    with pytest.raises(ValueError, match="unit_masks"):
        explain_unit(masks["A"][:, :8], masks)


def test_packed_unit_shape_is_checked():
    masks = _planted_concepts(distractors=1)
    search = BeamSearch(ConceptSet.from_masks(masks))
    with pytest.raises(ValueError, match="pack_unit"):
        search.explain(np.zeros(3, np.uint64))


def test_docstring_examples():
    import doctest

    from tfgan_kit.explain import bitmasks, search

    for module in (bitmasks, search):
        outcome = doctest.testmod(module)
        assert outcome.attempted > 0 and outcome.failed == 0
