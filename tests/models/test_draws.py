"""Seeded draws: one primitive keyed on (seed, the scheme's step counter, stream)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_kit.models import GAN
from tfgan_kit.models.progressive import reset_optimizer_state
from tfgan_kit.nets import mlp_discriminator, mlp_generator

KINDS = [dict(shape=(3,)), dict(shape=(), distribution="uniform"),
         dict(shape=(2,), distribution="uniform", minval=-1.0, maxval=1.0),
         dict(shape=(), distribution="categorical", num_classes=10)]


def make_gan(seed=0):
    keras.utils.set_random_seed(0)
    model = GAN(mlp_generator(4, 2, hidden=(8,), output_activation="linear"),
                mlp_discriminator(2, hidden=(8,)), latent_dim=4, seed=seed)
    model.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(1e-3))
    return model


@pytest.mark.parametrize("kind", KINDS)
def test_two_replicas_draw_the_single_replica_global_batch(kind, mirrored_strategy):
    single = make_gan().draw(5, 8, **kind).numpy()
    with mirrored_strategy.scope():
        mirrored = make_gan()
    per_replica = mirrored_strategy.run(tf.function(lambda: mirrored.draw(5, 4, **kind)))
    halves = [t.numpy() for t in mirrored_strategy.experimental_local_results(per_replica)]
    np.testing.assert_array_equal(np.concatenate(halves), single)
    assert not np.array_equal(halves[0], halves[1])


def test_distributions_have_their_ranges_and_moments():
    model = make_gan()
    normal = model.draw(0, 4000, (2,)).numpy()
    assert abs(normal.mean()) < 0.05 and abs(normal.std() - 1) < 0.05
    uniform = model.draw(1, 4000, (), "uniform", minval=-1.0, maxval=3.0).numpy()
    assert uniform.min() >= -1 and uniform.max() < 3 and abs(uniform.mean() - 1) < 0.1
    labels = model.draw(2, 4000, (), "categorical", num_classes=10).numpy()
    assert labels.dtype == np.int32 and set(np.unique(labels)) == set(range(10))
    with pytest.raises(ValueError, match=r"`stream` must be in \[0, 1024\)"):
        model.draw(1024, 4)
    with pytest.raises(ValueError, match="`distribution` must be one of"):
        model.draw(0, 4, distribution="poisson")
    with pytest.raises(ValueError, match="categorical draw needs `num_classes`"):
        model.draw(0, 4, distribution="categorical")


def test_distinct_across_streams_steps_and_seeds():
    model = make_gan()
    draws = [model.draw(stream, 6, (4,)).numpy() for stream in range(3)]
    model.train_step(tf.zeros((6, 2)))  # record() advances the step counter
    assert int(model.step_count) == 1
    draws += [model.draw(stream, 6, (4,)).numpy() for stream in range(3)]
    draws.append(make_gan(seed=1).draw(0, 6, (4,)).numpy())
    for i in range(len(draws)):
        for j in range(i):
            assert not np.allclose(draws[i], draws[j]), (i, j)


def test_identical_across_a_resume(tmp_path):
    a = make_gan(seed=3)
    a.fit(tf.zeros((24, 2)), batch_size=8, epochs=1, verbose=0)
    path = str(tmp_path / "a.weights.h5")
    a.save_weights(path)
    b = make_gan(seed=3)
    assert int(b.step_count) == 0
    b.load_weights(path)
    assert int(b.step_count) == 3
    for kind in KINDS:
        np.testing.assert_array_equal(a.draw(7, 5, **kind), b.draw(7, 5, **kind))


def test_an_optimizer_reset_reuses_no_draw():
    """Keyed on optimizer iterations, a reset would replay the first steps' noise."""
    model = make_gan()
    seen = []
    for step in range(3):
        seen.append(model.noise(4, stream=0).numpy())
        model.train_step(tf.zeros((4, 2)))
        if step == 1:
            for optimizer in model.optimizers.values():
                reset_optimizer_state(optimizer)
            assert int(model.g_optimizer.iterations) == 0
    seen.append(model.noise(4, stream=0).numpy())
    assert int(model.step_count) == 3
    for i in range(len(seen)):
        for j in range(i):
            assert not np.allclose(seen[i], seen[j]), (i, j)
