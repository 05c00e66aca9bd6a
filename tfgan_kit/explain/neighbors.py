"""Nearest concepts in an embedding space, for the NEIGHBORS operator.

Mu & Andreas (NeurIPS 2020), Sec. 4 (NLI): ``NEIGHBORS(C)`` is the OR of concept ``C`` and its
k = 5 nearest neighbours by cosine distance in a word-embedding matrix (GloVe in the paper), so a
unit that fires on a family of related tokens ("cat", "dog", "puppy") is explained by one
primitive. Token-level concepts fit the [N, H, W] mask layout as [sentences, 1, tokens].
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from tfgan_kit.errors import UserError

DEFAULT_NEIGHBORS_K = 5


def nearest_concepts(
    embeddings: np.ndarray,
    vocabulary: Sequence[str],
    concept_names: Sequence[str] | None = None,
    k: int = DEFAULT_NEIGHBORS_K,
) -> dict[str, tuple[str, ...]]:
    """For each concept, its ``k`` nearest other vocabulary entries by cosine distance.

    Neighbours that are not concepts are dropped afterwards (as in the official code, where the
    GloVe vocabulary is larger than the concept set), so a concept may get fewer than ``k``.

    Args:
        embeddings: float ``[V, D]``, one row per vocabulary entry.
        vocabulary: the ``V`` names of the rows.
        concept_names: names to find neighbours for and keep as neighbours. Defaults to
            `vocabulary`.
        k: neighbourhood size. Defaults to `5` (the paper's).

    Returns:
        concept name -> tuple of neighbouring concept names, nearest first. Concepts missing from
        the vocabulary get no entry.

    Raises:
        ValueError: on mismatched sizes or ``k < 1``.
    """
    embeddings = np.asarray(embeddings, dtype=np.float64)
    if embeddings.ndim != 2 or embeddings.shape[0] != len(vocabulary):
        raise UserError(
            f"`embeddings` must be [len(vocabulary)={len(vocabulary)}, D]. "
            f"Received: shape={embeddings.shape}"
        )
    if k < 1:
        raise UserError(f"`k` must be at least 1. Received: k={k}")
    names = list(vocabulary if concept_names is None else concept_names)
    keep = set(names)
    row = {word: i for i, word in enumerate(vocabulary)}
    norms = np.linalg.norm(embeddings, axis=1, keepdims=True)
    unit = embeddings / np.maximum(norms, 1e-12)
    result = {}
    for name in names:
        if name not in row:
            continue
        i = row[name]
        distance = 1.0 - unit @ unit[i]
        distance[i] = np.inf
        order = np.argsort(distance, kind="stable")[:k]
        result[name] = tuple(vocabulary[j] for j in order if vocabulary[j] in keep)
    return result
