"""Parzen-window (Gaussian KDE) log-likelihood (Goodfellow et al. 2014, after Breuleux et al.)."""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp

from tfgan_kit.errors import UserError

#: Bandwidths searched on the validation set: logspace(-1, 0, 10), as in the GAN paper's code.
DEFAULT_SIGMAS = tuple(np.logspace(-1.0, 0.0, 10))


def parzen_log_likelihoods(samples, points, sigmas, batch_size: int = 256) -> np.ndarray:
    """Per-point log-density of `points` under Gaussian KDEs on `samples`, for every sigma.

    ``log p(x) = logsumexp_i(-|x - s_i|^2 / (2 sigma^2)) - log n - d/2 log(2 pi sigma^2)``,
    computed over batches of points with a numerically stable logsumexp in float64.

    Returns:
        Array ``[len(sigmas), len(points)]``.
    """
    s = np.asarray(samples, dtype=np.float64).reshape(len(samples), -1)
    x = np.asarray(points, dtype=np.float64).reshape(len(points), -1)
    sigmas = np.asarray(sigmas, dtype=np.float64)
    n, d = s.shape
    sample_norms = np.einsum("ij,ij->i", s, s)
    result = np.empty((len(sigmas), len(x)))
    for start in range(0, len(x), batch_size):
        batch = x[start : start + batch_size]
        squared = np.einsum("ij,ij->i", batch, batch)[:, None] - 2.0 * batch @ s.T
        squared = np.maximum(squared + sample_norms[None, :], 0.0)
        for i, sigma in enumerate(sigmas):
            result[i, start : start + len(batch)] = (
                logsumexp(-squared / (2.0 * sigma**2), axis=1)
                - np.log(n)
                - 0.5 * d * np.log(2.0 * np.pi * sigma**2)
            )
    return result


def parzen_log_likelihood(
    samples, test, validation, sigmas=DEFAULT_SIGMAS, batch_size: int = 256
) -> dict[str, float]:
    """Parzen-window estimate of a generator's test log-likelihood.

    Fits an isotropic Gaussian kernel density estimate on the generated `samples` (the paper
    uses 10,000), picks the bandwidth sigma from `sigmas` that maximises the mean
    log-likelihood of the `validation` set, and reports the mean log-likelihood of the `test`
    set with its standard error (std / sqrt(n_test)).

    Warning (Theis, van den Oord, Bethge 2016, "A note on the evaluation of generative
    models", Sec. 3.2): Parzen estimates are very poor likelihood estimates in high
    dimensions, even with millions of samples, and rank models unreliably; a k-means "model"
    can beat the true distribution. Report it only to compare with the older literature.

    Args:
        samples: generated samples, ``[n, ...]`` (flattened per row).
        test: held-out real data ``[m, ...]`` whose log-likelihood is reported.
        validation: real data used only to choose sigma.
        sigmas: candidate bandwidths. Defaults to ``logspace(-1, 0, 10)``.
        batch_size: points per block of the ``[batch, n]`` distance matrix. Defaults to `256`.

    Returns:
        ``{"log_likelihood", "standard_error", "sigma"}`` (nats per example).

    Raises:
        ValueError: if the three arrays have different per-example sizes or are empty, or a
            sigma is not positive.

    Reference:
        Goodfellow et al. "Generative Adversarial Nets", NeurIPS 2014, Sec. 5 and Table 1;
        Breuleux, Bengio, Vincent. "Quickly generating representative samples from an
        RBM-derived process", Neural Computation 2011.
    """
    arrays = [np.asarray(a, dtype=np.float64) for a in (samples, test, validation)]
    widths = {a[0].size if len(a) else -1 for a in arrays}
    if len(widths) != 1 or -1 in widths:
        raise UserError(
            "`samples`, `test` and `validation` must be non-empty with the same example shape. "
            f"Received shapes: {[a.shape for a in arrays]}"
        )
    sigmas = np.asarray(sigmas, dtype=np.float64)
    if sigmas.ndim != 1 or sigmas.size == 0 or np.any(sigmas <= 0):
        raise UserError(f"`sigmas` must be positive numbers. Received: sigmas={sigmas}")
    samples, test, validation = arrays
    validation_ll = parzen_log_likelihoods(samples, validation, sigmas, batch_size).mean(axis=1)
    sigma = float(sigmas[int(np.argmax(validation_ll))])
    test_ll = parzen_log_likelihoods(samples, test, [sigma], batch_size)[0]
    return {
        "log_likelihood": float(test_ll.mean()),
        "standard_error": float(test_ll.std() / np.sqrt(len(test_ll))),
        "sigma": sigma,
    }
