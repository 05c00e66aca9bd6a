"""f-GAN divergences (Nowozin et al. 2016, Tables 1-2) against independent numpy formulas.

Checks: f, g_f and f* against the tables written here in numpy; f* is the convex conjugate of f
(a grid maximum); g_f maps into dom f*; the losses; and that training only V on the variational
bound F of two 1-D Gaussians recovers each divergence.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.losses import (
    DIVERGENCES,
    FDivergence,
    fgan_discriminator_loss,
    fgan_generator_loss,
    get_divergence,
)

LOG2 = np.log(2.0)

# Table 1 (f) and Table 2 (g_f, f*), written independently of the code under test.
F = {
    "kl": lambda u: u * np.log(u),
    "reverse_kl": lambda u: -np.log(u),
    "pearson": lambda u: (u - 1) ** 2,
    "neyman": lambda u: (1 - u) ** 2 / u,
    "squared_hellinger": lambda u: (np.sqrt(u) - 1) ** 2,
    "jensen_shannon": lambda u: -(u + 1) * np.log((1 + u) / 2) + u * np.log(u),
    "gan": lambda u: u * np.log(u) - (u + 1) * np.log(u + 1),
}
G = {
    "kl": lambda v: v,
    "reverse_kl": lambda v: -np.exp(-v),
    "pearson": lambda v: v,
    "neyman": lambda v: 1 - np.exp(-v),
    "squared_hellinger": lambda v: 1 - np.exp(-v),
    "jensen_shannon": lambda v: LOG2 - np.log(1 + np.exp(-v)),
    "gan": lambda v: -np.log(1 + np.exp(-v)),
}
F_STAR = {
    "kl": lambda t: np.exp(t - 1),
    "reverse_kl": lambda t: -1 - np.log(-t),
    "pearson": lambda t: t**2 / 4 + t,
    "neyman": lambda t: 2 - 2 * np.sqrt(1 - t),
    "squared_hellinger": lambda t: t / (1 - t),
    "jensen_shannon": lambda t: -np.log(2 - np.exp(t)),
    "gan": lambda t: -np.log(1 - np.exp(t)),
}
DOMAIN_HIGH = {"kl": np.inf, "reverse_kl": 0.0, "pearson": np.inf, "neyman": 1.0,
               "squared_hellinger": 1.0, "jensen_shannon": LOG2, "gan": 0.0}
# Points t in dom f* whose maximiser u*(t) = (f')^-1(t) lies well inside the grid below.
T_POINTS = {
    "kl": [-3.0, -1.0, 0.0, 0.5, 1.0, 2.0],
    "reverse_kl": [-5.0, -2.0, -1.0, -0.5, -0.25],
    "pearson": [-1.5, -1.0, 0.0, 1.0, 3.0],
    "neyman": [-3.0, -1.0, 0.0, 0.5, 0.9],
    "squared_hellinger": [-3.0, -1.0, 0.0, 0.3, 0.6],
    "jensen_shannon": [-3.0, -1.0, 0.0, 0.3, 0.6],
    "gan": [-4.0, -2.0, -1.0, -0.5, -0.2],
}
NAMES = sorted(F)

# P = N(0, 1) (data), Q = N(1, 1) (model): closed forms of D_f(P || Q) = E_Q[f(p / q)].
MU = 1.0
X = np.arange(-10.0, 11.0, 0.005)
P = np.exp(-(X**2) / 2) / np.sqrt(2 * np.pi)
Q = np.exp(-((X - MU) ** 2) / 2) / np.sqrt(2 * np.pi)
DX = X[1] - X[0]
_JS2 = np.sum(P * np.log(2 * P / (P + Q)) + Q * np.log(2 * Q / (P + Q))) * DX  # 2 JSD
CLOSED_FORM = {
    "kl": MU**2 / 2,
    "reverse_kl": MU**2 / 2,
    "pearson": np.exp(MU**2) - 1,
    "neyman": np.exp(MU**2) - 1,
    "squared_hellinger": 2 * (1 - np.exp(-(MU**2) / 8)),
    "jensen_shannon": _JS2,
    "gan": _JS2 - np.log(4.0),
}


def test_table_is_complete():
    assert sorted(DIVERGENCES) == NAMES
    for name, divergence in DIVERGENCES.items():
        assert isinstance(divergence, FDivergence) and divergence.name == name
        assert divergence.conjugate_domain[1] == pytest.approx(DOMAIN_HIGH[name])


@pytest.mark.parametrize("name", NAMES)
def test_f_g_and_conjugate_match_the_tables(name):
    divergence = DIVERGENCES[name]
    u = np.linspace(0.05, 5.0, 101)
    np.testing.assert_allclose(divergence.f(u).numpy(), F[name](u), rtol=1e-10, atol=1e-12)
    v = np.linspace(-6.0, 6.0, 101)
    np.testing.assert_allclose(divergence.activation(v).numpy(), G[name](v), rtol=1e-10, atol=1e-12)
    t = np.array(T_POINTS[name])
    np.testing.assert_allclose(divergence.conjugate(t).numpy(), F_STAR[name](t), rtol=1e-10)
    # The stable composition equals the literal one.
    np.testing.assert_allclose(
        divergence.conjugate_of_activation(v).numpy(), F_STAR[name](G[name](v)), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_f_at_one_and_f_prime_at_one(name):
    divergence = DIVERGENCES[name]
    # f(1) = 0, except the paper's "gan" row: f(1) = -log 4, so D_f = 2 JSD - log 4.
    expected = -np.log(4.0) if name == "gan" else 0.0
    assert float(divergence.f(np.float64(1.0))) == pytest.approx(expected, abs=1e-15)
    h = 1e-6
    slope = (F[name](1 + h) - F[name](1 - h)) / (2 * h)
    assert divergence.f_prime_at_one == pytest.approx(slope, abs=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_conjugate_is_the_fenchel_conjugate_of_f(name):
    """f*(t) = max_u (u t - f(u)) on a fine grid of u > 0 (spacing 1e-5)."""
    u = np.linspace(1e-3, 12.0, 1_200_000)
    f_u = F[name](u)
    t = np.array(T_POINTS[name])
    expected = np.array([np.max(u * ti - f_u) for ti in t])
    # The grid maximum undershoots by at most max f'' * du^2 / 8, far below 1e-6 here.
    np.testing.assert_allclose(DIVERGENCES[name].conjugate(t).numpy(), expected, atol=1e-6)


@pytest.mark.parametrize("name", NAMES)
def test_activation_maps_reals_into_the_conjugate_domain(name):
    divergence = DIVERGENCES[name]
    v = np.random.default_rng(0).normal(0.0, 4.0, size=2000)
    out = divergence.activation(v).numpy()
    low, high = divergence.conjugate_domain
    assert np.all(out > low) and np.all(out < high)
    assert np.all(np.isfinite(divergence.conjugate(out).numpy()))
    # The stable form stays finite (float32) where exp(-v) or the composition would not.
    extreme = np.array([-80.0, -30.0, 0.0, 30.0, 80.0], np.float32)
    if name not in ("kl", "squared_hellinger"):  # exp(v - 1) and exp(v) - 1 overflow by nature
        assert np.all(np.isfinite(divergence.conjugate_of_activation(extreme).numpy()))


@pytest.mark.parametrize("name", NAMES)
def test_losses_match_numpy(name):
    rng = np.random.default_rng(5)
    real = rng.normal(0.0, 2.0, size=(32, 1))
    fake = rng.normal(0.0, 2.0, size=(32, 1))
    g, f_star = G[name], F_STAR[name]
    bound = np.mean(g(real)) - np.mean(f_star(g(fake)))
    for divergence in (name, DIVERGENCES[name]):
        got = float(fgan_discriminator_loss(real, fake, divergence))
        assert got == pytest.approx(-bound, rel=1e-4, abs=1e-5)
        practical = float(fgan_generator_loss(fake, divergence))
        assert practical == pytest.approx(-np.mean(g(fake)), rel=1e-4, abs=1e-5)
        saddle = float(fgan_generator_loss(fake, divergence, practical=False))
        assert saddle == pytest.approx(-np.mean(f_star(g(fake))), rel=1e-4, abs=1e-5)


def test_gan_row_is_the_original_gan():
    """For "gan", -F is the minimax D loss and the practical G loss the non-saturating one."""
    from tfgan_kit.losses import minimax_discriminator_loss, non_saturating_generator_loss

    rng = np.random.default_rng(1)
    real, fake = rng.normal(size=(16, 1)), rng.normal(size=(16, 1))
    assert float(fgan_discriminator_loss(real, fake, "gan")) == pytest.approx(
        float(minimax_discriminator_loss(real, fake)), rel=1e-5)
    assert float(fgan_generator_loss(fake, "gan")) == pytest.approx(
        float(non_saturating_generator_loss(fake)), rel=1e-5)


def test_unknown_divergence():
    with pytest.raises(ValueError, match="Unknown f-divergence 'tv'. Valid names: kl, reverse_kl"):
        fgan_discriminator_loss([0.0], [0.0], "tv")
    with pytest.raises(TypeError, match="must be a name or an FDivergence"):
        get_divergence(3)
    assert get_divergence("gan") is DIVERGENCES["gan"]


@pytest.mark.parametrize("name", NAMES)
def test_closed_forms_are_the_tables_divergences(name):
    """The closed forms used below equal E_Q[f(p / q)] for the f of Table 1 (numeric integral)."""
    integral = np.sum(Q * F[name](P / Q)) * DX
    assert integral == pytest.approx(CLOSED_FORM[name], rel=1e-6)


def _train_variational_bound(divergence, steps=2000, learning_rate=0.01):
    """Maximise F(V) = E_P[g_f(V)] - E_Q[f*(g_f(V))] over a cubic V(x) with Adam.

    Exact expectations on a quadrature grid (no sampling noise): E_P[h] = sum_i p(x_i) h(x_i) dx.
    """
    x = np.arange(-9.0, 10.0, 0.01)
    weights_p = tf.constant(np.exp(-(x**2) / 2) / np.sqrt(2 * np.pi) * 0.01, tf.float32)
    weights_q = tf.constant(np.exp(-((x - MU) ** 2) / 2) / np.sqrt(2 * np.pi) * 0.01, tf.float32)
    features = tf.constant(np.stack([np.ones_like(x), x, x**2, x**3], axis=1), tf.float32)
    coefficients = tf.Variable(tf.zeros([4]))
    optimizer = keras.optimizers.Adam(learning_rate)

    def bound():
        v = tf.linalg.matvec(features, coefficients)
        return tf.reduce_sum(weights_p * divergence.activation(v)) - tf.reduce_sum(
            weights_q * divergence.conjugate_of_activation(v))

    @tf.function
    def train():
        for _ in tf.range(steps):
            with tf.GradientTape() as tape:
                loss = -bound()
            optimizer.apply_gradients([(tape.gradient(loss, coefficients), coefficients)])
        return bound()

    return float(train())


@pytest.mark.parametrize("name", NAMES)
def test_training_v_estimates_the_divergence(name):
    estimate = _train_variational_bound(DIVERGENCES[name])
    assert estimate == pytest.approx(CLOSED_FORM[name], rel=0.10)
    # A lower bound (up to float32 round-off of the quadrature).
    assert estimate <= CLOSED_FORM[name] + 1e-4
