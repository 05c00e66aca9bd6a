"""Inception Score (Salimans et al. 2016)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.special import xlogy

from tfgan_kit.errors import UserError


class MeanStd(NamedTuple):
    """A score averaged over splits or subsets; unpacks as ``mean, std``."""

    mean: float
    std: float


def inception_score(probabilities, splits: int = 10) -> MeanStd:
    """Inception Score ``exp(E_x KL(p(y|x) || p(y)))`` over `splits` splits, mean and std.

    The ``N`` rows are cut into `splits` contiguous parts (as in the authors' code); within each
    part ``p(y)`` is the mean of the rows and the score is
    ``exp(mean_i sum_y p(y|x_i) (log p(y|x_i) - log p(y)))``. Computed in float64, with
    ``0 log 0 = 0``. Higher is better; the maximum is the number of classes.

    Args:
        probabilities: class probabilities ``p(y|x)`` of generated images, shape ``[N, classes]``,
            rows non-negative and summing to 1 (e.g. softmax of an Inception network's logits).
        splits: number of splits. Defaults to `10`, the paper's protocol (on 50,000 images).

    Returns:
        `MeanStd(mean, std)` of the per-split scores (std with ``ddof=0`` as in the paper's code).

    Raises:
        ValueError: if `probabilities` is not a 2-D array of probability rows, or `splits` is not
            in ``[1, N]``.

    Reference:
        Salimans et al. "Improved Techniques for Training GANs", NeurIPS 2016, Sec. 4.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or p.shape[0] == 0:
        raise UserError(
            f"`probabilities` must have shape [N, classes]. Received: shape={p.shape}"
        )
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-4):
        raise UserError(
            "`probabilities` rows must be non-negative and sum to 1; apply a softmax to logits "
            "first."
        )
    if not 1 <= splits <= p.shape[0]:
        raise UserError(
            f"`splits` must be between 1 and the number of rows ({p.shape[0]}). "
            f"Received: splits={splits}"
        )
    n = p.shape[0]
    scores = []
    for i in range(splits):
        part = p[i * n // splits : (i + 1) * n // splits]
        marginal = part.mean(axis=0, keepdims=True)
        kl = np.sum(xlogy(part, part) - xlogy(part, marginal), axis=1)
        scores.append(np.exp(kl.mean()))
    return MeanStd(float(np.mean(scores)), float(np.std(scores)))
