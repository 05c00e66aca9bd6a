"""Linear learning-rate decay (CycleGAN's rule): factors, the callback in a run, resume, errors."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import gan_ring
from tfgan_kit.models import GAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.training import train_and_evaluate
from tfgan_kit.training.schedules import LinearLearningRateDecay, linear_decay_factor


def tiny_ring(epochs, decay_start_epoch):
    config = gan_ring.get_config()
    config.train.update(epochs=epochs, steps_per_epoch=2, batch_size=32, num_samples=50,
                        jit_compile=False, verbose="0", decay_start_epoch=decay_start_epoch)
    config.model.g_hidden = config.model.d_hidden = (8,)
    return config


def test_factor_is_flat_then_linear_to_zero_one_epoch_after_the_run():
    # Zhu et al. 2017: n epochs at the base rate, then 1 - max(0, e - n) / (n_decay + 1) for
    # 1-based epoch e; here n = 3 of 6 epochs, so the 0-based epochs 3, 4, 5 get 3/4, 2/4, 1/4.
    factors = [linear_decay_factor(e, start_epoch=3, epochs=6) for e in range(6)]
    assert factors == pytest.approx([1.0, 1.0, 1.0, 0.75, 0.5, 0.25])
    assert linear_decay_factor(0, start_epoch=0, epochs=1) == pytest.approx(0.5)


def test_a_run_decays_every_optimizer_and_a_resumed_run_follows_the_new_total(tmp_path):
    base = gan_ring.get_config().train.g_optimizer["learning_rate"]
    model = train_and_evaluate(tiny_ring(epochs=4, decay_start_epoch=2), str(tmp_path))
    # Last epoch (0-based 3) of 4 with the decay from epoch 2: 1 - 2/3.
    assert float(model.g_optimizer.learning_rate) == pytest.approx(base / 3)
    assert float(model.d_optimizer.learning_rate) == pytest.approx(base / 3)
    # Raising the epochs on resume stretches the schedule: epoch 5 of 6 gets 1 - 4/5.
    model = train_and_evaluate(tiny_ring(epochs=6, decay_start_epoch=2), str(tmp_path))
    assert int(model.step_count) == 12
    assert float(model.g_optimizer.learning_rate) == pytest.approx(base / 5)
    history = json.load(open(os.path.join(tmp_path, "samples", "history.json")))
    assert [e["epoch"] for e in history["epochs"]] == [1, 2, 3, 4, 5, 6]


def test_the_callback_sets_the_rate_at_the_start_of_each_epoch():
    keras.utils.set_random_seed(0)
    model = GAN(mlp_generator(4, 2, hidden=(8,), output_activation="linear"),
                mlp_discriminator(2, hidden=(8,)), latent_dim=4)
    model.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(2e-3))
    seen = []

    class Record(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append((float(model.g_optimizer.learning_rate),
                         float(model.d_optimizer.learning_rate)))

    data = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    model.fit(tf.data.Dataset.from_tensor_slices(data).batch(16).repeat(), epochs=4,
              steps_per_epoch=1, verbose=0,
              callbacks=[LinearLearningRateDecay({"g": 1e-3, "d": 2e-3}, 1, 4), Record()])
    factors = [1.0, 0.75, 0.5, 0.25]
    np.testing.assert_allclose(seen, [(1e-3 * f, 2e-3 * f) for f in factors], rtol=1e-6)


@pytest.mark.parametrize("value", [-1, 3])
def test_a_start_outside_the_run_is_refused_before_training(value, tmp_path):
    with pytest.raises(ValueError, match=r"config.train.decay_start_epoch` must be an integer"):
        train_and_evaluate(tiny_ring(epochs=3, decay_start_epoch=value), str(tmp_path))
    assert not os.path.exists(tmp_path / "checkpoints")


@pytest.mark.parametrize("value", [1.5, "2", True])
def test_a_start_that_is_not_an_integer_is_refused(value):
    # The configs' int placeholder already refuses these; the callback checks its own argument.
    with pytest.raises(ValueError, match=r"must be an integer in \[0, config.train.epochs = 3\)"):
        LinearLearningRateDecay({"g": 1e-3}, value, 3)
