"""BEGAN (Berthelot et al. 2017): Eq. 4 wiring, the k_t controller (in [0, 1], checkpointed,
identical across replicas), the uniform prior, serialization."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from configs import began_digits, began_grid, began_ring
from tfgan_kit.export import export_model
from tfgan_kit.losses import (
    began_autoencoder_loss,
    began_discriminator_loss,
    began_generator_loss,
)
from tfgan_kit.models.began import BEGAN
from tfgan_kit.nets import mlp_discriminator, mlp_generator
from tfgan_kit.nets.autoencoder import mlp_autoencoder
from tfgan_kit.registry import get_dataset, get_scheme
from tfgan_kit.training.checkpoints import RunCheckpoint, latest_readable

LR = 0.1


def make_began(gamma=0.5, lambda_k=0.001, latent_prior="uniform", seed=0, strategy=None,
               initial=None, weights_seed=0):
    with (strategy or tf.distribute.get_strategy()).scope():
        keras.utils.set_random_seed(weights_seed)
        model = BEGAN(mlp_generator(4, 2, hidden=(16,), output_activation="linear"),
                      mlp_autoencoder(2, hidden=(16,), embedding_dim=3, activation="elu"),
                      latent_dim=4, gamma=gamma, lambda_k=lambda_k, latent_prior=latent_prior,
                      seed=seed)
        if initial is not None:
            model.generator.set_weights(initial[0])
            model.discriminator.set_weights(initial[1])
        model.compile(g_optimizer=keras.optimizers.SGD(LR), d_optimizer=keras.optimizers.SGD(LR))
    return model


def clone(net):
    copy = keras.models.clone_model(net)
    copy.set_weights(net.get_weights())
    return copy


def sgd_step(net, loss_fn):
    with tf.GradientTape() as tape:
        loss = loss_fn()
    for v, g in zip(net.trainable_variables, tape.gradient(loss, net.trainable_variables)):
        v.assign_sub(LR * g)
    return float(loss)


def l1(net, x):
    return began_autoencoder_loss(x, net(x)[0])


def batches(scales, n=8):
    rng = np.random.default_rng(0)
    return [tf.constant(rng.normal(size=(n, 2)) * s, tf.float32) for s in scales]


def step(model, batch):
    """One train_step with fresh log trackers, so the logs are this step's values."""
    for tracker in model.metrics:
        tracker.reset_state()
    return {name: float(value) for name, value in model.train_step(batch).items()}


def test_train_step_is_eq_4_with_separate_draws():
    """L_D = L(x) - k_t L(G(z_D)) (SGD step), then L_G = L(G(z_G)) against the updated D;
    k_{t+1} from L(x) and L(G(z_G)); M_global logged."""
    model = make_began(gamma=0.7, lambda_k=0.2)
    model.k.assign(0.3)
    real = batches([2.0])[0]
    z_d, z_g = model.codes(model.noise(8, 0)), model.codes(model.noise(8, 1))
    assert not np.allclose(z_d, z_g)
    g_ref, d_ref = clone(model.generator), clone(model.discriminator)
    real_loss = float(tf.reduce_mean(l1(d_ref, real)))
    d_loss = sgd_step(d_ref, lambda: began_discriminator_loss(
        l1(d_ref, real), l1(d_ref, g_ref(z_d)), 0.3))
    g_loss = sgd_step(g_ref, lambda: began_generator_loss(l1(d_ref, g_ref(z_g))))

    logs = step(model, real)
    np.testing.assert_allclose(logs["d_loss"], d_loss, rtol=1e-5)
    np.testing.assert_allclose(logs["g_loss"], g_loss, rtol=1e-5)
    np.testing.assert_allclose(logs["real_loss"], real_loss, rtol=1e-5)
    np.testing.assert_allclose(logs["fake_loss"], g_loss, rtol=1e-5)
    expected_k = np.clip(0.3 + 0.2 * (0.7 * real_loss - g_loss), 0, 1)
    assert 0 < expected_k < 1
    np.testing.assert_allclose(logs["k"], expected_k, rtol=1e-5)
    np.testing.assert_allclose(float(model.k), expected_k, rtol=1e-5)
    np.testing.assert_allclose(logs["convergence"],
                               real_loss + abs(0.7 * real_loss - g_loss), rtol=1e-5)
    for a, b in zip(model.discriminator.weights + model.generator.weights,
                    d_ref.weights + g_ref.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-6)


@pytest.mark.parametrize("lambda_k", [0.05, 1e4])
def test_k_follows_its_rule_step_by_step_and_stays_in_0_1(lambda_k):
    """k_0 = 0; k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z_G))), 0, 1) from each step's
    logged losses. Far real data (large L(x)) push k up, then data at 0 pull it down."""
    model = make_began(lambda_k=lambda_k)
    assert float(model.k) == 0.0
    expected, seen = 0.0, []
    for batch in batches([20.0] * 4 + [0.0] * 4):
        logs = step(model, batch)
        expected = float(np.clip(expected + lambda_k * (0.5 * logs["real_loss"]
                                                        - logs["fake_loss"]), 0.0, 1.0))
        np.testing.assert_allclose(logs["k"], expected, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(float(model.k), expected, rtol=1e-5, atol=1e-7)
        seen.append(float(model.k))
    assert all(0.0 <= k <= 1.0 for k in seen)
    assert max(seen) > 0.0 and seen[-1] < max(seen)  # went up, then down
    if lambda_k > 1:
        assert 1.0 in seen and seen[-1] == 0.0  # clipped at both ends


def test_k_is_checkpointed_and_a_resumed_run_continues_with_it(tmp_path):
    """RunCheckpoint (the trainer's tf.train.Checkpoint(model=...)) saves k; a fresh model
    restored from it has the same k and weights and continues exactly as the first run."""
    data = tf.data.Dataset.from_tensor_slices(batches([3.0], n=32)[0]).batch(8)
    first = make_began(lambda_k=0.05)
    callback = RunCheckpoint(str(tmp_path / "checkpoints"))
    first.fit(data, epochs=2, verbose=0, callbacks=[callback])
    assert float(first.k) > 0.0
    path, epoch = latest_readable(str(tmp_path / "checkpoints"))
    names = [name for name, _ in tf.train.list_variables(path)]
    assert any(name.endswith("/k/.ATTRIBUTES/VARIABLE_VALUE") for name in names), names

    resumed = make_began(lambda_k=0.05, weights_seed=1)  # other initial weights, k = 0
    assert not np.allclose(resumed.generator.weights[0], first.generator.weights[0])
    assert RunCheckpoint(str(tmp_path / "other")).restore(resumed, path) == epoch == 2
    assert float(resumed.k) == float(first.k)
    assert int(resumed.step_count) == 8
    first.fit(data, epochs=1, verbose=0)
    resumed.fit(data, epochs=1, verbose=0)
    assert float(resumed.k) == pytest.approx(float(first.k), abs=1e-7)
    for a, b in zip(first.weights, resumed.weights, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-6)


def test_two_replicas_follow_one_replica_and_share_k(mirrored_strategy):
    """MirroredStrategy over 2 CPUs from the same weights and data: the same k and weights after
    3 steps, and k identical on both replicas (updated from all-reduced global means)."""
    global_batch = batches([4.0], n=16)[0]
    data = tf.data.Dataset.from_tensor_slices(global_batch).batch(16).repeat(3)
    single = make_began(lambda_k=0.05)
    initial = (single.generator.get_weights(), single.discriminator.get_weights())
    mirrored = make_began(lambda_k=0.05, strategy=mirrored_strategy, initial=initial)
    assert mirrored.distribute_strategy.num_replicas_in_sync == 2
    single_logs = single.fit(data, epochs=1, verbose=0).history
    mirrored_logs = mirrored.fit(data, epochs=1, verbose=0).history
    assert float(single.k) > 0.0
    local = [float(v) for v in mirrored_strategy.experimental_local_results(mirrored.k.value)]
    assert len(local) == 2 and local[0] == local[1]
    np.testing.assert_allclose(local[0], float(single.k), rtol=1e-5)
    for name in ("k", "real_loss", "fake_loss", "convergence"):
        np.testing.assert_allclose(mirrored_logs[name], single_logs[name], rtol=1e-5)
    for a, b in zip(single.weights, mirrored.weights, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-5, err_msg=a.path)


def test_uniform_prior_reaches_the_generator_everywhere(tmp_path):
    model = make_began(latent_prior="uniform")
    codes = model.codes(model.noise(4096, 0)).numpy()
    assert codes.min() > -1.0 and codes.max() < 1.0
    assert abs(codes.mean()) < 0.02 and abs(codes.var() - 1 / 3) < 0.02  # U(-1, 1)
    z = np.random.default_rng(0).normal(size=(3, 4)).astype(np.float32) * 2
    np.testing.assert_allclose(model.generate(z), model.generator(model.codes(z)), atol=1e-6)
    export = export_model(model, str(tmp_path / "export"))
    images = tf.saved_model.load(export).signatures["serving_default"](z=tf.constant(z))["images"]
    np.testing.assert_allclose(images, model.generate(z), atol=1e-5)
    normal = make_began(latent_prior="normal")
    np.testing.assert_allclose(normal.generate(z), normal.generator(z), atol=1e-6)


def test_config_and_keras_file_round_trip_keep_k(tmp_path):
    model = make_began(gamma=0.3, lambda_k=0.05, latent_prior="normal")
    model.fit(batches([5.0], n=16)[0], batch_size=8, epochs=1, verbose=0)
    assert float(model.k) > 0
    config = model.get_config()
    assert (config["gamma"], config["lambda_k"], config["latent_prior"]) == (0.3, 0.05, "normal")
    rebuilt = BEGAN.from_config(config)
    assert (rebuilt.gamma, rebuilt.lambda_k, float(rebuilt.k)) == (0.3, 0.05, 0.0)
    path = str(tmp_path / "began.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    assert isinstance(loaded, BEGAN) and float(loaded.k) == float(model.k)
    z = np.ones((2, 4), np.float32)
    np.testing.assert_allclose(loaded.generate(z), model.generate(z), atol=1e-6)


@pytest.mark.parametrize("module", [began_ring, began_grid, began_digits])
def test_registry_builds_the_configs(module):
    config = module.get_config()
    config.train.jit_compile = False
    m = config.model
    if m.nets == "mlp":
        m.g_hidden, m.d_hidden, m.embedding_dim = (8,), (8,), 4
    else:
        m.g_base_filters, m.d_base_filters, m.began_repeats = 4, 4, 1
    spec = get_dataset(config.data.name)(config, 8)
    model = get_scheme(config.scheme)(config, spec)
    assert isinstance(model, BEGAN)
    assert (model.gamma, model.lambda_k, model.latent_prior) == (0.5, 0.001, "uniform")
    logs = model.train_step(next(iter(spec.dataset)))
    assert all(np.isfinite(float(v)) for v in logs.values())


def test_bad_arguments_are_rejected_with_the_fix():
    g, d = mlp_generator(4, 2), mlp_autoencoder(2, hidden=(4,), embedding_dim=2)
    with pytest.raises(ValueError, match=r"`gamma` must be in \(0, 1\]"):
        BEGAN(g, d, latent_dim=4, gamma=1.5)
    with pytest.raises(ValueError, match="`lambda_k` must be a positive number"):
        BEGAN(g, d, latent_dim=4, lambda_k=0)
    with pytest.raises(ValueError, match="`latent_prior` must be one of"):
        BEGAN(g, d, latent_dim=4, latent_prior="gaussian")
    with pytest.raises(ValueError, match="must be an auto-encoder with two outputs"):
        BEGAN(g, mlp_discriminator(2), latent_dim=4)
    with pytest.raises(ValueError, match="is unconditional"):
        BEGAN(g, d, latent_dim=4).generate(np.zeros((1, 4), np.float32), labels=np.zeros(1))
