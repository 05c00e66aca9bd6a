"""f-GAN: variational divergence minimisation (Nowozin et al. 2016), Tables 1-2 and Sec. 3.

For a convex generator function ``f`` (``f(1) = 0``), ``D_f(P || Q) = E_Q[f(p(x) / q(x))]``
(P: data, Q: model). Its variational lower bound (Sec. 3) is

    ``F(theta, omega) = E_P[g_f(V(x))] - E_Q[f*(g_f(V(x)))]  <=  D_f(P || Q)``

where ``V`` is the unconstrained discriminator output, ``g_f`` the output activation mapping it
into the domain of the convex conjugate ``f*`` (Table 2). The discriminator maximises F, the
generator minimises it.

Each entry of :data:`DIVERGENCES` is an :class:`FDivergence` with the table's ``f``, ``g_f`` and
``f*`` as TensorFlow functions. ``conjugate_of_activation(v) = f*(g_f(v))`` is written in a form
that stays finite where the literal composition under- or overflows (e.g. for "gan" it is
``softplus(v)``, while ``-log(1 - exp(-softplus(-v)))`` rounds to infinity for large ``v``).

Conventions, identified by ``f`` (Table 1; ``int`` integrates over x): "kl" is ``u log u``
(``KL(P || Q)``); "reverse_kl" is ``-log u`` (``KL(Q || P)``); "pearson" is ``(u - 1)^2``
(``int (p - q)^2 / q``); "neyman" is ``(1 - u)^2 / u`` (``int (q - p)^2 / p``);
"squared_hellinger" is ``(sqrt(u) - 1)^2`` (``int (sqrt(p) - sqrt(q))^2``, no factor 1/2);
"jensen_shannon" is ``u log u - (u + 1) log((1 + u) / 2)``, whose ``D_f`` is twice
``JSD = (KL(P || M) + KL(Q || M)) / 2`` with ``M = (P + Q) / 2``; "gan" is
``u log u - (u + 1) log(u + 1)``, whose ``D_f`` is ``2 JSD - log 4``.

Reference:
    Nowozin et al., "f-GAN: Training Generative Neural Samplers using Variational Divergence
    Minimization", NeurIPS 2016, Tables 1-2, Sec. 3 and Sec. 3.2
    (https://arxiv.org/abs/1606.00709).
"""

import dataclasses
import math
from typing import Callable, Union

import tensorflow as tf

from tfgan_kit.errors import UserError

_LOG2 = math.log(2.0)


def _float(x) -> tf.Tensor:
    x = tf.convert_to_tensor(x)
    return x if x.dtype.is_floating else tf.cast(x, tf.float32)


@dataclasses.dataclass(frozen=True)
class FDivergence:
    """One row of Nowozin et al. 2016, Tables 1-2.

    Attributes:
        name: key in :data:`DIVERGENCES`.
        f: generator function ``f(u)``, convex on ``u > 0`` (Table 1); ``f(1) = 0`` except for
            "gan", whose ``f(1) = -log 4`` is the offset of its divergence ``2 JSD - log 4``.
        activation: output activation ``g_f(v)``, from the reals into ``dom f*`` (Table 2).
        conjugate: Fenchel conjugate ``f*(t) = sup_u (u t - f(u))`` on ``dom f*`` (Table 2).
        conjugate_of_activation: ``f*(g_f(v))`` in a numerically stable closed form.
        conjugate_domain: ``dom f*`` as an open interval ``(low, high)`` (Table 2).
        f_prime_at_one: ``f'(1)``, the value of ``g_f(V)`` where P and Q are indistinguishable
            (Table 2, last column).
    """

    name: str
    f: Callable[[tf.Tensor], tf.Tensor] = dataclasses.field(repr=False)
    activation: Callable[[tf.Tensor], tf.Tensor] = dataclasses.field(repr=False)
    conjugate: Callable[[tf.Tensor], tf.Tensor] = dataclasses.field(repr=False)
    conjugate_of_activation: Callable[[tf.Tensor], tf.Tensor] = dataclasses.field(repr=False)
    conjugate_domain: tuple
    f_prime_at_one: float


def _make(name, f, activation, conjugate, conjugate_of_activation, domain, f_prime_at_one):
    def wrap(fn):
        return lambda x: fn(_float(x))

    return FDivergence(
        name=name,
        f=wrap(f),
        activation=wrap(activation),
        conjugate=wrap(conjugate),
        conjugate_of_activation=wrap(conjugate_of_activation),
        conjugate_domain=domain,
        f_prime_at_one=f_prime_at_one,
    )


_INF = math.inf

DIVERGENCES = {
    divergence.name: divergence
    for divergence in (
        _make(
            "kl",
            f=lambda u: tf.math.xlogy(u, u),
            activation=lambda v: v,
            conjugate=lambda t: tf.exp(t - 1.0),
            conjugate_of_activation=lambda v: tf.exp(v - 1.0),
            domain=(-_INF, _INF),
            f_prime_at_one=1.0,
        ),
        _make(
            "reverse_kl",
            f=lambda u: -tf.math.log(u),
            activation=lambda v: -tf.exp(-v),
            conjugate=lambda t: -1.0 - tf.math.log(-t),
            conjugate_of_activation=lambda v: v - 1.0,  # -1 - log(exp(-v))
            domain=(-_INF, 0.0),
            f_prime_at_one=-1.0,
        ),
        _make(
            "pearson",
            f=lambda u: tf.square(u - 1.0),
            activation=lambda v: v,
            conjugate=lambda t: 0.25 * tf.square(t) + t,
            conjugate_of_activation=lambda v: 0.25 * tf.square(v) + v,
            domain=(-_INF, _INF),
            f_prime_at_one=0.0,
        ),
        _make(
            "neyman",
            f=lambda u: tf.square(1.0 - u) / u,
            activation=lambda v: -tf.math.expm1(-v),  # 1 - exp(-v)
            conjugate=lambda t: 2.0 - 2.0 * tf.sqrt(1.0 - t),
            conjugate_of_activation=lambda v: 2.0 - 2.0 * tf.exp(-0.5 * v),
            domain=(-_INF, 1.0),
            f_prime_at_one=0.0,
        ),
        _make(
            "squared_hellinger",
            f=lambda u: tf.square(tf.sqrt(u) - 1.0),
            activation=lambda v: -tf.math.expm1(-v),  # 1 - exp(-v)
            conjugate=lambda t: t / (1.0 - t),
            conjugate_of_activation=lambda v: tf.math.expm1(v),  # (1 - e^-v) / e^-v
            domain=(-_INF, 1.0),
            f_prime_at_one=0.0,
        ),
        _make(
            "jensen_shannon",
            f=lambda u: tf.math.xlogy(u, u) - (u + 1.0) * tf.math.log((1.0 + u) / 2.0),
            activation=lambda v: _LOG2 - tf.nn.softplus(-v),  # log 2 - log(1 + exp(-v))
            conjugate=lambda t: -tf.math.log(2.0 - tf.exp(t)),
            # exp(g_f(v)) = 2 sigmoid(v): -log(2 - 2 sigmoid(v)) = softplus(v) - log 2.
            conjugate_of_activation=lambda v: tf.nn.softplus(v) - _LOG2,
            domain=(-_INF, _LOG2),
            f_prime_at_one=0.0,
        ),
        _make(
            "gan",
            f=lambda u: tf.math.xlogy(u, u) - tf.math.xlogy(u + 1.0, u + 1.0),
            activation=lambda v: -tf.nn.softplus(-v),  # -log(1 + exp(-v)) = log sigmoid(v)
            conjugate=lambda t: -tf.math.log(-tf.math.expm1(t)),  # -log(1 - exp(t))
            # exp(g_f(v)) = sigmoid(v): -log(1 - sigmoid(v)) = softplus(v).
            conjugate_of_activation=lambda v: tf.nn.softplus(v),
            domain=(-_INF, 0.0),
            f_prime_at_one=-_LOG2,
        ),
    )
}


def get_divergence(divergence: Union[str, FDivergence]) -> FDivergence:
    """The :class:`FDivergence` of a row name of Nowozin et al. 2016, Table 2 (or itself).

    Args:
        divergence: a key of :data:`DIVERGENCES` or an :class:`FDivergence`.

    Returns:
        The :class:`FDivergence`.

    Raises:
        ValueError: for an unknown name (the message lists the valid ones).
        TypeError: for anything that is neither a string nor an :class:`FDivergence`.
    """
    if isinstance(divergence, FDivergence):
        return divergence
    if isinstance(divergence, str):
        if divergence not in DIVERGENCES:
            raise UserError(
                f"Unknown f-divergence {divergence!r}. Valid names: {', '.join(DIVERGENCES)}."
            )
        return DIVERGENCES[divergence]
    raise TypeError(
        f"`divergence` must be a name or an FDivergence. Received: {type(divergence).__name__}"
    )


def fgan_discriminator_loss(
    discriminator_real_outputs, discriminator_gen_outputs, divergence
) -> tf.Tensor:
    """f-GAN discriminator loss ``-F`` (Nowozin et al. 2016, Sec. 3 and Table 2).

    ``-F = -(E_P[g_f(V(x))] - E_Q[f*(g_f(V(G(z))))])``.

    The discriminator maximises the variational bound F; this is its negative, so ``-loss`` is
    the current estimate of ``D_f(P || Q)`` (a lower bound).

    Args:
        discriminator_real_outputs: raw outputs ``V`` on real data, any shape.
        discriminator_gen_outputs: raw outputs ``V`` on generated data, any shape.
        divergence: a name in :data:`DIVERGENCES` or an :class:`FDivergence`.

    Returns:
        Scalar float32.
    """
    divergence = get_divergence(divergence)
    real = tf.cast(tf.convert_to_tensor(discriminator_real_outputs), tf.float32)
    fake = tf.cast(tf.convert_to_tensor(discriminator_gen_outputs), tf.float32)
    return tf.reduce_mean(divergence.conjugate_of_activation(fake)) - tf.reduce_mean(
        divergence.activation(real)
    )


def fgan_generator_loss(
    discriminator_gen_outputs, divergence, practical: bool = True
) -> tf.Tensor:
    """f-GAN generator loss (Nowozin et al. 2016, Sec. 3 saddle point; Sec. 3.2 practical form).

    Saddle point (``practical=False``): G minimises F, whose only term depending on G is
    ``-E_Q[f*(g_f(V(G(z))))]``. Practical (``practical=True``, Sec. 3.2): G maximises
    ``E_Q[g_f(V(G(z)))]`` instead, i.e. minimises ``-E_Q[g_f(V(G(z)))]``; for "gan" this is the
    non-saturating loss of Goodfellow et al. 2014.

    Args:
        discriminator_gen_outputs: raw outputs ``V`` on generated data, any shape.
        divergence: a name in :data:`DIVERGENCES` or an :class:`FDivergence`.
        practical: use the Sec. 3.2 objective. Defaults to `True`.

    Returns:
        Scalar float32.
    """
    divergence = get_divergence(divergence)
    fake = tf.cast(tf.convert_to_tensor(discriminator_gen_outputs), tf.float32)
    if practical:
        return -tf.reduce_mean(divergence.activation(fake))
    return -tf.reduce_mean(divergence.conjugate_of_activation(fake))
